"""The change pages' forms: the list's filters, a change (new — normal or emergency, or
standard from a template — and edit) with its plans and the risk questionnaire, the
lifecycle, a decision, the conflicts' override, the review, linking a caused incident, and
the calendar's filters."""

from __future__ import annotations

import re

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from steward.changes.choices import (
    ApprovalDecision,
    ChangeImpact,
    ChangeType,
    Outcome,
    Risk,
    Status,
)
from steward.changes.lists import QUEUES, SORT_LABELS
from steward.changes.models import RiskQuestion
from steward.incidents.lookups import resolve_ci
from steward.people.choices import IT_ROLES
from steward.people.models import SupportGroup, User
from steward.services.models import ConfigurationItem, Service

NUMBER = r"^[A-Za-z]{3}\d{1,12}$"
#: A change names at most this many CIs in the form.
MAX_CIS = 200
MOMENT = {"type": "datetime-local"}
MOMENT_FORMAT = "%Y-%m-%dT%H:%M"


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


def _staff():
    """Who may own or implement a change: active IT staff."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(role_rows__role__in=sorted(IT_ROLES)))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def _text(label, rows=4, required=False, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


def _moment(label, required=False, help_text=""):
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=forms.DateTimeInput(attrs=MOMENT, format=MOMENT_FORMAT),
        input_formats=[MOMENT_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        help_text=help_text,
    )


def ci_line(ci: ConfigurationItem) -> str:
    """A CI as the form writes it: its name and id, which ``resolve_ci`` reads back."""
    return f"{ci.name} [#{ci.pk}]"


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, widget=forms.SearchInput)
    queue = forms.ChoiceField(label=_("Queue"), required=False, choices=list(QUEUES.items()))
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *Status.choices]
    )
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Any")), *ChangeType.choices]
    )
    risk = forms.ChoiceField(
        label=_("Risk"), required=False, choices=[("", _("Any")), *Risk.choices]
    )
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=list(SORT_LABELS.items()))

    def filters(self) -> dict:
        if not self.is_valid():
            return {"queue": "open"}
        data = self.cleaned_data
        return {
            "q": data.get("q") or None,
            "queue": data.get("queue") or "open",
            "status": data.get("status") or None,
            "type": data.get("type") or None,
            "risk": data.get("risk") or None,
            "sort": data.get("sort") or "-id",
        }


class ChangeForm(forms.Form):
    """A change, new or edited. A standard change (``template`` given) takes its template's
    plans, risk, impact and outage: those fields are left out. A normal or emergency change
    answers the active risk questions (``risk_<question id>``)."""

    type = forms.ChoiceField(
        label=_("Type"),
        choices=[
            (ChangeType.NORMAL, ChangeType.NORMAL.label),
            (ChangeType.EMERGENCY, ChangeType.EMERGENCY.label),
        ],
        initial=ChangeType.NORMAL,
        help_text=_(
            "An emergency change is authorized by the emergency authority alone and is "
            "always reviewed."
        ),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = _text(_("Description"), help_text=_("What will be changed, where."))
    reason = _text(_("Reason"), rows=3, help_text=_("Why the change is needed."))
    owning_group = forms.ModelChoiceField(
        label=_("Owning group"), queryset=SupportGroup.objects.none()
    )
    owner = PersonChoice(
        label=_("Change owner"),
        required=False,
        queryset=User.objects.none(),
        empty_label=_("Nobody yet"),
        help_text=_("One person, accountable for the change."),
    )
    implementer = PersonChoice(
        label=_("Implementer"),
        required=False,
        queryset=User.objects.none(),
        empty_label=_("Nobody yet"),
    )
    services = forms.ModelMultipleChoiceField(
        label=_("Affected services"), required=False, queryset=Service.objects.none()
    )
    cis = forms.CharField(
        label=_("Affected configuration items"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: a CI's name (or name [#id])."),
    )
    planned_start = _moment(_("Planned start"), help_text=_("In your time zone."))
    planned_end = _moment(_("Planned end"), help_text=_("Up to, not including."))
    implementation_plan = _text(_("Implementation plan"), rows=5)
    backout_plan = _text(_("Backout plan"), help_text=_("How to return to the state before."))
    test_plan = _text(_("Test plan"), help_text=_("How you will know it worked."))
    communication_plan = _text(
        _("Communication plan"), help_text=_("Whom you tell, when and how: see the impact preview.")
    )
    impact = forms.ChoiceField(label=_("Impact"), choices=ChangeImpact.choices, initial="medium")
    outage_expected = forms.BooleanField(label=_("An outage is expected"), required=False)
    outage_minutes = forms.IntegerField(
        label=_("Outage (minutes)"), required=False, min_value=0, max_value=525_600
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    STANDARD_FIXED = (
        "type",
        "implementation_plan",
        "backout_plan",
        "test_plan",
        "communication_plan",
        "impact",
        "outage_expected",
        "outage_minutes",
    )

    def __init__(self, *args, user, template=None, change=None, answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.template = template or (change.template if change is not None else None)
        self.fields["owning_group"].queryset = SupportGroup.objects.for_user(user, "view").order_by(
            "name"
        )
        self.fields["owner"].queryset = _staff()
        self.fields["implementer"].queryset = _staff()
        self.fields["services"].queryset = Service.objects.for_user(user, "view").order_by("name")
        if change is not None:
            del self.fields["type"]
        self.questions = []
        if self.template is not None:
            for name in self.STANDARD_FIXED:
                self.fields.pop(name, None)
            return
        questions = RiskQuestion.objects.filter(is_active=True).prefetch_related("answers")
        for question in questions.order_by("order", "id"):
            name = f"risk_{question.pk}"
            self.fields[name] = forms.TypedChoiceField(
                label=question.text,
                help_text=question.help,
                coerce=int,
                required=False,
                choices=[("", _("Not answered yet"))]
                + [(a.pk, a.text) for a in question.answers.all()],
            )
            if answers and question.pk in answers:
                self.initial.setdefault(name, answers[question.pk])
            self.questions.append(name)

    @property
    def question_fields(self):
        return [self[name] for name in self.questions]

    def clean_cis(self) -> list[ConfigurationItem]:
        lines = [line.strip() for line in re.split(r"[\n;]+", self.cleaned_data.get("cis") or "")]
        lines = list(dict.fromkeys(line for line in lines if line))
        if len(lines) > MAX_CIS:
            raise forms.ValidationError(_("At most %(n)d configuration items.") % {"n": MAX_CIS})
        found, problems = [], []
        for line in lines:
            try:
                found.append(resolve_ci(self.user, line))
            except forms.ValidationError as exc:
                problems.extend(exc.messages)
        if problems:
            raise forms.ValidationError(problems)
        return found

    def clean(self):
        data = super().clean()
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end <= start:
            self.add_error("planned_end", _("The end must be after the start."))
        return data

    def answers(self) -> dict[int, int]:
        return {
            int(name.removeprefix("risk_")): self.cleaned_data[name]
            for name in self.questions
            if self.cleaned_data.get(name)
        }

    def values(self) -> dict:
        """The operation's keyword arguments (the answers apart)."""
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in ("version", "seen") and not k.startswith("risk_")
        }
        data["services"] = list(data.get("services") or [])
        data["cis"] = list(data.get("cis") or [])
        for name in ("description", "reason"):
            data[name] = data.get(name) or ""
        return data


class MoveForm(forms.Form):
    to = forms.ChoiceField(choices=Status.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)
    cancel_reason = forms.CharField(label=_("Why cancel"), required=False, max_length=200)
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", "—"), *Outcome.choices]
    )
    outcome_notes = _text(_("Notes on the outcome"), rows=2)


class DecisionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    decision = forms.ChoiceField(
        label=_("Decision"), choices=ApprovalDecision.choices, widget=forms.RadioSelect
    )
    comment = _text(
        _("Comment"), rows=2, help_text=_("Required to reject: the requester reads it.")
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("decision") == ApprovalDecision.REJECTED
            and not (data.get("comment") or "").strip()
        ):
            self.add_error("comment", _("Say why you reject it."))
        return data


class OverrideForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why it may go ahead despite these conflicts"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    what_happened = _text(_("What happened"), rows=4, required=True)
    cause = _text(_("Cause"), rows=3)
    follow_ups = _text(
        _("Follow-up actions"),
        rows=3,
        help_text=_("One per line: the action, then “@” and its owner's user name."),
    )

    def clean_follow_ups(self) -> list[dict]:
        items, unknown = [], []
        for line in (self.cleaned_data.get("follow_ups") or "").splitlines():
            line = line.strip()
            if not line:
                continue
            action, _at, who = line.rpartition("@") if "@" in line else (line, "", "")
            action, who = action.strip(), who.strip()
            owner = None
            if who:
                owner = _staff().filter(username__iexact=who).first()
                if owner is None:
                    unknown.append(who)
            items.append({"action": action or line, "owner": owner.pk if owner else None})
        if unknown:
            raise forms.ValidationError(
                _("No IT staff member with the user name: %(names)s")
                % {"names": ", ".join(unknown)}
            )
        return items

    @classmethod
    def initial_for(cls, change, review) -> dict:
        initial = {"version": change.version}
        if review is not None:
            people = {
                u.pk: u.username
                for u in User.objects.filter(
                    pk__in=[f.get("owner") for f in review.follow_ups if isinstance(f, dict)]
                )
            }
            lines = []
            for item in review.follow_ups:
                if isinstance(item, dict):
                    who = people.get(item.get("owner"))
                    lines.append(
                        f"{item.get('action', '')} @{who}" if who else item.get("action", "")
                    )
            initial |= {
                "what_happened": review.what_happened,
                "cause": review.cause,
                "follow_ups": "\n".join(lines),
            }
        return initial


class LinkIncidentForm(forms.Form):
    number = forms.RegexField(
        label=_("Incident number"),
        regex=NUMBER,
        max_length=16,
        error_messages={"invalid": _("This is not an incident number.")},
    )


class CalendarForm(forms.Form):
    VIEWS = {"month": _("Month"), "week": _("Week"), "list": _("List")}
    view = forms.ChoiceField(label=_("View"), required=False, choices=list(VIEWS.items()))
    day = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    service = forms.ModelChoiceField(
        label=_("Service"), required=False, queryset=Service.objects.none(), empty_label=_("Any")
    )
    group = forms.ModelChoiceField(
        label=_("Group"), required=False, queryset=SupportGroup.objects.none(), empty_label=_("Any")
    )
    ci = forms.CharField(
        label=_("Configuration item"),
        required=False,
        max_length=300,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["service"].queryset = Service.objects.for_user(user, "view").order_by("name")
        self.fields["group"].queryset = SupportGroup.objects.for_user(user, "view").order_by("name")

    def clean_ci(self):
        text = self.cleaned_data.get("ci") or ""
        return resolve_ci(self.user, text) if text.strip() else None
