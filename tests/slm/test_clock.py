"""The SLA clock engine: pause/resume, retargeting, reopening, breach rules and the ledger."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from steward.slm.calendar_math import to_timestamp
from steward.slm.clock import BREACHED, CANCELLED, MET, PAUSED, RUNNING, Clock
from tests.slm.helpers import AMS, local, office

HOUR = 3600
CAL = office("Europe/Amsterdam", holidays=[dt.date(2026, 4, 27)])


def ts(*args) -> int:
    return to_timestamp(local(AMS, *args))


def at(value: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(value, dt.UTC).astimezone(AMS).replace(tzinfo=None)


def test_a_running_clock_is_due_after_the_target_in_working_time():
    clock = Clock(CAL, 4 * HOUR, ts(2026, 4, 24, 15, 30), reason="status New")  # a Friday
    assert at(clock.due_at()) == dt.datetime(2026, 4, 28, 11, 30)  # Monday is King's Day
    assert clock.state == RUNNING


def test_pausing_moves_the_due_time_by_exactly_the_working_time_spent_paused():
    clock = Clock(CAL, 8 * HOUR, ts(2026, 3, 2, 9, 0), reason="status In Progress")  # Monday
    assert at(clock.due_at()) == dt.datetime(2026, 3, 2, 17, 0)
    clock.pause(ts(2026, 3, 2, 11, 0), "status On Hold: awaiting caller")
    assert clock.state == PAUSED and clock.due_at() is None
    clock.resume(ts(2026, 3, 3, 10, 0), "status In Progress")  # 6 h + 1 h of working time paused
    assert clock.paused_working == 7 * HOUR
    assert at(clock.due_at()) == dt.datetime(2026, 3, 3, 16, 0)
    assert clock.elapsed == 2 * HOUR


def test_a_paused_clock_never_breaches():
    clock = Clock(CAL, HOUR, ts(2026, 3, 2, 9, 0), reason="New")
    clock.pause(ts(2026, 3, 2, 9, 30), "On Hold")
    clock.advance(ts(2026, 3, 20, 9, 0))
    assert clock.state == PAUSED and clock.breached_at is None and clock.elapsed == 1800


def test_counting_past_the_target_breaches_at_the_due_time_and_keeps_counting():
    clock = Clock(CAL, HOUR, ts(2026, 3, 2, 16, 30), reason="New")
    due = clock.due_at()
    assert at(due) == dt.datetime(2026, 3, 3, 9, 30)
    clock.advance(ts(2026, 3, 3, 12, 0))
    assert clock.state == BREACHED and clock.breached_at == due
    assert clock.stop(ts(2026, 3, 3, 13, 0)) == BREACHED
    assert clock.elapsed == 30 * 60 + 4 * HOUR


def test_work_done_exactly_at_the_due_time_meets_the_target():
    clock = Clock(CAL, 8 * HOUR, ts(2026, 3, 2, 9, 0), reason="New")
    assert clock.stop(ts(2026, 3, 2, 17, 0)) == MET
    assert clock.breached_at is None


def test_a_shorter_target_mid_flight_keeps_elapsed_and_breaches_at_once_if_already_over():
    clock = Clock(CAL, 8 * HOUR, ts(2026, 3, 2, 9, 0), reason="P3")
    clock.retarget(ts(2026, 3, 2, 13, 0), 2 * HOUR, "priority changed from P3 to P2")
    assert clock.elapsed == 4 * HOUR
    assert clock.state == BREACHED and clock.breached_at == ts(2026, 3, 2, 13, 0)


def test_priority_up_and_down_recomputes_the_due_time():
    clock = Clock(CAL, 8 * HOUR, ts(2026, 3, 2, 9, 0), reason="P3")
    clock.retarget(ts(2026, 3, 2, 10, 0), 4 * HOUR, "priority changed from P3 to P2")
    assert at(clock.due_at()) == dt.datetime(2026, 3, 2, 13, 0)
    clock.retarget(ts(2026, 3, 2, 11, 0), 16 * HOUR, "priority changed from P2 to P4")
    assert at(clock.due_at()) == dt.datetime(2026, 3, 3, 17, 0)
    assert clock.state == RUNNING


def test_a_breach_is_final_even_when_a_longer_target_follows():
    clock = Clock(CAL, HOUR, ts(2026, 3, 2, 9, 0), reason="P1")
    clock.advance(ts(2026, 3, 2, 11, 0))
    clock.retarget(ts(2026, 3, 2, 11, 0), 8 * HOUR, "priority changed from P1 to P3")
    assert clock.state == BREACHED


def test_reopen_continues_or_restarts_the_clock():
    cont = Clock(CAL, 8 * HOUR, ts(2026, 3, 2, 9, 0), reason="New")
    cont.stop(ts(2026, 3, 2, 12, 0))
    cont.reopen(ts(2026, 3, 3, 9, 0), "reopened by the caller", restart=False)
    assert cont.elapsed == 3 * HOUR and at(cont.due_at()) == dt.datetime(2026, 3, 3, 14, 0)
    again = Clock(CAL, 8 * HOUR, ts(2026, 3, 2, 9, 0), reason="New")
    again.stop(ts(2026, 3, 2, 12, 0))
    again.reopen(ts(2026, 3, 3, 9, 0), "reopened by the caller", restart=True)
    assert again.elapsed == 0 and at(again.due_at()) == dt.datetime(2026, 3, 3, 17, 0)


def test_a_cancelled_clock_stops_counting():
    clock = Clock(CAL, HOUR, ts(2026, 3, 2, 9, 0), reason="New")
    clock.cancel(ts(2026, 3, 2, 9, 10))
    clock.advance(ts(2026, 3, 5, 9, 0))
    assert clock.state == CANCELLED and clock.elapsed == 600


def test_the_ledger_explains_each_stretch_in_words():
    clock = Clock(CAL, 16 * HOUR, ts(2026, 4, 24, 16, 0), reason="status In Progress")
    clock.pause(ts(2026, 4, 28, 10, 0), "status On Hold: awaiting vendor")
    clock.resume(ts(2026, 4, 28, 11, 0), "status In Progress")
    clock.stop(ts(2026, 4, 28, 12, 0))
    reasons = [(s.kind, s.reason, s.counted) for s in clock.segments]
    assert reasons[0] == ("running", "status In Progress", HOUR)
    assert ("not_working", "outside working hours", 0) in reasons
    assert ("not_working", "holiday", 0) in reasons
    assert ("paused", "status On Hold: awaiting vendor", 0) in reasons
    assert clock.ledger_total() == clock.elapsed == 3 * HOUR


EVENTS = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=3 * 24 * HOUR),
        st.sampled_from(["pause", "resume", "retarget", "advance", "stop", "reopen"]),
        st.integers(min_value=0, max_value=40 * HOUR),
    ),
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(
    start=st.integers(min_value=0, max_value=60 * 24 * HOUR),
    target=st.integers(0, 40 * HOUR),
    events=EVENTS,
)
def test_every_ledger_sums_to_elapsed_and_paused_clocks_never_breach(start, target, events):
    origin = ts(2026, 1, 5, 0, 0) + start
    clock = Clock(CAL, target, origin, reason="New")
    now = origin
    for gap, kind, value in events:
        now += gap
        breached_before = clock.breached_at
        paused_before = not clock.counting and not clock.stopped
        if kind == "pause":
            clock.pause(now, "On Hold")
        elif kind == "resume":
            clock.resume(now, "In Progress")
        elif kind == "retarget":
            clock.retarget(now, value, "priority changed")
        elif kind == "advance":
            clock.advance(now)
        elif kind == "stop":
            clock.stop(now)
        else:
            clock.reopen(now, "reopened", restart=value % 2 == 0)
        if paused_before and kind in {"pause", "advance", "stop"}:
            assert clock.breached_at == breached_before
        restarted = [s for s in clock.segments if "restarted" in s.reason]
        since_restart = (
            clock.segments[clock.segments.index(restarted[-1]) + 1 :]
            if restarted
            else clock.segments
        )
        assert sum(s.counted for s in since_restart) == clock.elapsed
        assert all(s.start <= s.end for s in clock.segments)


@settings(max_examples=150, deadline=None)
@given(
    start=st.integers(min_value=0, max_value=60 * 24 * HOUR),
    target=st.integers(1, 40 * HOUR),
    run=st.integers(0, 30 * HOUR),
    hold=st.integers(1, 5 * 24 * HOUR),
)
def test_a_pause_shifts_the_due_time_by_the_working_time_paused(start, target, run, hold):
    origin = ts(2026, 1, 5, 0, 0) + start
    clock = Clock(CAL, target, origin, reason="New")
    clock.advance(origin + run)
    if clock.breached_at is not None:
        return
    due_before = clock.due_at()
    clock.pause(origin + run, "On Hold")
    clock.resume(origin + run + hold, "In Progress")
    due_after = clock.due_at()
    assert CAL.elapsed_ts(due_before, due_after) == clock.paused_working
