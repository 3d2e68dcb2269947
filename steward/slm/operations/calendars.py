"""Domain operations on calendars: the only code that writes them. Each runs in one transaction
and writes the journal; administrators make every change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import ValidationError
from steward.core.operations import full_clean, require, require_admin
from steward.slm.models import Calendar, CalendarHoliday, HolidaySource
from steward.slm.validation import (
    check_dates,
    check_holiday_source,
    check_time_zone,
    imported_holidays,
    parse_hours,
)

CALENDAR_FIELDS = [
    "name",
    "description",
    "time_zone",
    "hours",
    "holiday_country",
    "holiday_subdivision",
    "holiday_years",
]
SOURCE_FIELDS = ("holiday_country", "holiday_subdivision", "holiday_years")
CHANGEABLE = {*CALENDAR_FIELDS, "holidays"}


def _check(changes: dict[str, Any], calendar: Calendar) -> dict[str, Any]:
    """Validate the given fields; return them normalized (holiday source checked as a whole)."""
    unknown = set(changes) - CHANGEABLE
    if unknown:
        raise ValidationError(
            _("Unknown fields %(fields)s") % {"fields": sorted(unknown)},
            {k: [_("unknown field")] for k in sorted(unknown)},
        )
    clean = dict(changes)
    if "time_zone" in clean:
        clean["time_zone"] = check_time_zone(clean["time_zone"])
    if "hours" in clean:
        clean["hours"] = parse_hours(clean["hours"])
    if "holidays" in clean:
        clean["holidays"] = check_dates(clean["holidays"] or [])
    if any(f in clean for f in SOURCE_FIELDS):
        source = [clean.get(f, getattr(calendar, f)) for f in SOURCE_FIELDS]
        for name, value in zip(SOURCE_FIELDS, check_holiday_source(*source), strict=True):
            clean[name] = value
    return clean


def _manual_dates(calendar: Calendar) -> list[str]:
    rows = calendar.holiday_rows.filter(source=HolidaySource.MANUAL).order_by("date")
    return [d.isoformat() for d in rows.values_list("date", flat=True)]


def _imported_dates(calendar: Calendar) -> list[str]:
    rows = calendar.holiday_rows.filter(source=HolidaySource.IMPORTED).order_by("date")
    return [d.isoformat() for d in rows.values_list("date", flat=True)]


def _write_holidays(calendar: Calendar, manual: Iterable[dt.date] | None) -> None:
    """Replace the manual dates (if given) and re-import the country's holidays.

    A manual date wins over an imported one on the same day.
    """
    if manual is not None:
        calendar.holiday_rows.filter(source=HolidaySource.MANUAL).delete()
        CalendarHoliday.objects.bulk_create(
            [
                CalendarHoliday(calendar=calendar, date=d, source=HolidaySource.MANUAL)
                for d in manual
            ]
        )
    calendar.holiday_rows.filter(source=HolidaySource.IMPORTED).delete()
    taken = set(calendar.holiday_rows.values_list("date", flat=True))
    found = imported_holidays(
        calendar.holiday_country, calendar.holiday_subdivision, calendar.holiday_years
    )
    CalendarHoliday.objects.bulk_create(
        [
            CalendarHoliday(calendar=calendar, date=d, name=name, source=HolidaySource.IMPORTED)
            for d, name in found.items()
            if d not in taken
        ]
    )


def _state(calendar: Calendar) -> dict[str, Any]:
    return journal.snapshot(calendar, CALENDAR_FIELDS) | {
        "holidays": _manual_dates(calendar),
        "imported_holidays": _imported_dates(calendar),
    }


@transaction.atomic
def create_calendar(
    actor,
    *,
    name: str,
    time_zone: str,
    hours: dict,
    description: str = "",
    holidays: Iterable[dt.date | str] = (),
    holiday_country: str = "",
    holiday_subdivision: str = "",
    holiday_years: Iterable[int] = (),
) -> Calendar:
    """Create a calendar with its manual holidays and those imported for its country."""
    require_admin(actor, gettext_lazy("create calendars"))
    clean = _check(
        {
            "name": name,
            "description": description,
            "time_zone": time_zone,
            "hours": hours,
            "holidays": list(holidays),
            "holiday_country": holiday_country,
            "holiday_subdivision": holiday_subdivision,
            "holiday_years": list(holiday_years),
        },
        Calendar(),
    )
    manual = clean.pop("holidays")
    calendar = Calendar(**clean)
    full_clean(calendar)
    calendar.save()
    _write_holidays(calendar, manual)
    journal.record(actor, calendar, "created", {f: [None, v] for f, v in _state(calendar).items()})
    return calendar


@transaction.atomic
def update_calendar(actor, calendar: Calendar, *, version: int | None, **changes) -> Calendar:
    """Change a calendar. ``holidays`` replaces the manual dates; giving any of the holiday
    source fields (country, subdivision, years) re-imports the country's holidays."""
    require(actor, "change", calendar)
    clean = _check(changes, calendar)
    before = _state(calendar)
    manual = clean.pop("holidays", None)
    for name, value in clean.items():
        setattr(calendar, name, value)
    full_clean(calendar)
    save_versioned(calendar, version, list(clean))
    if manual is not None or any(f in clean for f in SOURCE_FIELDS):
        _write_holidays(calendar, manual)
    changed = journal.diff(before, _state(calendar))
    journal.record(actor, calendar, "updated", changed)
    return calendar


def import_holidays(
    actor,
    calendar: Calendar,
    *,
    version: int | None,
    country: str,
    years: Iterable[int],
    subdivision: str = "",
) -> Calendar:
    """(Re-)import the public holidays of ``country``/``subdivision`` for ``years``."""
    return update_calendar(
        actor,
        calendar,
        version=version,
        holiday_country=country,
        holiday_subdivision=subdivision,
        holiday_years=list(years),
    )
