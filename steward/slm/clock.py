"""The SLA clock: one metric of one ticket, counted in working time on a business calendar.

Pure Python on POSIX seconds (no Django), so its rules can be tested exhaustively. The stored
model (``SlaClock``) loads into a :class:`Clock`, applies events, and saves the result.

Rules:

- A clock counts the working time of its calendar while it runs; pausing stops the counting.
- ``due_at`` is the instant the remaining target runs out if the clock keeps running:
  ``calendar.add(since, target - elapsed)``. So pausing moves the due time later by exactly
  the working time spent paused, and time outside working hours never counts.
- Work stopped at or before the due time meets the target. A clock that counts past its
  target is *breached*, and ``breached_at`` is the due time it passed; it keeps counting until
  stopped, so the final elapsed time shows how late the work was. A paused clock never breaches.
- Changing the target mid-flight keeps the elapsed time; if elapsed already exceeds the new
  target, the clock is breached at that moment. A breach is final: a later, longer target
  moves the due time but does not undo a commitment already broken (and escalated).
- Every stretch of time is written to the ledger: running (split into the working intervals,
  which count, and the gaps outside working hours or on holidays, which do not) or paused
  (with why). The counted seconds of the ledger always add up to ``elapsed``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from steward.slm.calendar_math import WorkCalendar

RUNNING = "running"
PAUSED = "paused"
MET = "met"
BREACHED = "breached"
CANCELLED = "cancelled"
STATES = (RUNNING, PAUSED, MET, BREACHED, CANCELLED)

# Ledger segment kinds.
COUNTING = "running"
NOT_WORKING = "not_working"
ON_HOLD = "paused"


@dataclass
class Segment:
    """One stretch of the ledger: [start, end) and the working seconds it counted."""

    start: int
    end: int
    kind: str
    reason: str
    counted: int
    paused_working: int = 0


@dataclass
class Clock:
    calendar: WorkCalendar
    target: int
    started: int
    elapsed: int = 0
    paused_working: int = 0
    since: int | None = None
    counting: bool = True
    reason: str = ""
    finished: str = ""  # "", MET, BREACHED or CANCELLED once stopped
    breached_at: int | None = None
    stopped_at: int | None = None
    segments: list[Segment] = field(default_factory=list)

    def __post_init__(self):
        if self.since is None:
            self.since = self.started
        if self.target < 0:
            raise ValueError("target must not be negative")

    # --- reading ---------------------------------------------------------------------------

    @property
    def state(self) -> str:
        if self.finished:
            return self.finished
        if self.breached_at is not None:
            return BREACHED
        return RUNNING if self.counting else PAUSED

    @property
    def stopped(self) -> bool:
        return bool(self.finished)

    def elapsed_at(self, t: int) -> int:
        """Working seconds counted up to ``t`` (``t`` at or after the last event)."""
        if self.counting and not self.stopped and t > self.since:
            return self.elapsed + self.calendar.elapsed_ts(self.since, t)
        return self.elapsed

    def due_at(self) -> int | None:
        """When the target runs out if the clock keeps running (None when paused or stopped)."""
        if self.stopped:
            return None
        if self.breached_at is not None:
            return self.breached_at
        if not self.counting:
            return None
        return self.calendar.add_ts(self.since, self.target - self.elapsed)

    def remaining_at(self, t: int) -> int:
        return max(0, self.target - self.elapsed_at(t))

    def fraction_at(self, t: int) -> float:
        """Share of the target used at ``t`` (1.0 = breached)."""
        if self.target == 0:
            return 1.0
        return self.elapsed_at(t) / self.target

    # --- events ----------------------------------------------------------------------------

    def advance(self, t: int) -> None:
        """Close the current stretch at ``t`` (writes ledger segments, detects a breach)."""
        if t < self.since:
            raise ValueError("events must not go back in time")
        if self.stopped or t == self.since:
            return
        if self.counting:
            self._count(self.since, t)
        else:
            worked = self.calendar.elapsed_ts(self.since, t)
            self.paused_working += worked
            self.segments.append(Segment(self.since, t, ON_HOLD, self.reason, 0, worked))
        self.since = t

    def _count(self, start: int, end: int) -> None:
        remaining = self.target - self.elapsed
        cursor = start
        for a, b in self.calendar.intervals_ts(start, end):
            if a > cursor:
                self._gap(cursor, a)
            self.elapsed += b - a
            self.segments.append(Segment(a, b, COUNTING, self.reason, b - a))
            cursor = b
        if cursor < end:
            self._gap(cursor, end)
        if self.breached_at is None and self.elapsed > self.target:
            # late from the due time on: the instant the remaining target ran out
            self.breached_at = self.calendar.add_ts(start, max(0, remaining))

    def _gap(self, start: int, end: int) -> None:
        for a, b, holiday in self.calendar.holiday_split_ts(start, end):
            reason = "holiday" if holiday else "outside working hours"
            self.segments.append(Segment(a, b, NOT_WORKING, reason, 0))

    def pause(self, t: int, reason: str) -> None:
        self.advance(t)
        if not self.stopped:
            self.counting = False
            self.reason = reason

    def resume(self, t: int, reason: str) -> None:
        self.advance(t)
        if not self.stopped:
            self.counting = True
            self.reason = reason

    def relabel(self, t: int, reason: str) -> None:
        """Same counting state, a new reason from ``t`` on (e.g. another open status)."""
        self.advance(t)
        self.reason = reason

    def retarget(self, t: int, target: int, reason: str) -> None:
        """Apply a new target from ``t`` on, keeping the elapsed time."""
        if target < 0:
            raise ValueError("target must not be negative")
        self.advance(t)
        if self.stopped:
            return
        self.target = target
        if self.breached_at is None and self.elapsed > target:
            self.breached_at = t
        self.segments.append(Segment(t, t, "event", reason, 0))

    def stop(self, t: int) -> str:
        """The work is done: met if the target was never reached, else breached."""
        self.advance(t)
        if not self.stopped:
            self.finished = BREACHED if self.breached_at is not None else MET
            self.stopped_at = t
        return self.finished

    def cancel(self, t: int, reason: str = "cancelled") -> None:
        self.advance(t)
        if not self.stopped:
            self.finished = CANCELLED
            self.stopped_at = t
            self.segments.append(Segment(t, t, "event", reason, 0))

    def reopen(self, t: int, reason: str, restart: bool) -> None:
        """Start counting again after a stop: continue the elapsed time, or restart from zero."""
        self.finished = ""
        self.stopped_at = None
        self.since = t
        self.counting = True
        self.reason = reason
        if restart:
            self.elapsed = 0
            self.paused_working = 0
            self.breached_at = None
            self.started = t
            self.segments.append(Segment(t, t, "event", f"{reason}: clock restarted", 0))
        else:
            self.segments.append(Segment(t, t, "event", f"{reason}: clock continues", 0))

    def ledger_total(self) -> int:
        return sum(s.counted for s in self.segments)
