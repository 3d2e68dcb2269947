"""Business-calendar ``add()``: throughput, and agreement and speed against minute stepping.

    .venv/bin/python benchmarks/calendar_add.py            # 1,000,000 adds, 10,000 checked
    .venv/bin/python benchmarks/calendar_add.py --n 50000 --sample 500   # a quick run

The calendar has split days (Mon-Fri 08:00-12:00 and 13:00-17:30, Sat 09:00-13:00) in
Europe/Amsterdam with the Dutch public holidays of 2024-2031 from the ``holidays`` package.
Starts are uniform over 2025-2029 (to the second), targets uniform from 15 minutes to 5 days of
working time. Pure Python: no Django, no database.

Printed, each beside its floor or target:
* throughput of ``WorkCalendar.add`` over ``--n`` cases (target: 20,000 adds/s), beside the
  floor of the same loop doing only the datetime plumbing (``start + timedelta``);
* on the first ``--sample`` cases, agreement with a plain minute-stepping reference written
  below (every case must agree) and the speed ratio between the two (target: 100x).
Exits 1 if any case disagrees or a target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import holidays

from steward.slm.calendar_math import WorkCalendar, from_timestamp, to_timestamp

TZ = "Europe/Amsterdam"
SPLIT = [(8 * 60, 12 * 60), (13 * 60, 17 * 60 + 30)]
HOURS = [SPLIT] * 5 + [[(9 * 60, 13 * 60)], []]
FIRST, LAST = dt.datetime(2025, 1, 1, tzinfo=dt.UTC), dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
MIN_TARGET, MAX_TARGET = 15 * 60, 5 * 86_400
THROUGHPUT_TARGET, RATIO_TARGET = 20_000, 100


def build_calendar() -> WorkCalendar:
    dutch = holidays.country_holidays("NL", years=range(2024, 2032))
    return WorkCalendar(TZ, HOURS, dutch.keys())


def make_cases(n: int, seed: int) -> list[tuple[dt.datetime, int]]:
    rng = random.Random(seed)
    span = int((LAST - FIRST).total_seconds())
    return [
        (FIRST + dt.timedelta(seconds=rng.randrange(span)), rng.randint(MIN_TARGET, MAX_TARGET))
        for _ in range(n)
    ]


class MinuteStepper:
    """The plain definition of ``add``: walk minute by minute, reading the wall clock.

    An instant is working time when its local date is not a holiday and its local time of day
    falls in one of the weekday's intervals. Interval bounds are whole minutes and the zone's
    offsets whole hours, so a UTC minute is all working or all not; the first minute may be
    partial because starts are to the second. The zone offset is looked up once per UTC hour.
    """

    def __init__(self, time_zone: str, hours, holiday_dates):
        self.tz = ZoneInfo(time_zone)
        self.mask = [[any(a <= m < b for a, b in hours[d]) for m in range(1440)] for d in range(7)]
        epoch = dt.date(1970, 1, 1)
        self.holiday_days = {(d - epoch).days for d in holiday_dates}
        self.offsets: dict[int, int] = {}

    def _offset(self, hour: int) -> int:
        offset = self.offsets.get(hour)
        if offset is None:
            moment = from_timestamp(hour * 3600).astimezone(self.tz)
            offset = self.offsets[hour] = int(moment.utcoffset().total_seconds())
        return offset

    def add(self, start: int, seconds: int) -> int:
        if seconds == 0:
            return start
        t, remaining = start, seconds
        mask, holiday_days, offsets, offset_of = (
            self.mask,
            self.holiday_days,
            self.offsets,
            self._offset,
        )
        while True:
            step = t - t % 60 + 60
            offset = offsets.get(t // 3600)
            if offset is None:
                offset = offset_of(t // 3600)
            wall = t + offset
            day = wall // 86_400
            if day not in holiday_days and mask[(day + 3) % 7][wall % 86_400 // 60]:
                if remaining <= step - t:
                    return t + remaining
                remaining -= step - t
            t = step


def timed(fn) -> float:
    began = time.perf_counter()
    fn()
    return time.perf_counter() - began


def throughput(cases: list[tuple[dt.datetime, int]]) -> bool:
    """Time ``add`` over every case, beside the floor of the datetime plumbing alone."""
    add = build_calendar().add
    seconds = timed(lambda: [add(s, n) for s, n in cases])
    floor = timed(lambda: [s + dt.timedelta(seconds=n) for s, n in cases])
    rate, floor_rate = len(cases) / seconds, len(cases) / floor
    met = rate >= THROUGHPUT_TARGET
    print(
        f"add():      {len(cases):>9,} adds in {seconds:6.2f} s = {rate:>9,.0f} adds/s   "
        f"target >= {THROUGHPUT_TARGET:,}/s {'OK' if met else 'BELOW TARGET'}\n"
        f"            floor (start + timedelta, no calendar): {floor_rate:,.0f}/s; "
        f"add runs at {floor / seconds:.1%} of it"
    )
    return met


def against_reference(sample: list[tuple[dt.datetime, int]]) -> bool:
    """Every case must agree with minute stepping; report the speed ratio (cold and warm)."""
    calendar = build_calendar()  # cold caches first: the ratio must not flatter add()
    fast: list[int] = []
    cold_s = timed(lambda: fast.extend(to_timestamp(calendar.add(s, n)) for s, n in sample))
    warm_s = timed(lambda: [calendar.add(s, n) for s, n in sample])
    stepper = MinuteStepper(TZ, HOURS, calendar.holidays)
    ref: list[int] = []
    ref_s = timed(lambda: ref.extend(stepper.add(to_timestamp(s), n) for s, n in sample))
    bad = [i for i, (a, b) in enumerate(zip(fast, ref, strict=True)) if a != b]
    print(
        f"reference:  {len(sample):>9,} cases: {len(sample) - len(bad):,} agree, "
        f"{len(bad):,} disagree   target: every case agrees {'OK' if not bad else 'FAIL'}"
    )
    for i in bad[:5]:
        s, n = sample[i]
        print(
            f"  disagree: start {s.isoformat()} + {n} s: add {from_timestamp(fast[i])}"
            f" vs reference {from_timestamp(ref[i])}"
        )
    per_case = len(sample) / 1e6
    ratio = ref_s / cold_s
    print(
        f"speed:      reference {ref_s / per_case:,.0f} us/case; add {cold_s / per_case:.1f} "
        f"us/case with cold caches = {ratio:,.0f}x   target >= {RATIO_TARGET}x "
        f"{'OK' if ratio >= RATIO_TARGET else 'BELOW TARGET'}\n"
        f"            (warm caches: add {warm_s / per_case:.1f} us/case = {ref_s / warm_s:,.0f}x)"
    )
    return not bad and ratio >= RATIO_TARGET


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="adds to time")
    parser.add_argument("--sample", type=int, default=10_000, help="cases checked by reference")
    parser.add_argument("--seed", type=int, default=20260427)
    args = parser.parse_args()
    cases = make_cases(max(args.n, args.sample), args.seed)
    print(
        f"calendar: {TZ}, Mon-Fri 08:00-12:00 + 13:00-17:30, Sat 09:00-13:00, "
        f"{len(build_calendar().holidays)} Dutch holidays 2024-2031\n"
        f"cases:    starts uniform {FIRST:%Y-%m-%d}..{LAST:%Y-%m-%d} to the second, targets "
        f"{MIN_TARGET // 60} min..{MAX_TARGET // 86400} days of working time (seed {args.seed})"
    )
    fast_enough = throughput(cases[: args.n])
    agrees = against_reference(cases[: args.sample])
    return 0 if fast_enough and agrees else 1


if __name__ == "__main__":
    sys.exit(main())
