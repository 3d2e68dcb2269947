"""The month a review covers: parsed from ``yyyy-mm`` and turned into a UTC period."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from steward.core.errors import NotFound, ValidationError

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
#: The first month a review may cover.
EARLIEST = dt.date(2000, 1, 1)


def parse_month(text: str, *, now: dt.datetime | None = None) -> dt.date:
    """The first day of the month ``yyyy-mm``; a 422 naming ``month`` for anything else. A
    month that has not ended has no review yet (a review covers a whole month): a 404."""
    found = MONTH.match(text or "")
    if not found:
        raise ValidationError.field("month", "must be a month written yyyy-mm, e.g. 2026-03")
    year, month = int(found[1]), int(found[2])
    if not 1 <= month <= 12:
        raise ValidationError.field("month", "the month must be between 01 and 12")
    first = dt.date(year, month, 1)
    if first < EARLIEST:
        raise ValidationError.field("month", "must be 2000-01 or later")
    if first >= current_month(now):
        raise NotFound(
            f"There is no review of {text} yet: the month has not ended.",
            {"month": ["the month has not ended yet"]},
        )
    return first


def current_month(now: dt.datetime | None = None) -> dt.date:
    return (now or timezone.now()).astimezone(dt.UTC).date().replace(day=1)


def previous_month(first: dt.date) -> dt.date:
    return (first - dt.timedelta(days=1)).replace(day=1)


def next_month(first: dt.date) -> dt.date:
    return (first + dt.timedelta(days=32)).replace(day=1)


def bounds(first: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """``[start, end)`` of the month in UTC."""
    start = dt.datetime.combine(first, dt.time(), tzinfo=dt.UTC)
    return start, dt.datetime.combine(next_month(first), dt.time(), tzinfo=dt.UTC)


def months_back(first: dt.date, n: int) -> dt.date:
    for _ in range(n):
        first = previous_month(first)
    return first
