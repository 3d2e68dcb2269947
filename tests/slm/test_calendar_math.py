"""Worked examples of business time: add, elapsed, DST days, holidays and the edge rules."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest

from steward.slm.calendar_math import WorkCalendar, shared_calendar
from tests.slm.helpers import AMS, NYC, UTC, calendar, local, office

HOUR = 3600


# --- the worked examples of the issue ---------------------------------------------------------


def test_four_hours_from_friday_afternoon_is_due_monday_late_morning():
    cal = office()
    assert cal.add(local(AMS, 2026, 1, 9, 15, 30), 4 * HOUR) == local(AMS, 2026, 1, 12, 11, 30)


def test_a_target_that_runs_out_at_closing_time_is_due_at_closing_time():
    cal = office()
    assert cal.add(local(AMS, 2026, 1, 9, 13, 0), 4 * HOUR) == local(AMS, 2026, 1, 9, 17, 0)


def test_a_start_on_saturday_counts_from_monday_nine():
    cal = office()
    saturday = local(AMS, 2026, 1, 10, 11, 0)
    assert cal.add(saturday, HOUR) == local(AMS, 2026, 1, 12, 10, 0)
    assert cal.elapsed(saturday, local(AMS, 2026, 1, 12, 9, 30)) == 1800


def test_results_are_utc():
    due = office().add(local(AMS, 2026, 1, 9, 15, 30), 4 * HOUR)
    assert due.tzinfo == UTC
    assert due == dt.datetime(2026, 1, 12, 10, 30, tzinfo=UTC)


def test_split_days_skip_the_lunch_break():
    cal = calendar(
        "Europe/Amsterdam", {d: [("08:00", "12:00"), ("13:00", "17:00")] for d in range(5)}
    )
    monday = local(AMS, 2026, 1, 12, 10, 0)
    assert cal.add(monday, 5 * HOUR) == local(AMS, 2026, 1, 12, 16, 0)
    assert cal.add(monday, 2 * HOUR) == local(AMS, 2026, 1, 12, 12, 0)  # due at the break
    assert cal.elapsed(monday, local(AMS, 2026, 1, 12, 14, 0)) == 3 * HOUR


# --- the definitions at their edges -----------------------------------------------------------


def test_adding_nothing_is_the_start_itself_even_outside_hours():
    sunday = local(AMS, 2026, 1, 11, 3, 0)
    assert office().add(sunday, 0) == sunday


def test_after_closing_time_one_more_second_is_just_after_the_next_opening():
    cal = office()
    closing = cal.add(local(AMS, 2026, 1, 12, 9, 0), 8 * HOUR)
    assert closing == local(AMS, 2026, 1, 12, 17, 0)
    assert cal.add(closing, 1) == local(AMS, 2026, 1, 13, 9, 0, 1)


def test_elapsed_is_half_open_and_zero_for_an_empty_range():
    cal = office()
    nine = local(AMS, 2026, 1, 12, 9, 0)
    assert cal.elapsed(nine, nine) == 0
    assert cal.elapsed(nine, local(AMS, 2026, 1, 12, 9, 0, 1)) == 1
    assert cal.elapsed(local(AMS, 2026, 1, 12, 16, 59, 59), local(AMS, 2026, 1, 12, 18)) == 1


def test_fractions_of_a_second_are_dropped():
    cal = WorkCalendar.always()
    start = dt.datetime(2026, 1, 1, 12, 0, 0, 999_999, tzinfo=UTC)
    assert cal.add(start, 10) == dt.datetime(2026, 1, 1, 12, 0, 10, tzinfo=UTC)


def test_naive_datetimes_negative_targets_and_reversed_ranges_are_refused():
    cal = office()
    with pytest.raises(ValueError, match="naive"):
        cal.add(dt.datetime(2026, 1, 1), 10)
    with pytest.raises(ValueError, match="negative"):
        cal.add(dt.datetime(2026, 1, 1, tzinfo=UTC), -1)
    with pytest.raises(ValueError, match="before"):
        cal.elapsed(dt.datetime(2026, 1, 2, tzinfo=UTC), dt.datetime(2026, 1, 1, tzinfo=UTC))


def test_a_calendar_without_hours_cannot_meet_a_target():
    cal = WorkCalendar("UTC", [[]] * 7)
    with pytest.raises(ValueError, match="no working hours"):
        cal.add(dt.datetime(2026, 1, 1, tzinfo=UTC), 1)
    year = dt.datetime(2026, 1, 1, tzinfo=UTC), dt.datetime(2027, 1, 1, tzinfo=UTC)
    assert cal.elapsed(*year) == 0


def test_an_unknown_time_zone_is_refused():
    with pytest.raises(ValueError, match="IANA"):
        WorkCalendar("Mars/Olympus", [[]] * 7)


def test_overlapping_and_touching_intervals_are_merged():
    cal = calendar("UTC", {0: [("09:00", "12:00"), ("11:00", "13:00"), ("13:00", "14:00")]})
    assert cal.hours[0] == ((540, 840),)


def test_long_targets_skip_whole_weeks_and_land_on_the_same_wall_clock_time():
    cal = office()  # 40 h a week; ten weeks across the spring DST change
    start = local(AMS, 2026, 3, 2, 10, 0)
    assert cal.add(start, 400 * HOUR) == local(AMS, 2026, 5, 11, 10, 0)
    assert cal.elapsed(start, local(AMS, 2026, 5, 11, 10, 0)) == 400 * HOUR


def test_the_cost_follows_the_days_spanned_not_the_seconds():
    cal = WorkCalendar.always()
    cal.add(dt.datetime(2026, 1, 1, tzinfo=UTC), 3 * 7 * 86400 + 5)
    assert len(cal._days) <= 4 * 7 + 2  # one cache entry per day walked, never per second


# --- DST: wall-clock hours ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "tz,spring,autumn",
    [
        ("Europe/Amsterdam", dt.date(2026, 3, 29), dt.date(2026, 10, 25)),
        ("America/New_York", dt.date(2026, 3, 8), dt.date(2026, 11, 1)),
    ],
)
def test_a_nine_to_five_day_has_eight_hours_on_both_dst_changes(tz, spring, autumn):
    cal = calendar(tz, {d: [("09:00", "17:00")] for d in range(7)})
    assert cal.day_seconds(spring) == 8 * HOUR
    assert cal.day_seconds(autumn) == 8 * HOUR
    zone = AMS if tz == "Europe/Amsterdam" else NYC
    start = dt.datetime.combine(spring, dt.time(9), tzinfo=zone)
    assert cal.add(start, 8 * HOUR) == dt.datetime.combine(spring, dt.time(17), tzinfo=zone)


@pytest.mark.parametrize(
    "tz,spring,autumn",
    [
        ("Europe/Amsterdam", dt.date(2026, 3, 29), dt.date(2026, 10, 25)),
        ("America/New_York", dt.date(2026, 3, 8), dt.date(2026, 11, 1)),
    ],
)
def test_a_whole_day_has_23_or_25_hours_on_dst_changes(tz, spring, autumn):
    cal = WorkCalendar.always(tz)
    assert cal.day_seconds(spring) == 23 * HOUR
    assert cal.day_seconds(autumn) == 25 * HOUR
    assert cal.day_seconds(spring + dt.timedelta(days=1)) == 24 * HOUR


def test_an_interval_starting_in_the_spring_gap_starts_when_the_gap_ends():
    cal = calendar("Europe/Amsterdam", {6: [("02:30", "05:00")]})
    [(begin, end)] = cal.working_intervals(
        dt.datetime(2026, 3, 28, tzinfo=UTC), dt.datetime(2026, 3, 30, tzinfo=UTC)
    )
    assert begin == dt.datetime(2026, 3, 29, 1, 0, tzinfo=UTC)  # 03:00 CEST
    assert end == dt.datetime(2026, 3, 29, 3, 0, tzinfo=UTC)  # 05:00 CEST


def test_an_interval_ending_in_the_spring_gap_ends_when_the_gap_starts():
    cal = calendar("Europe/Amsterdam", {6: [("01:00", "02:30")]})
    assert cal.day_seconds(dt.date(2026, 3, 29)) == HOUR


def test_an_interval_across_the_repeated_autumn_hour_covers_both_passes():
    cal = calendar("Europe/Amsterdam", {6: [("02:30", "05:00")]})
    assert cal.day_seconds(dt.date(2026, 10, 25)) == 3 * HOUR + 1800
    cal = calendar("America/New_York", {6: [("00:00", "01:30")]})
    assert cal.day_seconds(dt.date(2026, 11, 1)) == 2 * HOUR + 1800


def test_an_interval_ending_where_the_repeated_hour_begins_is_not_stretched():
    cal = calendar("America/New_York", {6: [("00:00", "01:00")]})
    assert cal.day_seconds(dt.date(2026, 11, 1)) == HOUR


def test_a_week_with_a_dst_change_still_has_forty_office_hours():
    cal = office()
    monday, next_monday = local(AMS, 2026, 3, 23), local(AMS, 2026, 3, 30)
    assert cal.elapsed(monday, next_monday) == 40 * HOUR
    assert cal.elapsed(local(AMS, 2026, 3, 28), local(AMS, 2026, 3, 30)) == 0


# --- holidays -----------------------------------------------------------------------------------


def test_an_explicit_holiday_is_skipped():
    cal = office(holidays=[dt.date(2026, 1, 12)])
    assert cal.add(local(AMS, 2026, 1, 9, 15, 30), 4 * HOUR) == local(AMS, 2026, 1, 13, 11, 30)
    assert cal.day_seconds(dt.date(2026, 1, 12)) == 0


def test_kings_day_from_the_holidays_package_is_skipped():
    dutch = holidays.country_holidays("NL", years=[2026])
    assert dt.date(2026, 4, 27) in dutch  # King's Day, a Monday
    cal = office(holidays=dutch.keys())
    friday = local(AMS, 2026, 4, 24, 15, 30)
    assert cal.add(friday, 4 * HOUR) == local(AMS, 2026, 4, 28, 11, 30)
    assert cal.elapsed(local(AMS, 2026, 4, 27), local(AMS, 2026, 5, 4)) == 32 * HOUR


def test_working_intervals_are_clipped_and_merged_across_midnight():
    cal = WorkCalendar.always("Europe/Amsterdam")
    start = dt.datetime(2026, 1, 1, 12, tzinfo=UTC)
    end = dt.datetime(2026, 1, 4, 12, tzinfo=UTC)
    assert list(cal.working_intervals(start, end)) == [(start, end)]
    assert list(cal.working_intervals(end, start)) == []


def test_working_intervals_of_an_office_week():
    cal = office(holidays=[dt.date(2026, 1, 14)])
    spans = list(cal.working_intervals(local(AMS, 2026, 1, 12), local(AMS, 2026, 1, 17)))
    assert [
        (a.astimezone(AMS).day, a.astimezone(AMS).hour, b.astimezone(AMS).hour) for a, b in spans
    ] == [(12, 9, 17), (13, 9, 17), (15, 9, 17), (16, 9, 17)]


def test_equal_calendars_are_equal_and_shared_instances_are_reused():
    a = office(holidays=[dt.date(2026, 1, 1)])
    b = office(holidays=[dt.date(2026, 1, 1)])
    assert a == b and hash(a) == hash(b)
    assert a != office()
    shared = shared_calendar(a.time_zone, a.hours, a.holidays)
    assert shared_calendar(b.time_zone, b.hours, b.holidays) is shared
