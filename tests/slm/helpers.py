"""Shared test helpers for calendars: building calendars and a plain minute-stepping reference."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from steward.slm.calendar_math import WorkCalendar, from_timestamp, to_timestamp

UTC = dt.UTC
AMS = ZoneInfo("Europe/Amsterdam")
NYC = ZoneInfo("America/New_York")


def hm(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def calendar(tz: str, days: dict[int, list[tuple[str, str]]], holidays=()) -> WorkCalendar:
    """``days`` maps weekday (0 = Monday) to ``("HH:MM", "HH:MM")`` intervals."""
    hours = [[(hm(a), hm(b)) for a, b in days.get(d, [])] for d in range(7)]
    return WorkCalendar(tz, hours, holidays)


def office(tz: str = "Europe/Amsterdam", holidays=()) -> WorkCalendar:
    """Monday to Friday, 09:00-17:00."""
    return calendar(tz, {d: [("09:00", "17:00")] for d in range(5)}, holidays)


def local(tz: ZoneInfo, *args: int) -> dt.datetime:
    """An aware local datetime (first occurrence of a repeated time)."""
    return dt.datetime(*args, tzinfo=tz)


def _working(cal: WorkCalendar, ts: int) -> bool:
    """Whether the wall clock at instant ``ts`` reads a working time (reference rule)."""
    moment = from_timestamp(ts).astimezone(ZoneInfo(cal.time_zone))
    if moment.date() in cal.holidays:
        return False
    minute = moment.hour * 60 + moment.minute
    return any(a <= minute < b for a, b in cal.hours[moment.weekday()])


def reference_add(cal: WorkCalendar, start: dt.datetime, seconds: int) -> dt.datetime:
    """Minute by minute: the plain definition of ``add`` (whole-minute boundaries and offsets)."""
    t, remaining = to_timestamp(start), seconds
    if remaining == 0:
        return from_timestamp(t)
    while True:
        step = (t // 60 + 1) * 60
        if _working(cal, t):
            if remaining <= step - t:
                return from_timestamp(t + remaining)
            remaining -= step - t
        t = step


def reference_elapsed(cal: WorkCalendar, start: dt.datetime, end: dt.datetime) -> int:
    t, stop, total = to_timestamp(start), to_timestamp(end), 0
    while t < stop:
        step = min((t // 60 + 1) * 60, stop)
        if _working(cal, t):
            total += step - t
        t = step
    return total
