"""Business days for reminders and escalation, on slm's default business calendar."""

from __future__ import annotations

import datetime as dt

from steward.slm.calendar_math import WorkCalendar


def _calendar() -> WorkCalendar:
    from steward.slm.models import Calendar

    row = Calendar.objects.filter(is_default=True).prefetch_related("holiday_rows").first()
    return row.as_work_calendar() if row is not None else WorkCalendar.always()


def add_business_days(start: dt.datetime, days: int, calendar: WorkCalendar | None = None):
    """The same time of day ``days`` working days after ``start``: a day counts when the
    calendar has working hours on it (not a weekend day off, not a holiday)."""
    calendar = calendar or _calendar()
    moment, left = start, max(days, 0)
    for _ in range(366 * 2):  # a calendar with no working day at all: give up after two years
        if left == 0:
            return moment
        moment += dt.timedelta(days=1)
        if calendar.day_seconds(moment.date()) > 0:
            left -= 1
    return start + dt.timedelta(days=days)
