"""Read-side helpers of the slm app: a ticket's clocks with their ledgers, in words.

A clock's stored ledger holds the stretches that are closed (up to ``since``, the last event);
the stretch since then is still open. :func:`clocks_for` adds it as the last entry, with
``end: None``, and reports ``elapsed_seconds`` as counted at the moment of the read, so the
counted seconds of the ledger always add up to it.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch
from django.utils import timezone

from steward.slm.calendar_math import to_timestamp
from steward.slm.models import CalendarHoliday, SlaClock, SlaSegment

STATUS_PREFIX = "status "


def _duration(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes = rest // 60
    if hours and minutes:
        return f"{hours} h {minutes} min"
    if hours:
        return f"{hours} h"
    return f"{minutes} min" if minutes else f"{seconds} s"


def reason_label(reason: str) -> str:
    """A stretch's reason as people read it: "status In progress" -> "In progress"."""
    return reason[len(STATUS_PREFIX) :] if reason.startswith(STATUS_PREFIX) else reason


def explain(segment: SlaSegment) -> str:
    """One ledger line as a sentence."""
    if segment.kind == "running":
        return f"counted {_duration(segment.counted_seconds)} ({segment.reason})"
    if segment.kind == "paused":
        return (
            f"paused ({segment.reason}): {_duration(segment.paused_working_seconds)} of "
            "working time not counted"
        )
    if segment.kind == "not_working":
        return f"not counted: {segment.reason}"
    return segment.reason


def open_stretch(clock: SlaClock, now: dt.datetime) -> dict | None:
    """The stretch from the clock's last event to ``now`` (None once the clock has stopped):
    running (its working time counts) or paused (its working time does not), and why."""
    if clock.stopped_at is not None:
        return None
    start = clock.since
    worked = 0
    if now > start:
        work = clock.calendar.as_work_calendar()
        worked = work.elapsed_ts(to_timestamp(start), to_timestamp(now))
    running = clock.counting
    label = reason_label(clock.reason)
    when = f"{start:%Y-%m-%d %H:%M} UTC"
    if running:
        explanation = f"running since {when} ({label}): {_duration(worked)} counted so far"
    else:
        explanation = (
            f"paused since {when} ({label}): {_duration(worked)} of working time not counted so far"
        )
    return {
        "start": start,
        "end": None,
        "kind": "running" if running else "paused",
        "reason": clock.reason,
        "counted_seconds": worked if running else 0,
        "paused_working_seconds": 0 if running else worked,
        "explanation": explanation,
    }


def clocks_for(record_type: str, record_id, metrics=None, now: dt.datetime | None = None):
    """The SLA and OLA clocks of one ticket with their ledgers, oldest segment first, the open
    stretch last (three queries). ``metrics``: only the clocks of these metrics (the caller's
    audience: requesters see their service level targets, never the groups' OLA clocks);
    ``now``: the moment of the read."""
    now = now or timezone.now()
    rows = (
        SlaClock.objects.filter(record_type=record_type, record_id=str(record_id))
        .select_related("definition", "ola__group", "calendar")
        .prefetch_related(
            Prefetch("segments", queryset=SlaSegment.objects.order_by("id")),
            Prefetch("calendar__holiday_rows", queryset=CalendarHoliday.objects.order_by("date")),
        )
    )
    if metrics is not None:
        rows = rows.filter(metric__in=list(metrics))
    out = []
    for c in rows:
        ledger = [
            {
                "start": s.start,
                "end": s.end,
                "kind": s.kind,
                "reason": s.reason,
                "counted_seconds": s.counted_seconds,
                "paused_working_seconds": s.paused_working_seconds,
                "explanation": explain(s),
            }
            for s in c.segments.all()
        ]
        current = open_stretch(c, now)
        if current is not None:
            ledger.append(current)
        out.append(
            {
                "id": c.pk,
                "definition": c.agreement.name,
                "metric": c.metric,
                "state": c.state,
                "priority": c.priority,
                "calendar": c.calendar.name,
                "target_seconds": c.target_seconds,
                "started_at": c.started_at,
                "elapsed_seconds": c.elapsed_seconds
                + (current["counted_seconds"] if current else 0),
                "paused_seconds": c.paused_seconds
                + (current["paused_working_seconds"] if current else 0),
                "due_at": c.due_at,
                "breached_at": c.breached_at,
                "stopped_at": c.stopped_at,
                "open": current,
                "ledger": ledger,
            }
        )
    return out
