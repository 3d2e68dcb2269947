"""Properties of business time, across DST changes (Amsterdam, New York) and holidays."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from steward.slm.calendar_math import WorkCalendar
from tests.slm.helpers import UTC, reference_add, reference_elapsed

ZONES = ["Europe/Amsterdam", "America/New_York"]
#: Both zones change clocks inside these windows (US: 8 Mar / 1 Nov; EU: 29 Mar / 25 Oct 2026).
WINDOWS = [(dt.datetime(2026, 3, 1, tzinfo=UTC), 40), (dt.datetime(2026, 10, 17, tzinfo=UTC), 25)]
HOUR = 3600


@st.composite
def day_hours(draw, dst_safe: bool) -> list[tuple[int, int]]:
    """One weekday's intervals on a 15-minute grid.

    ``dst_safe`` keeps every interval clear of 01:00-03:00, where both zones change clocks, so
    no interval changes length on a DST day.
    """
    grid = [m for m in range(0, 1441, 15) if not (dst_safe and 60 < m < 180)]
    points = sorted(draw(st.sets(st.sampled_from(grid), max_size=6)))
    pairs = [(points[i], points[i + 1]) for i in range(0, len(points) - 1, 2)]
    if dst_safe:
        pairs = [
            p for a, b in pairs for p in ([(a, 60), (180, b)] if a <= 60 < 180 <= b else [(a, b)])
        ]
    return [(a, b) for a, b in pairs if a < b]


@st.composite
def calendars(draw, dst_safe: bool = False) -> WorkCalendar:
    hours = [draw(day_hours(dst_safe)) for _ in range(7)]
    if not any(hours):
        hours[draw(st.integers(0, 6))] = [(9 * 60, 17 * 60)]
    window, days = draw(st.sampled_from(WINDOWS))
    off = st.integers(0, days + 14).map(lambda n: window.date() + dt.timedelta(days=n))
    holidays = draw(st.sets(off, max_size=6))
    return WorkCalendar(draw(st.sampled_from(ZONES)), hours, holidays)


@st.composite
def instants(draw) -> dt.datetime:
    window, days = draw(st.sampled_from(WINDOWS))
    return window + dt.timedelta(seconds=draw(st.integers(0, days * 86400)))


targets = st.one_of(st.integers(0, 4 * HOUR), st.integers(0, 300 * HOUR))


@settings(max_examples=200, deadline=None)
@given(calendars(), instants(), targets, targets)
def test_adding_in_two_steps_equals_adding_the_sum(cal, start, a, b):
    assert cal.add(cal.add(start, a), b) == cal.add(start, a + b)


@settings(max_examples=200, deadline=None)
@given(calendars(), instants(), targets)
def test_the_working_time_up_to_the_due_instant_is_the_target(cal, start, seconds):
    due = cal.add(start, seconds)
    assert due >= start
    assert cal.elapsed(start, due) == seconds
    assert sum((b - a).total_seconds() for a, b in cal.working_intervals(start, due)) == seconds


@settings(max_examples=200, deadline=None)
@given(calendars(), instants(), instants(), targets, targets)
def test_add_is_monotonic_in_start_and_in_target(cal, s1, s2, a, b):
    s1, s2 = min(s1, s2), max(s1, s2)
    a, b = min(a, b), max(a, b)
    assert cal.add(s1, a) <= cal.add(s2, a)
    assert cal.add(s1, a) <= cal.add(s1, b)


@settings(max_examples=200, deadline=None)
@given(calendars(), instants(), instants(), instants())
def test_elapsed_adds_up_over_consecutive_ranges(cal, x, y, z):
    a, b, c = sorted([x, y, z])
    assert cal.elapsed(a, c) == cal.elapsed(a, b) + cal.elapsed(b, c)


@settings(max_examples=150, deadline=None)
@given(calendars(dst_safe=True), st.sampled_from(WINDOWS), st.integers(0, 30))
def test_a_whole_week_has_the_weekly_hours_less_holidays(cal, window, day):
    zone = ZoneInfo(cal.time_zone)
    first = window[0].date() + dt.timedelta(days=day)
    dates = [first + dt.timedelta(days=n) for n in range(7)]
    start = dt.datetime.combine(first, dt.time(0), tzinfo=zone)
    end = dt.datetime.combine(dates[-1] + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    expected = sum(
        (b - a) * 60 for d in dates if d not in cal.holidays for a, b in cal.hours[d.weekday()]
    )
    assert cal.elapsed(start, end) == expected


@settings(max_examples=60, deadline=None)
@given(calendars(dst_safe=True), instants(), st.integers(0, 3 * HOUR))
def test_add_agrees_with_minute_stepping(cal, start, seconds):
    assert cal.add(start, seconds) == reference_add(cal, start, seconds)


@settings(max_examples=60, deadline=None)
@given(calendars(dst_safe=True), instants(), st.integers(0, 3 * 86400))
def test_elapsed_agrees_with_minute_stepping(cal, start, seconds):
    end = start + dt.timedelta(seconds=seconds)
    assert cal.elapsed(start, end) == reference_elapsed(cal, start, end)
