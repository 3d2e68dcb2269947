"""Forms of the pages that run people, groups and organizations. They parse input only (a
username typed into a field becomes the user it names); the operations validate and write."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from steward.people.choices import ContactRole, Role
from steward.people.forms import time_zone_choices
from steward.people.models import Organization, User

STATUS_CHOICES = [("", _("Any status")), ("active", _("Active")), ("inactive", _("Inactive"))]


class VersionedForm(forms.Form):
    """An edit form: the version the record was read at, and its newest journal entry then."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @property
    def changes(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("version", "seen")}


class UsernameField(forms.CharField):
    """A person named by username (or email address): the active user it names, or an error."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)
        self.widget.attrs.update(autocomplete="off", spellcheck="false")

    def clean(self, value):
        value = super().clean(value).strip()
        if not value:
            return None
        user = User.objects.filter(username=value).first() or User.objects.with_email(value).first()
        if user is None:
            raise forms.ValidationError(_("No one has this username or email address."))
        return user


def _organizations():
    return Organization.objects.filter(is_active=True).order_by("name")


# --- users --------------------------------------------------------------------------------------


class UserFieldsForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email address"), required=False)
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=_organizations(),
        required=False,
        empty_label=_("— none (IT staff) —"),
        help_text=_("Requesters see their own organization's incidents and services."),
    )
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    line_manager = UsernameField(
        label=_("Line manager"),
        required=False,
        help_text=_("Username or email address; approves what this person requests."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    time_zone = forms.ChoiceField(label=_("Time zone"), initial="UTC")
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="en")
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every role but requester works inside IT and sees every organization."),
    )

    def __init__(self, *args, current_organization: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices()
        # Active organizations, and the person's own even if it has been deactivated since.
        active = (
            Q(is_active=True) | Q(pk=current_organization)
            if current_organization
            else Q(is_active=True)
        )
        self.fields["organization"].queryset = Organization.objects.filter(active).order_by("name")


class UserCreateForm(UserFieldsForm):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Letters, digits and @ . + - _ only.")},
    )
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty: the person cannot sign in with a password until one is set."),
    )
    field_order = ["username", "first_name", "last_name", "email", "password"]

    @property
    def changes(self) -> dict:
        data = dict(self.cleaned_data)
        if not data.get("password"):
            data.pop("password", None)
        return data


class UserEditForm(VersionedForm, UserFieldsForm):
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("A deactivated person cannot sign in and their API tokens stop working."),
    )


class PasswordForm(forms.Form):
    password = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, widget=forms.SearchInput)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("Any role")), *Role.choices]
    )
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.order_by("name"),
        required=False,
        empty_label=_("Any organization"),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.order_by("name")

    def value(self, name: str):
        return self.cleaned_data.get(name) if self.is_valid() else None


# --- support groups -----------------------------------------------------------------------------


class GroupCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    email = forms.EmailField(
        label=_("Shared mailbox"), required=False, help_text=_("The group's shared address.")
    )
    manager = UsernameField(
        label=_("Manager"),
        required=False,
        help_text=_("Username or email address of the person who answers for the group."),
    )


class GroupEditForm(VersionedForm, GroupCreateForm):
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("An inactive group gets no new work."),
    )

    #: Fields only administrators change (people.operations.GROUP_MANAGER_FIELDS).
    ADMIN_ONLY = ("name", "manager", "is_active")

    def __init__(self, *args, admin: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not admin:
            for name in self.ADMIN_ONLY:
                del self.fields[name]


class MemberForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    member = UsernameField(label=_("Add a member"), help_text=_("Username or email address."))


class RemoveMemberForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    remove = forms.CharField(max_length=150)


# --- organizations ------------------------------------------------------------------------------


class OrganizationCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_("A short unique code: letters, digits, hyphens (e.g. retail-banking)."),
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)


class OrganizationEditForm(VersionedForm, OrganizationCreateForm):
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("An inactive organization cannot be chosen for new people."),
    )


class OrganizationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, widget=forms.SearchInput)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)

    def value(self, name: str):
        return self.cleaned_data.get(name) if self.is_valid() else None


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), choices=ContactRole.choices)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        initial="en",
        help_text=_("Messages to this contact are written in this language."),
    )


class ContactEditForm(VersionedForm, ContactForm):
    pass
