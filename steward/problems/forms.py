"""The problem pages' forms: filters, a problem (new and edit, the known error included), the
lifecycle, the root cause analysis, linking incidents, applying a workaround and the trends."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from steward.incidents.choices import Level, Visibility
from steward.incidents.models import IncidentCategory
from steward.people.choices import IT_ROLES
from steward.people.models import SupportGroup, User
from steward.problems.choices import CauseCategory, RcaMethod, Status
from steward.problems.lists import QUEUES
from steward.services.models import ConfigurationItem, Service

NUMBER = r"^[A-Za-z]{3}\d{1,12}$"


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


def _staff():
    """Who may own a problem: active IT staff (``rules.may_own``)."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(role_rows__role__in=sorted(IT_ROLES)))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, widget=forms.SearchInput)
    queue = forms.ChoiceField(label=_("Queue"), required=False, choices=list(QUEUES.items()))
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *Status.choices]
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {"queue": "open"}
        data = self.cleaned_data
        return {
            "q": data.get("q") or None,
            "queue": data.get("queue") or "open",
            "status": data.get("status") or None,
        }


class ProblemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    statement = forms.CharField(
        label=_("Problem statement"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What fails, where, since when, and for whom."),
    )
    owning_group = forms.ModelChoiceField(
        label=_("Owning group"), queryset=SupportGroup.objects.none()
    )
    owner = PersonChoice(
        label=_("Problem owner"),
        required=False,
        queryset=User.objects.none(),
        empty_label=_("Nobody yet"),
        help_text=_("One person, accountable for finding the cause."),
    )
    impact = forms.TypedChoiceField(label=_("Impact"), coerce=int, choices=Level.choices)
    urgency = forms.TypedChoiceField(label=_("Urgency"), coerce=int, choices=Level.choices)
    services = forms.ModelMultipleChoiceField(
        label=_("Affected services"), required=False, queryset=Service.objects.none()
    )
    cis = forms.ModelMultipleChoiceField(
        label=_("Affected configuration items"),
        required=False,
        queryset=ConfigurationItem.objects.none(),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        queryset=IncidentCategory.objects.none(),
        empty_label=_("None"),
    )
    incidents = forms.CharField(
        label=_("Raised from incidents"),
        required=False,
        max_length=2000,
        help_text=_("Incident numbers, separated by spaces or commas."),
    )
    known_error = forms.BooleanField(
        label=_("Published as a known error"),
        required=False,
        help_text=_("From root cause analysis onwards, with the root cause and a workaround."),
    )
    workaround = forms.CharField(
        label=_("Workaround"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What agents do to restore service until the fix is in."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, problem=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owning_group"].queryset = SupportGroup.objects.for_user(user, "view").order_by(
            "name"
        )
        self.fields["owner"].queryset = _staff()
        self.fields["services"].queryset = Service.objects.for_user(user, "view").order_by("name")
        self.fields["cis"].queryset = ConfigurationItem.objects.for_user(user, "view").order_by(
            "name"
        )
        self.fields["category"].queryset = IncidentCategory.objects.filter(
            is_active=True, parent__isnull=True
        ).order_by("name")
        if problem is None:
            del self.fields["known_error"]
            del self.fields["workaround"]
        else:
            del self.fields["incidents"]

    def clean_incidents(self) -> list[str]:
        import re

        numbers = [n for n in re.split(r"[\s,;]+", self.cleaned_data.get("incidents") or "") if n]
        bad = [n for n in numbers if not re.match(NUMBER, n)]
        if bad:
            raise forms.ValidationError(
                _("These are not incident numbers: %(numbers)s") % {"numbers": ", ".join(bad)}
            )
        return [n.upper() for n in numbers]

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("seen", None)
        data.pop("incidents", None)
        data["services"] = list(data.get("services") or [])
        data["cis"] = list(data.get("cis") or [])
        return data


class MoveForm(forms.Form):
    to = forms.ChoiceField(choices=Status.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)
    fix_description = forms.CharField(
        label=_("What fixed it"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    fix_change = forms.CharField(
        label=_("The change that fixed it"),
        required=False,
        max_length=16,
        help_text=_("Its number, e.g. CHG0000012: closed successful"),
    )
    no_fix_reason = forms.CharField(
        label=_("Or: why no fix is needed"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    cancel_reason = forms.CharField(label=_("Why cancel"), required=False, max_length=200)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RcaForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    method = forms.ChoiceField(label=_("Method"), choices=RcaMethod.choices)
    whys = forms.CharField(
        label=_("The chain of whys or causes"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line, in order: each answers the one before."),
    )
    root_cause = forms.CharField(
        label=_("Root cause"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contributing_factors = forms.CharField(
        label=_("Contributing factors"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line."),
    )
    evidence = forms.CharField(
        label=_("Evidence links"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One link (http or https) per line."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in CauseCategory.choices:
            self.fields[f"causes_{key}"] = forms.CharField(
                label=label,
                required=False,
                max_length=5_000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @classmethod
    def initial_for(cls, problem, rca) -> dict:
        initial = {"version": problem.version, "method": RcaMethod.FIVE_WHYS}
        if rca is not None:
            initial |= {
                "method": rca.method,
                "whys": "\n".join(rca.whys),
                "root_cause": rca.root_cause,
                "contributing_factors": "\n".join(rca.contributing_factors),
                "evidence": "\n".join(rca.evidence),
            }
            for key, values in rca.causes.items():
                initial[f"causes_{key}"] = "\n".join(values)
        return initial

    @property
    def cause_fields(self):
        return [self[f"causes_{key}"] for key in CauseCategory.values]

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "method": data["method"],
            "whys": _lines(data.get("whys")),
            "causes": {
                key: _lines(data.get(f"causes_{key}"))
                for key in CauseCategory.values
                if _lines(data.get(f"causes_{key}"))
            },
            "root_cause": data.get("root_cause") or "",
            "contributing_factors": _lines(data.get("contributing_factors")),
            "evidence": _lines(data.get("evidence")),
        }


class LinkForm(forms.Form):
    numbers = forms.CharField(
        label=_("Incident numbers"),
        max_length=2000,
        help_text=_("Separated by spaces or commas."),
    )

    def clean_numbers(self) -> list[str]:
        import re

        numbers = [n for n in re.split(r"[\s,;]+", self.cleaned_data["numbers"]) if n]
        bad = [n for n in numbers if not re.match(NUMBER, n)]
        if bad or not numbers:
            raise forms.ValidationError(
                _("These are not incident numbers: %(numbers)s") % {"numbers": ", ".join(bad)}
            )
        return [n.upper() for n in numbers]


class WorkaroundForm(forms.Form):
    problem = forms.RegexField(regex=NUMBER, max_length=16)
    visibility = forms.ChoiceField(
        label=_("Add it as"),
        choices=[
            (Visibility.INTERNAL, _("A work note (internal)")),
            (Visibility.PUBLIC, _("A reply to the caller")),
        ],
        initial=Visibility.INTERNAL,
    )


class TrendForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    min_count = forms.IntegerField(
        label=_("Recurring: at least"), min_value=2, max_value=1000, initial=3, required=False
    )
    days = forms.IntegerField(
        label=_("within days"), min_value=1, max_value=366, initial=30, required=False
    )
