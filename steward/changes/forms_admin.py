"""The forms of the changes administration pages: standard change templates, the risk
questionnaire and rules, change boards and the authority grid, maintenance windows and
blackouts, and the settings. They turn the page's text into the operations' values; the
operations check everything again and their errors are put back beside the fields."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.changes.choices import (
    AuthorityLevel,
    ChangeImpact,
    ChangeType,
    Risk,
    RiskRuleKind,
    WindowKind,
)
from steward.changes.forms import MAX_CIS, MOMENT_FORMAT, ci_line
from steward.incidents.lookups import resolve_ci
from steward.people.forms import time_zone_choices
from steward.people.models import SupportGroup
from steward.services.models import CIClass, ConfigurationItem, Service
from steward.slm.calendar_math import WEEKDAYS
from steward.slm.forms import DAY_LABELS, hours_text, parse_intervals

#: A question's answers on its form: the ones it has and this many empty rows to add more.
SPARE_ANSWERS = 3
#: The authority grid's cells people set (a standard change is always pre-authorized).
GRID_TYPES = (ChangeType.NORMAL, ChangeType.EMERGENCY)


def _text(label, rows=4, required=False, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


def _cis_field():
    return forms.CharField(
        label=_("Configuration items"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: a CI's name (or name [#id])."),
    )


def _clean_cis(user, text: str) -> list[ConfigurationItem]:
    lines = [line.strip() for line in re.split(r"[\n;]+", text or "")]
    lines = list(dict.fromkeys(line for line in lines if line))
    if len(lines) > MAX_CIS:
        raise forms.ValidationError(_("At most %(n)d configuration items.") % {"n": MAX_CIS})
    found, problems = [], []
    for line in lines:
        try:
            found.append(resolve_ci(user, line))
        except forms.ValidationError as exc:
            problems.extend(exc.messages)
    if problems:
        raise forms.ValidationError(problems)
    return found


def cis_text(cis) -> str:
    return "\n".join(ci_line(c) for c in cis)


class VersionedForm(forms.Form):
    """Carries the version the page was read at and the newest journal entry seen then."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("version", "seen")}


# --- standard change templates ------------------------------------------------------------------


class TemplateForm(VersionedForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = _text(_("Description"), rows=2, help_text=_("What the change does, where."))
    owning_group = forms.ModelChoiceField(
        label=_("Owning group"), queryset=SupportGroup.objects.none()
    )
    services = forms.ModelMultipleChoiceField(
        label=_("Services"), required=False, queryset=Service.objects.none()
    )
    cis = _cis_field()
    implementation_plan = _text(_("Implementation plan"), rows=5, required=True)
    backout_plan = _text(_("Backout plan"), required=True)
    test_plan = _text(_("Test plan"), required=True)
    communication_plan = _text(_("Communication plan"), rows=3)
    tasks = _text(_("Tasks"), rows=4, help_text=_("One per line, in order."))
    risk = forms.ChoiceField(label=_("Risk"), choices=Risk.choices, initial=Risk.LOW)
    impact = forms.ChoiceField(label=_("Impact"), choices=ChangeImpact.choices, initial="low")
    outage_expected = forms.BooleanField(label=_("An outage is expected"), required=False)
    outage_minutes = forms.IntegerField(
        label=_("Outage (minutes)"), required=False, min_value=0, max_value=525_600
    )
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        initial=True,
        help_text=_("A retired template makes no new changes; those made from it stay."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["owning_group"].queryset = SupportGroup.objects.for_user(user, "view").order_by(
            "name"
        )
        self.fields["services"].queryset = Service.objects.for_user(user, "view").order_by("name")

    def clean_cis(self):
        return _clean_cis(self.user, self.cleaned_data.get("cis"))

    def clean_tasks(self) -> list[str]:
        return [t.strip() for t in (self.cleaned_data.get("tasks") or "").splitlines() if t.strip()]

    def clean(self):
        data = super().clean()
        if data.get("outage_expected") and data.get("outage_minutes") is None:
            self.add_error("outage_minutes", _("Say how long the outage is expected to last."))
        return data

    def values(self) -> dict:
        data = super().values()
        data["services"] = list(data.get("services") or [])
        for name in ("description", "communication_plan"):
            data[name] = data.get(name) or ""
        return data

    @staticmethod
    def initial_for(template) -> dict:
        return {
            "name": template.name,
            "description": template.description,
            "owning_group": template.owning_group_id,
            "services": [s.pk for s in template.services.all()],
            "cis": cis_text(template.cis.all()),
            "implementation_plan": template.implementation_plan,
            "backout_plan": template.backout_plan,
            "test_plan": template.test_plan,
            "communication_plan": template.communication_plan,
            "tasks": "\n".join(template.tasks or []),
            "risk": template.risk,
            "impact": template.impact,
            "outage_expected": template.outage_expected,
            "outage_minutes": template.outage_minutes,
            "is_active": template.is_active,
            "version": template.version,
        }


# --- the risk questionnaire and rules -----------------------------------------------------------


class QuestionForm(VersionedForm):
    """A question with its answers as rows (``answer_<i>_text``/``_value``, the kept answer's
    id hidden): emptying a row's text removes that answer, the spare rows add new ones."""

    text = forms.CharField(label=_("Question"), max_length=300)
    help = _text(_("Help"), rows=2, help_text=_("Shown under the question on the change form."))
    weight = forms.IntegerField(
        label=_("Weight"),
        min_value=0,
        max_value=1000,
        initial=1,
        help_text=_("The chosen answer's value is multiplied by this."),
    )
    order = forms.IntegerField(
        label=_("Order"),
        min_value=0,
        max_value=32_767,
        initial=100,
        help_text=_("Questions are asked from the lowest number up."),
    )
    is_active = forms.BooleanField(
        label=_("Asked"),
        required=False,
        initial=True,
        help_text=_("A question no longer asked keeps the answers changes gave."),
    )

    def __init__(self, *args, answers=(), **kwargs):
        super().__init__(*args, **kwargs)
        rows = max(len(answers) + SPARE_ANSWERS, 4)
        if self.is_bound:
            posted = [k for k in self.data if re.fullmatch(r"answer_\d+_text", k)]
            rows = max(rows, len(posted))
        rows = min(rows, 50)
        self.answer_rows = []
        for i in range(rows):
            known = answers[i] if i < len(answers) else None
            self.fields[f"answer_{i}_id"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False
            )
            self.fields[f"answer_{i}_text"] = forms.CharField(
                label=_("Answer %(n)d") % {"n": i + 1}, required=False, max_length=200
            )
            self.fields[f"answer_{i}_value"] = forms.IntegerField(
                label=_("Value of answer %(n)d") % {"n": i + 1},
                required=False,
                min_value=0,
                max_value=1000,
            )
            if known is not None and not self.is_bound:
                self.initial.setdefault(f"answer_{i}_id", known.pk)
                self.initial.setdefault(f"answer_{i}_text", known.text)
                self.initial.setdefault(f"answer_{i}_value", known.value)
            self.answer_rows.append(i)

    def answer_fields(self):
        return [
            (self[f"answer_{i}_id"], self[f"answer_{i}_text"], self[f"answer_{i}_value"])
            for i in self.answer_rows
        ]

    def clean(self):
        data = super().clean()
        answers = []
        for i in self.answer_rows:
            text = (data.get(f"answer_{i}_text") or "").strip()
            if not text:
                continue
            item = {"text": text, "value": data.get(f"answer_{i}_value") or 0, "order": i + 1}
            if data.get(f"answer_{i}_id"):
                item["id"] = data[f"answer_{i}_id"]
            answers.append(item)
        if not answers and self.answer_rows:
            self.add_error("answer_0_text", _("Give at least one answer."))
        data["answers"] = answers
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "text": data["text"],
            "help": data.get("help") or "",
            "weight": data["weight"],
            "order": data["order"],
            "answers": data["answers"],
        }

    #: The operation's field names (``answers.<i>.text``) -> this form's.
    def field_for(self, name: str) -> str:
        match = re.fullmatch(r"answers\.(\d+)\.(\w+)", name)
        if not match:
            return name
        answers = self.cleaned_data.get("answers") or []
        index = int(match[1])
        row = answers[index]["order"] - 1 if index < len(answers) else 0
        part = match[2] if match[2] in ("text", "value") else "text"
        return f"answer_{row}_{part}"


class RiskRuleForm(VersionedForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Condition"), choices=RiskRuleKind.choices)
    parameter = forms.IntegerField(
        label=_("Criticality or days"),
        required=False,
        min_value=1,
        max_value=36_500,
        help_text=_(
            "The criticality (1 is the most critical) or the number of days, as the condition "
            "asks; nothing for an expected outage."
        ),
    )
    minimum = forms.ChoiceField(label=_("Then the risk is at least"), choices=Risk.choices)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    @staticmethod
    def initial_for(rule) -> dict:
        return {
            "name": rule.name,
            "kind": rule.kind,
            "parameter": rule.parameter,
            "minimum": rule.minimum,
            "is_active": rule.is_active,
            "version": rule.version,
        }


# --- change boards and the authority grid -------------------------------------------------------


class BoardForm(VersionedForm):
    group = forms.ModelChoiceField(
        label=_("Support group"),
        queryset=SupportGroup.objects.none(),
        help_text=_("Its members vote on the changes sent to the board."),
    )
    quorum = forms.IntegerField(
        label=_("Quorum"),
        min_value=1,
        max_value=1000,
        initial=3,
        help_text=_("Approvals a decision needs; one rejection rejects."),
    )
    change_manager_required = forms.BooleanField(
        label=_("A change manager's approval must be among them"), required=False, initial=True
    )
    meets_on = forms.CharField(
        label=_("Meets"),
        required=False,
        max_length=200,
        help_text=_("When it meets, e.g. Tuesdays 14:00: the agenda shows it."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = SupportGroup.objects.for_user(user, "view").order_by("name")

    @staticmethod
    def initial_for(board) -> dict:
        return {
            "group": board.group_id,
            "quorum": board.quorum,
            "change_manager_required": board.change_manager_required,
            "meets_on": board.meets_on,
            "version": board.version,
        }


def cell_value(level: str, board) -> str:
    """A cell of the grid as its select writes it: the level, or ``board:<id>``."""
    return f"board:{board.pk}" if level == AuthorityLevel.BOARD and board else level


class AuthorityForm(forms.Form):
    """The authority table as a grid: one select per type and risk (``cell_<type>_<risk>``)
    offering the levels and each board, and the value read (``read_<type>_<risk>``) so a cell
    someone else changed meanwhile is noticed."""

    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, boards, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (AuthorityLevel.PEER, AuthorityLevel.PEER.label),
            (AuthorityLevel.CHANGE_MANAGER, AuthorityLevel.CHANGE_MANAGER.label),
        ]
        choices += [
            (f"board:{b.pk}", _("Board: %(name)s") % {"name": b.group.name}) for b in boards
        ]
        self.boards = {f"board:{b.pk}": b for b in boards}
        self.cells = []
        for type_ in GRID_TYPES:
            for risk in Risk.values:
                name = f"cell_{type_}_{risk}"
                self.fields[name] = forms.ChoiceField(
                    label=_("%(type)s change at %(risk)s risk")
                    % {"type": ChangeType(type_).label, "risk": Risk(risk).label.lower()},
                    choices=choices,
                )
                self.fields[f"read_{type_}_{risk}"] = forms.CharField(
                    widget=forms.HiddenInput, required=False
                )
                self.cells.append((type_, risk))

    def rows(self):
        """For the template: each type with its cells in risk order."""
        return [
            (
                ChangeType(type_).label,
                [
                    (self[f"cell_{type_}_{risk}"], self[f"read_{type_}_{risk}"], Risk(risk).label)
                    for risk in Risk.values
                ],
            )
            for type_ in GRID_TYPES
        ]

    def level_and_board(self, value: str):
        if value in self.boards:
            return AuthorityLevel.BOARD, self.boards[value]
        return value, None


# --- maintenance windows and blackouts ----------------------------------------------------------


class WindowForm(VersionedForm):
    TIMING = {"weekly": _("Every week, at these hours"), "dated": _("Once, over a dated period")}

    kind = forms.ChoiceField(label=_("Kind"), choices=WindowKind.choices)
    name = forms.CharField(label=_("Name"), max_length=120)
    description = _text(_("Description"), rows=2)
    timing = forms.ChoiceField(
        label=_("When"), choices=list(TIMING.items()), widget=forms.RadioSelect, initial="weekly"
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"), initial="UTC", help_text=_("The weekly hours are local times here.")
    )
    starts_at = forms.DateTimeField(
        label=_("Starts"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=MOMENT_FORMAT),
        input_formats=[MOMENT_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        help_text=_("In your time zone."),
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=MOMENT_FORMAT),
        input_formats=[MOMENT_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        help_text=_("Up to, not including."),
    )
    services = forms.ModelMultipleChoiceField(
        label=_("Services"),
        required=False,
        queryset=Service.objects.none(),
        help_text=_("The CIs of these services."),
    )
    cis = _cis_field()
    ci_classes = forms.ModelMultipleChoiceField(
        label=_("CI classes"),
        required=False,
        queryset=CIClass.objects.none(),
        help_text=_("Every CI of these classes."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    #: The operation's field names -> this form's.
    FIELDS = {f"hours.{day}": f"hours_{day}" for day in WEEKDAYS} | {"hours": "hours_mon"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["time_zone"].choices = time_zone_choices()
        self.fields["services"].queryset = Service.objects.for_user(user, "view").order_by("name")
        self.fields["ci_classes"].queryset = CIClass.objects.order_by("name")
        for day in WEEKDAYS:
            field = forms.CharField(label=DAY_LABELS[day], required=False, max_length=400)
            field.widget.attrs.update(autocomplete="off")
            self.fields[f"hours_{day}"] = field

    def day_fields(self):
        return [self[f"hours_{day}"] for day in WEEKDAYS]

    def clean_cis(self):
        return _clean_cis(self.user, self.cleaned_data.get("cis"))

    def clean(self):
        data = super().clean()
        if data.get("timing") == "dated":
            for name in ("starts_at", "ends_at"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Give the start and the end of the period."))
            start, end = data.get("starts_at"), data.get("ends_at")
            if start and end and end <= start:
                self.add_error("ends_at", _("The end must be after the start."))
            data["hours"] = None
            return data
        hours = {}
        for day in WEEKDAYS:
            try:
                intervals = parse_intervals(data.get(f"hours_{day}", ""))
            except forms.ValidationError as exc:
                self.add_error(f"hours_{day}", exc)
                continue
            if intervals:
                hours[day] = intervals
        if not hours and not any(f"hours_{d}" in self.errors for d in WEEKDAYS):
            self.add_error(
                "hours_mon",
                _("Give the hours of at least one day: a window without hours never opens."),
            )
        data["hours"] = hours
        data["starts_at"] = data["ends_at"] = None
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "name": data["name"],
            "description": data.get("description") or "",
            "time_zone": data["time_zone"],
            "hours": data["hours"],
            "starts_at": data.get("starts_at"),
            "ends_at": data.get("ends_at"),
            "services": list(data.get("services") or []),
            "cis": list(data.get("cis") or []),
            "ci_classes": list(data.get("ci_classes") or []),
        }

    @staticmethod
    def initial_for(window) -> dict:
        initial = {
            "kind": window.kind,
            "name": window.name,
            "description": window.description,
            "timing": "weekly" if window.hours is not None else "dated",
            "time_zone": window.time_zone,
            "starts_at": window.starts_at,
            "ends_at": window.ends_at,
            "services": [s.pk for s in window.services.all()],
            "cis": cis_text(window.cis.all()),
            "ci_classes": [c.pk for c in window.ci_classes.all()],
            "is_active": window.is_active,
            "version": window.version,
        }
        for day, intervals in (window.hours or {}).items():
            initial[f"hours_{day}"] = hours_text(intervals)
        return initial


class WindowFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Both")), *WindowKind.choices]
    )


# --- settings -----------------------------------------------------------------------------------


class SettingsForm(VersionedForm):
    moderate_from = forms.IntegerField(
        label=_("Moderate risk from score"),
        min_value=0,
        max_value=1_000_000,
        help_text=_("A questionnaire score from this is at least moderate risk."),
    )
    high_from = forms.IntegerField(
        label=_("High risk from score"),
        min_value=0,
        max_value=1_000_000,
        help_text=_("A questionnaire score from this is high risk."),
    )
    template_success_threshold = forms.IntegerField(
        label=_("Template success threshold (%)"),
        min_value=0,
        max_value=100,
        help_text=_("A standard template below this success rate is flagged for re-assessment."),
    )
    template_success_window = forms.IntegerField(
        label=_("Over its last changes"),
        min_value=1,
        max_value=1000,
        help_text=_("How many of a template's last closed changes the rate counts."),
    )

    def clean(self):
        data = super().clean()
        low, high = data.get("moderate_from"), data.get("high_from")
        if low is not None and high is not None and high <= low:
            self.add_error("high_from", _("High risk must start above moderate risk."))
        return data

    @staticmethod
    def initial_for(row) -> dict:
        return {
            "moderate_from": row.moderate_from,
            "high_from": row.high_from,
            "template_success_threshold": row.template_success_threshold,
            "template_success_window": row.template_success_window,
            "version": row.version,
        }
