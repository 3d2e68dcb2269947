"""Business-time arithmetic on a working calendar. Pure Python: no Django, no database.

A :class:`WorkCalendar` is a value: an IANA time zone, the weekly working hours (per weekday any
number of wall-clock intervals, in minutes since local midnight) and a set of holidays (whole
local dates off). It answers three questions, all in UTC and to the second:

``add(start, seconds)``
    The EARLIEST instant ``t >= start`` at which the working time in ``[start, t)`` equals
    ``seconds``. So ``add(s, 0) == s`` (even outside working hours), and a target that runs out
    exactly at a closing time is due at that closing time, not at the next opening. For
    ``seconds > 0`` the result always lies inside a working interval or at its end; counting from
    a start outside working hours begins at the next working instant.
``elapsed(start, end)``
    The working time in ``[start, end)``, in whole seconds.
``working_intervals(start, end)``
    The working intervals inside ``[start, end)``, as UTC ``(begin, end)`` pairs, merged where
    they touch.

These definitions make ``add(add(s, a), b) == add(s, a + b)`` and ``elapsed(s, add(s, d)) == d``
hold exactly, and ``add`` monotonic in both arguments.

Wall-clock rules (local time, converted with :mod:`zoneinfo`):

* Each local date owns the instants from its midnight up to the next date's midnight; a
  midnight that falls in a gap is the first instant after the gap.
* An interval ``[s, e)`` of a date runs from the first instant the clock shows ``s`` (or later)
  to the last instant the clock shows a time before ``e``. Hence a 09:00-17:00 day always has
  8 working hours; a 00:00-24:00 day has 23 or 25 on DST change days; a start or end that falls
  in a DST gap moves to the first instant after the gap; an interval touching a repeated hour
  covers both passes of that hour.
* Instants are counted in whole seconds: fractions of a second in inputs are dropped.

Cost: the first and last day are walked interval by interval; whole days in between are summed
from a per-date cache and whole ISO weeks from a per-week cache, so the cost grows with the
number of calendar days spanned (divided by seven), never with the number of seconds. A local
date exactly 24 hours long is taken to have no clock change, so its intervals are its midnight
plus the wall-clock minutes; other dates convert each bound through :mod:`zoneinfo`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator, Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["WEEKDAYS", "WorkCalendar", "shared_calendar"]

UTC = dt.UTC
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
ONE_SECOND = dt.timedelta(seconds=1)
DAY = 86_400
MINUTES_PER_DAY = 1_440
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

Interval = tuple[int, int]
DayHours = tuple[Interval, ...]


def _merge(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    """Sort, drop empty intervals and merge those that overlap or touch."""
    merged: list[list[int]] = []
    for a, b in sorted(intervals):
        if a >= b:
            continue
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return tuple((a, b) for a, b in merged)


def _normalize_hours(hours: Sequence[Iterable[Interval]]) -> tuple[DayHours, ...]:
    if len(hours) != 7:
        raise ValueError("hours must list the intervals of 7 weekdays, Monday first")
    days = []
    for weekday, intervals in zip(WEEKDAYS, hours, strict=True):
        day = []
        for start, end in intervals:
            if not (0 <= start < end <= MINUTES_PER_DAY):
                raise ValueError(f"{weekday}: interval ({start}, {end}) is not within 0..1440")
            day.append((int(start), int(end)))
        days.append(_merge(day))
    return tuple(days)


def to_timestamp(moment: dt.datetime) -> int:
    """Whole POSIX seconds of an aware datetime (fractions dropped, rounding down)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment!r} is naive: give a time zone (UTC)")
    return (moment - EPOCH) // ONE_SECOND


def from_timestamp(ts: int) -> dt.datetime:
    """The UTC datetime of POSIX seconds ``ts``."""
    return EPOCH + dt.timedelta(seconds=ts)


class WorkCalendar:
    """Working hours in one time zone, less holidays; the arithmetic of business time.

    ``hours`` holds seven sequences (Monday first) of ``(start_minute, end_minute)`` pairs with
    ``0 <= start < end <= 1440``; overlapping or touching intervals are merged. ``holidays`` are
    local dates on which nothing is worked. Equal calendars compare and hash equal; each instance
    keeps its own per-date and per-week caches, so reuse one (see :func:`shared_calendar`).
    """

    __slots__ = (
        "_days",
        "_has_hours",
        "_key",
        "_midnights",
        "_tz",
        "_weeks",
        "holidays",
        "hours",
        "time_zone",
    )

    def __init__(
        self, time_zone: str, hours: Sequence[Iterable[Interval]], holidays: Iterable[dt.date] = ()
    ):
        try:
            self._tz = ZoneInfo(time_zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"{time_zone!r} is not an IANA time zone") from exc
        self.time_zone = time_zone
        self.hours = _normalize_hours(hours)
        self.holidays = frozenset(holidays)
        self._key = (self.time_zone, self.hours, self.holidays)
        self._has_hours = any(self.hours)
        self._midnights: dict[int, int] = {}
        self._days: dict[int, tuple[tuple[Interval, ...], int]] = {}
        self._weeks: dict[int, int] = {}

    @classmethod
    def always(cls, time_zone: str = "UTC") -> WorkCalendar:
        """The 24x7 calendar: every instant is working time."""
        return cls(time_zone, [[(0, MINUTES_PER_DAY)]] * 7)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WorkCalendar) and self._key == other._key

    def __hash__(self) -> int:
        return hash(self._key)

    def __repr__(self) -> str:
        return (
            f"WorkCalendar({self.time_zone!r}, {self.weekly_minutes()} min/week, "
            f"{len(self.holidays)} holidays)"
        )

    def weekly_minutes(self) -> int:
        """Working minutes in a week of wall-clock time without holidays or DST changes."""
        return sum(b - a for day in self.hours for a, b in day)

    # --- wall clock -> UTC -------------------------------------------------------------------

    def _offset_at(self, ts: int) -> int:
        return int(from_timestamp(ts).astimezone(self._tz).utcoffset().total_seconds())

    def _instant(self, ordinal: int, minute: int, *, end: bool) -> int:
        """POSIX seconds of local ``minute`` on date ``ordinal`` (see the module's rules)."""
        wall = (ordinal - _EPOCH_ORDINAL) * DAY + minute * 60
        local = dt.datetime.fromordinal(ordinal) + dt.timedelta(minutes=minute)
        first = local.replace(tzinfo=self._tz)
        second = local.replace(tzinfo=self._tz, fold=1)
        off_first = int(first.utcoffset().total_seconds())
        off_second = int(second.utcoffset().total_seconds())
        early, late = wall - off_first, wall - off_second
        if off_first == off_second:
            return early
        if off_first > off_second:  # repeated (folded) wall time: ``early`` < ``late``
            if not end:
                return early
            # The last instant showing a time before ``local``: the second pass, unless
            # ``local`` is the very first repeated time (then the clock never shows less).
            return late if late - 1 + self._offset_at(late - 1) < wall else early
        # Skipped wall time (a gap): the transition lies in (late, early]; find it.
        lo, hi = late, early
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if self._offset_at(mid) == off_second:
                hi = mid
            else:
                lo = mid
        return hi

    def _midnight(self, ordinal: int) -> int:
        ts = self._midnights.get(ordinal)
        if ts is None:
            ts = self._midnights[ordinal] = self._instant(ordinal, 0, end=False)
        return ts

    def _day(self, ordinal: int) -> tuple[tuple[Interval, ...], int]:
        """The UTC working intervals of local date ``ordinal`` and their total seconds."""
        cached = self._days.get(ordinal)
        if cached is not None:
            return cached
        date = dt.date.fromordinal(ordinal)
        intervals: tuple[Interval, ...] = ()
        if date not in self.holidays:
            hours = self.hours[date.weekday()]
            lo, hi = self._midnight(ordinal), self._midnight(ordinal + 1)
            if hi - lo == DAY:  # no clock change today: one offset for the whole day
                intervals = tuple((lo + a * 60, lo + b * 60) for a, b in hours)
            else:
                intervals = _merge(
                    (
                        max(lo, self._instant(ordinal, a, end=False)),
                        hi
                        if b == MINUTES_PER_DAY
                        else min(hi, self._instant(ordinal, b, end=True)),
                    )
                    for a, b in hours
                )
        result = self._days[ordinal] = (intervals, sum(b - a for a, b in intervals))
        return result

    def _week(self, week: int) -> int:
        """Total working seconds of ISO week ``week`` (local dates ``7*week+1`` ... ``+7``)."""
        total = self._weeks.get(week)
        if total is None:
            first = 7 * week + 1
            total = self._weeks[week] = sum(self._day(d)[1] for d in range(first, first + 7))
        return total

    def _local_ordinal(self, ts: int) -> int:
        """The local date (as an ordinal) that owns instant ``ts``."""
        ordinal = ts // DAY + _EPOCH_ORDINAL
        while ts < self._midnight(ordinal):
            ordinal -= 1
        while ts >= self._midnight(ordinal + 1):
            ordinal += 1
        return ordinal

    # --- arithmetic on POSIX seconds ---------------------------------------------------------

    def add_ts(self, start: int, seconds: int) -> int:
        """:meth:`add` on POSIX seconds."""
        if seconds < 0:
            raise ValueError("seconds must not be negative")
        if seconds == 0:
            return start
        if not self._has_hours:
            raise ValueError("the calendar has no working hours: no target can be met")
        days, day = self._days, self._day
        ordinal = self._local_ordinal(start)
        remaining = seconds
        for a, b in (days.get(ordinal) or day(ordinal))[0]:
            if b <= start:
                continue
            if a < start:
                a = start
            if remaining <= b - a:
                return a + remaining
            remaining -= b - a
        ordinal += 1
        while (ordinal - 1) % 7:  # whole days up to the next Monday
            intervals, total = days.get(ordinal) or day(ordinal)
            if remaining <= total:
                return _finish(intervals, remaining)
            remaining -= total
            ordinal += 1
        weeks, week_total = self._weeks, self._week
        week = (ordinal - 1) // 7
        while True:  # whole weeks
            total = weeks.get(week)
            if total is None:
                total = week_total(week)
            if remaining <= total:
                break
            remaining -= total
            week += 1
        ordinal = 7 * week + 1
        while True:  # the days of the last week
            intervals, total = days.get(ordinal) or day(ordinal)
            if remaining <= total:
                return _finish(intervals, remaining)
            remaining -= total
            ordinal += 1

    def elapsed_ts(self, start: int, end: int) -> int:
        """:meth:`elapsed` on POSIX seconds."""
        if end < start:
            raise ValueError("end must not be before start")
        if end == start:
            return 0
        first, last = self._local_ordinal(start), self._local_ordinal(end)
        if first == last:
            return _overlap(self._day(first)[0], start, end)
        total = _overlap(self._day(first)[0], start, end)
        ordinal = first + 1
        while ordinal < last and (ordinal - 1) % 7:
            total += self._day(ordinal)[1]
            ordinal += 1
        while ordinal + 7 <= last:
            total += self._week((ordinal - 1) // 7)
            ordinal += 7
        while ordinal < last:
            total += self._day(ordinal)[1]
            ordinal += 1
        return total + _overlap(self._day(last)[0], start, end)

    def intervals_ts(self, start: int, end: int) -> Iterator[Interval]:
        """:meth:`working_intervals` on POSIX seconds."""
        if end <= start:
            return
        pending: Interval | None = None
        for ordinal in range(self._local_ordinal(start), self._local_ordinal(end) + 1):
            for a, b in self._day(ordinal)[0]:
                a, b = max(a, start), min(b, end)
                if a >= b:
                    continue
                if pending is not None and pending[1] == a:
                    pending = (pending[0], b)
                    continue
                if pending is not None:
                    yield pending
                pending = (a, b)
        if pending is not None:
            yield pending

    def holiday_split_ts(self, start: int, end: int) -> Iterator[tuple[int, int, bool]]:
        """``[start, end)`` cut into runs that lie on holidays or not: ``(a, b, on_holiday)``."""
        cursor, ordinal = start, self._local_ordinal(start)
        run_start, run_holiday = start, None
        while cursor < end:
            day_end = min(end, self._midnight(ordinal + 1))
            holiday = dt.date.fromordinal(ordinal) in self.holidays
            if run_holiday is not None and holiday != run_holiday:
                yield run_start, cursor, run_holiday
                run_start = cursor
            run_holiday = holiday
            cursor, ordinal = day_end, ordinal + 1
        if run_holiday is not None:
            yield run_start, end, run_holiday

    # --- the public, datetime face -----------------------------------------------------------

    def add(self, start: dt.datetime, seconds: int) -> dt.datetime:
        """The earliest instant ``t >= start`` with ``seconds`` of working time in [start, t)."""
        return from_timestamp(self.add_ts(to_timestamp(start), int(seconds)))

    def elapsed(self, start: dt.datetime, end: dt.datetime) -> int:
        """Working seconds in ``[start, end)``; ``end`` must not be before ``start``."""
        return self.elapsed_ts(to_timestamp(start), to_timestamp(end))

    def working_intervals(
        self, start: dt.datetime, end: dt.datetime
    ) -> Iterator[tuple[dt.datetime, dt.datetime]]:
        """The working intervals inside ``[start, end)`` as UTC datetime pairs."""
        for a, b in self.intervals_ts(to_timestamp(start), to_timestamp(end)):
            yield from_timestamp(a), from_timestamp(b)

    def day_seconds(self, date: dt.date) -> int:
        """Working seconds on local ``date`` (0 on a holiday)."""
        return self._day(date.toordinal())[1]


def _finish(intervals: tuple[Interval, ...], remaining: int) -> int:
    """The instant within a day's ``intervals`` where ``remaining`` (> 0, <= day total) runs out."""
    for a, b in intervals:
        if remaining <= b - a:
            return a + remaining
        remaining -= b - a
    raise AssertionError("remaining exceeds the day's working time")  # pragma: no cover


def _overlap(intervals: tuple[Interval, ...], start: int, end: int) -> int:
    total = 0
    for a, b in intervals:
        a, b = max(a, start), min(b, end)
        if a < b:
            total += b - a
    return total


@functools.lru_cache(maxsize=256)
def shared_calendar(
    time_zone: str, hours: tuple[DayHours, ...], holidays: frozenset[dt.date]
) -> WorkCalendar:
    """One shared instance per distinct calendar value, so its caches stay warm across calls."""
    return WorkCalendar(time_zone, hours, holidays)
