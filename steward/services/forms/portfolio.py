"""Forms of the service pages: the list's filters, create and edit, lifecycle, the proposed
owner, support lines, dependencies and the CIs that deliver a service."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from steward.people.choices import IT_ROLES
from steward.people.models import Organization, SupportGroup, User, UserRole
from steward.services import lists
from steward.services.choices import Criticality, Lifecycle, ServiceKind
from steward.services.forms.cmdb import CINameField
from steward.services.models import CIClass, Service


class ServiceFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, widget=forms.SearchInput)
    status = forms.ChoiceField(
        label=_("Lifecycle"), required=False, choices=[("", _("Any")), *Lifecycle.choices]
    )
    criticality = forms.TypedChoiceField(
        label=_("Criticality"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any")), *Criticality.choices],
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"), required=False, queryset=None, empty_label=_("Anyone")
    )

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda u: u.display_name

    def apply(self, services):
        """Filter ``services`` by the valid filters (invalid ones are shown as errors)."""
        data = self.cleaned_data if self.is_valid() else {}
        return lists.filter_services(
            services,
            q=data.get("q"),
            status=data.get("status"),
            criticality=data.get("criticality"),
            owner=data.get("owner"),
        )


def _people():
    """The people a page offers as service owners: active IT staff."""
    it = Q(is_superuser=True) | Q(
        pk__in=UserRole.objects.filter(role__in=IT_ROLES).values("user_id")
    )
    return User.objects.filter(it, is_active=True).order_by("last_name", "first_name", "username")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} ({obj.username})"


class ServiceFieldsForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    kind = forms.ChoiceField(label=_("Kind"), choices=ServiceKind.choices)
    criticality = forms.TypedChoiceField(
        label=_("Criticality"), coerce=int, choices=Criticality.choices, initial=3
    )
    review_date = forms.DateField(
        label=_("Next review"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("When the owner next reviews the service; a past date is an ownership gap."),
    )
    customers = forms.ModelMultipleChoiceField(
        label=_("Customers"),
        required=False,
        queryset=Organization.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Requesters of these organizations see the service once it is live."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customers"].queryset = Organization.objects.filter(is_active=True).order_by(
            "name"
        )


class ServiceCreateForm(ServiceFieldsForm):
    owner = PersonChoiceField(
        label=_("Service owner"),
        queryset=User.objects.none(),
        empty_label=_("Choose a person"),
        help_text=_("They are asked to accept ownership; until then the service shows it."),
    )
    status = forms.ChoiceField(
        label=_("Lifecycle"), choices=Lifecycle.choices, initial=Lifecycle.PIPELINE
    )

    field_order = ["name", "owner", "kind", "criticality", "status", "review_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people()


class ServiceEditForm(ServiceFieldsForm):
    """The service page's one save: its fields, customers, support lines and dependencies (the
    owner changes by proposal, the lifecycle by its buttons)."""

    support_first = forms.ModelMultipleChoiceField(
        label=_("First line"),
        required=False,
        queryset=SupportGroup.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    support_second = forms.ModelMultipleChoiceField(
        label=_("Second line"),
        required=False,
        queryset=SupportGroup.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    support_third = forms.ModelMultipleChoiceField(
        label=_("Third line"),
        required=False,
        queryset=SupportGroup.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    depends_on = forms.ModelMultipleChoiceField(
        label=_("Depends on"),
        required=False,
        queryset=Service.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The services this service needs to work."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    SUPPORT = {"support_first": "first", "support_second": "second", "support_third": "third"}

    def __init__(self, *args, service: Service, **kwargs):
        super().__init__(*args, **kwargs)
        groups = SupportGroup.objects.filter(is_active=True).order_by("name")
        for name in self.SUPPORT:
            self.fields[name].queryset = groups
        self.fields["depends_on"].queryset = Service.objects.exclude(pk=service.pk).order_by("name")

    @property
    def changes(self) -> dict:
        """The keyword arguments of ``operations.edit_service``."""
        data = self.cleaned_data
        fields = ("name", "description", "kind", "criticality", "review_date", "customers")
        return {
            **{k: data[k] for k in fields},
            "support": {line: list(data[name]) for name, line in self.SUPPORT.items()},
            "depends_on": list(data["depends_on"]),
        }

    @classmethod
    def initial_for(cls, service: Service, seen: int) -> dict:
        support = {line: [] for line in cls.SUPPORT.values()}
        for line, group_id in service.support.values_list("line", "group_id"):
            support[line].append(group_id)
        return {
            "name": service.name,
            "description": service.description,
            "kind": service.kind,
            "criticality": service.criticality,
            "review_date": service.review_date,
            "customers": list(service.customers.values_list("pk", flat=True)),
            **{name: support[line] for name, line in cls.SUPPORT.items()},
            "depends_on": list(service.dependencies.values_list("depends_on_id", flat=True)),
            "version": service.version,
            "seen": seen,
        }


class LifecycleForm(forms.Form):
    """One lifecycle move, offered as a button per allowed state."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=Lifecycle.choices)


class ProposeOwnerForm(forms.Form):
    owner = PersonChoiceField(
        label=_("Propose a new owner"),
        queryset=User.objects.none(),
        empty_label=_("Choose a person"),
    )
    note = forms.CharField(
        label=_("Note for them"), required=False, max_length=2000, widget=forms.TextInput
    )

    def __init__(self, *args, service: Service, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people().exclude(pk=service.owner_id)


class LinkCIForm(forms.Form):
    ci = CINameField(
        label=_("Configuration item"),
        help_text=_(
            "A CI that delivers this service (its exact name): when it fails, the "
            "service is affected."
        ),
    )
    ci_class = forms.ModelChoiceField(
        label=_("Its class"),
        required=False,
        queryset=CIClass.objects.none(),
        empty_label=_("Any"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ci_class"].queryset = CIClass.objects.order_by("name")
