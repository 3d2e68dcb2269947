"""When a maintenance window or blackout period is open, for a planned change window.

A weekly window is a service-level calendar without holidays: its ``hours`` in its
``time_zone``, read by :class:`steward.slm.calendar_math.WorkCalendar`, so DST is handled
once, by the engine that already handles it for SLAs (a 22:00-04:00 night stays six wall-clock
hours on the night the clocks move). A dated window is the plain UTC period
``[starts_at, ends_at)``. Everything here is half-open, like the change's planned window.

Pure: a window is read from the fields of a ``ChangeWindow`` (or any object with them); no
query is run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from steward.slm.calendar_math import WorkCalendar, shared_calendar
from steward.slm.validation import hours_as_minutes

Span = tuple[dt.datetime, dt.datetime]


def calendar(window) -> WorkCalendar:
    """The weekly calendar of a weekly window (one shared instance per distinct value)."""
    return shared_calendar(window.time_zone, hours_as_minutes(window.hours), frozenset())


def open_spans(window, start: dt.datetime, end: dt.datetime) -> list[Span]:
    """The parts of ``[start, end)`` during which ``window`` is open, as UTC pairs."""
    if end <= start:
        return []
    if window.hours is not None:
        return list(calendar(window).working_intervals(start, end))
    a, b = max(start, window.starts_at), min(end, window.ends_at)
    return [(a, b)] if a < b else []


def touches(window, start: dt.datetime, end: dt.datetime) -> bool:
    """Whether ``window`` is open at some instant of ``[start, end)`` (a blackout that does
    this forbids the change)."""
    if end <= start:
        return False
    if window.hours is None:
        return window.starts_at < end and window.ends_at > start
    return next(calendar(window).working_intervals(start, end), None) is not None


def covered(windows: Iterable, start: dt.datetime, end: dt.datetime) -> bool:
    """Whether the open times of ``windows`` together cover all of ``[start, end)``: a change
    may run from one window into another that opens as the first closes (Saturday 22:00-24:00
    and Sunday 00:00-04:00 are one night), but not through a gap."""
    spans = sorted(span for window in windows for span in open_spans(window, start, end))
    reached = start
    for a, b in spans:
        if a > reached:
            return False
        reached = max(reached, b)
        if reached >= end:
            return True
    return reached >= end
