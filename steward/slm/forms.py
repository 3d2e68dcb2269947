"""Forms of the service level pages: calendars (weekly hours, holidays), SLA definitions with
their escalation rules, and the support groups' OLAs. The operations check everything again;
these forms turn the page's text into the operations' values and put their errors back."""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.core.errors import DomainError
from steward.people.forms import add_domain_error, time_zone_choices
from steward.slm.calendar_math import WEEKDAYS
from steward.slm.models import ReopenPolicy
from steward.slm.validation import MAX_YEAR, MAX_YEARS, MIN_YEAR

DAY_LABELS = {
    "mon": _("Monday"),
    "tue": _("Tuesday"),
    "wed": _("Wednesday"),
    "thu": _("Thursday"),
    "fri": _("Friday"),
    "sat": _("Saturday"),
    "sun": _("Sunday"),
}
_INTERVAL = re.compile(r"^\s*(\d{1,2}:\d{2})\s*(?:-|–|—|to)\s*(\d{1,2}:\d{2})\s*$")
HOUR = 3600


def hours_text(intervals: list[list[str]]) -> str:
    """Weekly intervals as the page shows them: ``08:00-12:00, 13:00-17:00`` (en dashes)."""
    return ", ".join(f"{a}–{b}" for a, b in intervals)


def parse_intervals(text: str) -> list[list[str]]:
    """The reverse of :func:`hours_text`; a ValidationError names the piece it cannot read."""
    out = []
    for piece in filter(None, (p.strip() for p in re.split(r"[,;\n]", text or ""))):
        match = _INTERVAL.match(piece)
        if not match:
            raise forms.ValidationError(
                _("“%(piece)s” is not an interval such as 08:00–12:00.") % {"piece": piece}
            )
        out.append([match[1].zfill(5), match[2].zfill(5)])
    return out


def seconds_from_hours(value: Decimal | None) -> int | None:
    return None if value is None else round(value * HOUR)


def hours_from_seconds(value: int | None) -> Decimal | None:
    return None if value is None else (Decimal(value) / HOUR).quantize(Decimal("0.01")).normalize()


def parse_percentages(text: str) -> list[int]:
    try:
        return sorted({int(p) for p in re.split(r"[\s,;]+", text.strip()) if p})
    except ValueError as exc:
        raise forms.ValidationError(_("Write whole percentages such as 50, 75, 90.")) from exc


def place_error(form: forms.Form, error: DomainError, fields: dict[str, str]) -> None:
    """Put an operation's error beside the page's field: ``fields`` maps the operation's field
    name (or its prefix, e.g. ``hours.mon``) to the form's."""
    renamed: dict[str, list[str]] = {}
    for name, problems in error.fields.items():
        target = next(
            (mine for theirs, mine in fields.items() if name == theirs or name.startswith(theirs)),
            name,
        )
        renamed.setdefault(target, []).extend(problems)
    add_domain_error(form, type(error)(error.message, renamed))


class VersionedForm(forms.Form):
    """Carries the version the page was read at and the newest journal entry seen then."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)


# --- calendars ---------------------------------------------------------------------------------


class CalendarForm(VersionedForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"), help_text=_("The working hours are local times in this zone.")
    )
    holidays = forms.CharField(
        label=_("Days off"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Whole days off of this calendar only, one date (YYYY-MM-DD) a line. A country's "
            "public holidays are added with their own form."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices()
        for day in WEEKDAYS:
            field = forms.CharField(label=DAY_LABELS[day], required=False, max_length=400)
            field.widget.attrs.update(autocomplete="off")
            self.fields[f"hours_{day}"] = field

    def day_fields(self):
        return [self[f"hours_{day}"] for day in WEEKDAYS]

    def clean(self):
        data = super().clean()
        hours = {}
        for day in WEEKDAYS:
            try:
                hours[day] = parse_intervals(data.get(f"hours_{day}", ""))
            except forms.ValidationError as exc:
                self.add_error(f"hours_{day}", exc)
        data["hours"] = hours
        dates = []
        for line in (data.get("holidays") or "").splitlines():
            if line.strip():
                try:
                    dates.append(dt.date.fromisoformat(line.strip()))
                except ValueError:
                    self.add_error(
                        "holidays",
                        _("“%(line)s” is not a date written YYYY-MM-DD.") % {"line": line.strip()},
                    )
        data["holiday_dates"] = dates
        return data

    @property
    def changes(self) -> dict:
        d = self.cleaned_data
        return {
            "name": d["name"],
            "description": d["description"],
            "time_zone": d["time_zone"],
            "hours": d["hours"],
            "holidays": d["holiday_dates"],
        }

    #: The operation's field names -> this form's.
    FIELDS = {f"hours.{day}": f"hours_{day}" for day in WEEKDAYS} | {"holidays": "holidays"}


@functools.cache
def _country_names() -> dict[str, str]:
    """Country code -> English name, for the countries the ``holidays`` package knows."""
    import holidays
    from holidays import registry

    supported = holidays.list_supported_countries()
    names = {code: code for code in supported}
    for module, entry in registry.COUNTRIES.items():
        if entry[1] in names:
            names[entry[1]] = module.replace("_", " ").title()
    return names


def country_choices() -> list[tuple[str, str]]:
    names = _country_names()
    countries = sorted(((code, f"{names[code]} ({code})") for code in names), key=lambda c: c[1])
    return [("", _("— choose a country —")), *countries]


class HolidayImportForm(VersionedForm):
    country = forms.ChoiceField(label=_("Country"))
    subdivision = forms.CharField(
        label=_("Region"),
        required=False,
        max_length=16,
        help_text=_("Optional subdivision code, e.g. NY in the US or BY in Germany."),
    )
    year_from = forms.IntegerField(label=_("From year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    year_to = forms.IntegerField(label=_("To year"), min_value=MIN_YEAR, max_value=MAX_YEAR)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices()

    def clean(self):
        data = super().clean()
        start, end = data.get("year_from"), data.get("year_to")
        if start is not None and end is not None:
            if end < start:
                self.add_error("year_to", _("Must not be before the first year."))
            elif end - start + 1 > MAX_YEARS:
                self.add_error("year_to", _("At most %(n)s years at once.") % {"n": MAX_YEARS})
        return data

    FIELDS = {
        "holiday_country": "country",
        "holiday_subdivision": "subdivision",
        "holiday_years": "year_to",
    }


# --- SLA definitions ---------------------------------------------------------------------------

PRIORITIES = [("", _("Any priority")), *((f"P{n}", f"P{n}") for n in range(1, 6))]


class SlaForm(VersionedForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=PRIORITIES, required=False)
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=None, required=False, empty_label=_("Any service")
    )
    organization = forms.ModelChoiceField(
        label=_("Customer"), queryset=None, required=False, empty_label=_("Any customer")
    )
    response_hours = forms.DecimalField(
        label=_("Response target (working hours)"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=8,
        decimal_places=2,
        help_text=_("e.g. 0.5 for 30 minutes; empty: no response target"),
    )
    resolution_hours = forms.DecimalField(
        label=_("Resolution target (working hours)"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=8,
        decimal_places=2,
    )
    calendar = forms.ModelChoiceField(
        label=_("Business calendar"),
        queryset=None,
        required=False,
        empty_label=_("The service's calendar (else 24×7)"),
    )
    thresholds = forms.CharField(
        label=_("Warn at (% of the target)"),
        max_length=60,
        required=False,
        help_text=_("e.g. 50, 75, 90: the last warning goes to the group manager."),
    )
    pause_when_paused = forms.BooleanField(
        label=_("Pause the clock while the ticket is on hold"), required=False
    )
    reopen_policy = forms.ChoiceField(
        label=_("When a ticket reopens"), choices=ReopenPolicy.choices
    )
    is_active = forms.BooleanField(label=_("Active"), required=False)

    def __init__(self, *args, services, organizations, calendars, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["organization"].queryset = organizations
        self.fields["calendar"].queryset = calendars
        for name in ("response_hours", "resolution_hours"):
            self.fields[name].widget.attrs["step"] = "0.25"

    def clean_thresholds(self):
        return parse_percentages(self.cleaned_data.get("thresholds") or "")

    def values(self, escalations: list[dict]) -> dict:
        d = self.cleaned_data
        return {
            "name": d["name"],
            "description": d["description"],
            "priority": d["priority"],
            "service": d["service"],
            "organization": d["organization"],
            "response_seconds": seconds_from_hours(d["response_hours"]),
            "resolution_seconds": seconds_from_hours(d["resolution_hours"]),
            "calendar": d["calendar"],
            "thresholds": d["thresholds"],
            "pause_when_paused": d["pause_when_paused"],
            "reopen_policy": d["reopen_policy"],
            "escalations": escalations,
            "is_active": d["is_active"],
        }

    FIELDS = {
        "response_seconds": "response_hours",
        "resolution_seconds": "resolution_hours",
        "thresholds": "thresholds",
    }


METRIC_CHOICES = [
    ("", _("— no rule —")),
    ("response", _("Response")),
    ("resolution", _("Resolution")),
]


class EscalationForm(forms.Form):
    """One escalation rule: at a point of a metric's target, what happens."""

    metric = forms.ChoiceField(label=_("Clock"), choices=METRIC_CHOICES, required=False)
    at = forms.IntegerField(
        label=_("At % of the target"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("100: at the breach"),
    )
    hand_over = forms.BooleanField(label=_("Hand over to the next support line"), required=False)
    raise_priority = forms.BooleanField(label=_("Raise the priority one step"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("metric") and data.get("at") is None:
            self.add_error("at", _("Say at which percentage of the target."))
        return data

    def rule(self) -> dict | None:
        d = getattr(self, "cleaned_data", {})
        if not d.get("metric"):
            return None
        return {
            "metric": d["metric"],
            "at": d["at"],
            "hand_over": d["hand_over"],
            "raise_priority": d["raise_priority"],
        }


EscalationFormSet = forms.formset_factory(EscalationForm, extra=2, max_num=10, absolute_max=10)


# --- OLAs ------------------------------------------------------------------------------------


class OlaForm(VersionedForm):
    acceptance_minutes = forms.IntegerField(
        label=_("Accept handovers within (working minutes)"),
        min_value=1,
        required=False,
        help_text=_("Empty: the default of 30 minutes applies, without an OLA clock."),
    )
    with_group_hours = forms.DecimalField(
        label=_("Keep a ticket at most (working hours)"),
        min_value=Decimal("0.01"),
        max_digits=8,
        decimal_places=2,
        required=False,
        help_text=_("Before resolving it or handing it on; empty: no limit."),
    )
    thresholds = forms.CharField(
        label=_("Warn the manager at (% of the target)"), max_length=60, required=False
    )
    pause_when_paused = forms.BooleanField(
        label=_("Pause while the ticket is on hold"), required=False
    )
    is_active = forms.BooleanField(label=_("Active"), required=False)

    def clean_thresholds(self):
        return parse_percentages(self.cleaned_data.get("thresholds") or "")

    def values(self) -> dict:
        d = self.cleaned_data
        minutes = d["acceptance_minutes"]
        return {
            "handover_acceptance_seconds": None if minutes is None else minutes * 60,
            "time_with_group_seconds": seconds_from_hours(d["with_group_hours"]),
            "thresholds": d["thresholds"],
            "pause_when_paused": d["pause_when_paused"],
            "is_active": d["is_active"],
        }

    FIELDS = {
        "handover_acceptance_seconds": "acceptance_minutes",
        "time_with_group_seconds": "with_group_hours",
        "thresholds": "thresholds",
    }
