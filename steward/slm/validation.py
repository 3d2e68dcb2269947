"""Input rules of calendars: working hours, time zones, holiday dates and holiday sources.

Every function raises :class:`steward.core.errors.ValidationError` naming the field of each
problem (``hours.mon[1]``, ``holidays[0]``, ``holiday_country`` ...), or returns the value in
its stored, normalized form.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from steward.core.errors import ValidationError
from steward.slm.calendar_math import MINUTES_PER_DAY, WEEKDAYS, DayHours

_TIME = re.compile(r"^(\d{2}):(\d{2})$")
#: Holiday years accepted for import, and how many at once.
MIN_YEAR, MAX_YEAR, MAX_YEARS = 1900, 2200, 50
MAX_HOLIDAYS = 5_000
MAX_INTERVALS_PER_DAY = 48


def _raise(problems: dict[str, list[str]]) -> None:
    if problems:
        summary = "; ".join(f"{k}: {', '.join(v)}" for k, v in problems.items())
        raise ValidationError(_("Invalid input — %(summary)s") % {"summary": summary}, problems)


def parse_time(text: Any, *, is_end: bool) -> int:
    """Minutes since midnight of ``"HH:MM"``; ``"24:00"`` only as an end. ValueError if bad."""
    match = _TIME.match(text) if isinstance(text, str) else None
    if not match:
        raise ValueError(_("%(text)s is not a time written HH:MM") % {"text": repr(text)})
    hours, minutes = int(match[1]), int(match[2])
    if hours == 24 and minutes == 0:
        if not is_end:
            raise ValueError(_("24:00 is allowed only as the end of an interval"))
        return MINUTES_PER_DAY
    if hours > 23 or minutes > 59:
        raise ValueError(_("%(text)s is not a time between 00:00 and 24:00") % {"text": repr(text)})
    return hours * 60 + minutes


def format_time(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_hours(
    value: Any, field: str = "hours", *, when_empty: str | None = None
) -> dict[str, list[list[str]]]:
    """Check weekly hours ``{"mon": [["08:00", "12:00"], ...], ...}``; return them normalized.
    ``when_empty``: what to say when no day has hours (a calendar's reason by default).

    The normalized form has all seven keys, Monday first, each day's intervals sorted by start.
    A missing weekday is a day without working hours, but some day must have some. Intervals of
    one day may touch but not overlap.
    """
    if not isinstance(value, Mapping):
        _raise({field: [_("must be an object keyed mon ... sun")]})
    problems: dict[str, list[str]] = {}
    for key in value:
        if key not in WEEKDAYS:
            problems.setdefault(f"{field}.{key}", []).append(
                _("unknown weekday; use %(days)s") % {"days": ", ".join(WEEKDAYS)}
            )
    normalized: dict[str, list[list[str]]] = {}
    for day in WEEKDAYS:
        intervals = value.get(day, [])
        if not isinstance(intervals, list):
            problems.setdefault(f"{field}.{day}", []).append(_("must be a list of intervals"))
            continue
        if len(intervals) > MAX_INTERVALS_PER_DAY:
            problems.setdefault(f"{field}.{day}", []).append(
                _("at most %(max)s intervals a day") % {"max": MAX_INTERVALS_PER_DAY}
            )
            continue
        parsed = _parse_day(intervals, f"{field}.{day}", problems)
        normalized[day] = [[format_time(a), format_time(b)] for a, b, _index in sorted(parsed)]
    if not problems and not any(normalized.values()):
        problems[field] = [
            when_empty
            or _(
                "give at least one working interval: a calendar without working hours can never "
                "meet a target"
            )
        ]
    _raise(problems)
    return normalized


def _parse_day(intervals: list, field: str, problems: dict[str, list[str]]) -> list:
    parsed: list[tuple[int, int, int]] = []
    for index, interval in enumerate(intervals):
        name = f"{field}[{index}]"
        if not (isinstance(interval, list | tuple) and len(interval) == 2):
            problems.setdefault(name, []).append(_('must be a pair ["HH:MM", "HH:MM"]'))
            continue
        try:
            start = parse_time(interval[0], is_end=False)
            end = parse_time(interval[1], is_end=True)
        except ValueError as exc:
            problems.setdefault(name, []).append(str(exc))
            continue
        if start >= end:
            problems.setdefault(name, []).append(
                _("starts at %(start)s but ends at %(end)s: the start must come first")
                % {"start": interval[0], "end": interval[1]}
            )
            continue
        for other_start, other_end, other_index in parsed:
            if start < other_end and other_start < end:
                problems.setdefault(name, []).append(
                    _("overlaps %(other)s (%(start)s–%(end)s)")
                    % {
                        "other": f"{field}[{other_index}]",
                        "start": format_time(other_start),
                        "end": format_time(other_end),
                    }
                )
                break
        else:
            parsed.append((start, end, index))
    return parsed


def hours_as_minutes(hours: Mapping[str, list[list[str]]]) -> tuple[DayHours, ...]:
    """Normalized hours as the minute tuples :class:`WorkCalendar` takes (Monday first)."""
    return tuple(
        tuple(
            (parse_time(a, is_end=False), parse_time(b, is_end=True)) for a, b in hours.get(d, [])
        )
        for d in WEEKDAYS
    )


@functools.cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def check_time_zone(value: Any, field: str = "time_zone") -> str:
    if not isinstance(value, str) or value not in _zones():
        _raise(
            {
                field: [
                    _("%(value)s is not an IANA time zone (e.g. Europe/Amsterdam)")
                    % {"value": repr(value)}
                ]
            }
        )
    return value


def check_dates(values: Iterable[Any], field: str = "holidays") -> list[dt.date]:
    """Holiday dates (date objects or ISO strings), sorted and without duplicates."""
    problems: dict[str, list[str]] = {}
    dates: set[dt.date] = set()
    values = list(values)
    if len(values) > MAX_HOLIDAYS:
        _raise({field: [_("at most %(max)s dates") % {"max": MAX_HOLIDAYS}]})
    for index, value in enumerate(values):
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date | str):
            problems.setdefault(f"{field}[{index}]", []).append(_("must be an ISO date YYYY-MM-DD"))
            continue
        try:
            date = value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
        except ValueError:
            problems.setdefault(f"{field}[{index}]", []).append(
                _("%(value)s is not an ISO date YYYY-MM-DD") % {"value": repr(value)}
            )
            continue
        if not MIN_YEAR <= date.year <= MAX_YEAR:
            problems.setdefault(f"{field}[{index}]", []).append(
                _("the year must lie between %(min)s and %(max)s")
                % {"min": MIN_YEAR, "max": MAX_YEAR}
            )
            continue
        dates.add(date)
    _raise(problems)
    return sorted(dates)


@functools.cache
def _countries() -> dict[str, list[str]]:
    import holidays

    return holidays.list_supported_countries()


def check_holiday_source(country: Any, subdivision: Any, years: Any) -> tuple[str, str, list[int]]:
    """The country, subdivision and years to import holidays for, checked against ``holidays``.

    An empty country means "no imported holidays": then subdivision and years must be empty too.
    """
    country = (country or "").upper() if isinstance(country, str | None) else country
    subdivision = subdivision or ""
    years = list(years or [])
    problems: dict[str, list[str]] = {}
    if not isinstance(country, str):
        problems["holiday_country"] = [_("must be a country code such as NL")]
    elif not country:
        if subdivision:
            problems["holiday_subdivision"] = [_("needs a holiday_country")]
        if years:
            problems["holiday_years"] = [_("needs a holiday_country")]
    elif country not in _countries():
        problems["holiday_country"] = [
            _("%(country)s is not a country the holidays package knows (ISO 3166 code, e.g. NL)")
            % {"country": repr(country)}
        ]
    elif subdivision and subdivision not in _countries()[country]:
        known = ", ".join(_countries()[country]) or _("none")
        problems["holiday_subdivision"] = [
            _("%(subdivision)s is not a subdivision of %(country)s; known: %(known)s")
            % {"subdivision": repr(subdivision), "country": country, "known": known}
        ]
    if country and not years:
        problems["holiday_years"] = [_("give the years to import, e.g. [2026, 2027]")]
    bad = [y for y in years if not isinstance(y, int) or not MIN_YEAR <= y <= MAX_YEAR]
    if bad:
        problems["holiday_years"] = [
            _("years must lie between %(min)s and %(max)s") % {"min": MIN_YEAR, "max": MAX_YEAR}
        ]
    elif len(set(years)) > MAX_YEARS:
        problems["holiday_years"] = [_("at most %(max)s years at once") % {"max": MAX_YEARS}]
    _raise(problems)
    return country, subdivision, sorted(set(years))


def imported_holidays(country: str, subdivision: str, years: list[int]) -> dict[dt.date, str]:
    """``{date: name}`` from the ``holidays`` package (names in English where it has them)."""
    if not country:
        return {}
    import holidays

    found = holidays.country_holidays(
        country, subdiv=subdivision or None, years=years, language="en_US"
    )
    return {date: name[:120] for date, name in sorted(found.items())}
