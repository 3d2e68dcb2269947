"""Read-side helpers of the slm app: a ticket's clocks with their ledgers, in words."""

from __future__ import annotations

from django.db.models import Prefetch

from steward.slm.models import SlaClock, SlaSegment


def _duration(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes = rest // 60
    if hours and minutes:
        return f"{hours} h {minutes} min"
    if hours:
        return f"{hours} h"
    return f"{minutes} min" if minutes else f"{seconds} s"


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


def clocks_for(record_type: str, record_id, metrics=None) -> list[dict]:
    """The SLA and OLA clocks of one ticket with their ledgers, oldest segment first (two
    queries). ``metrics``: only the clocks of these metrics (the caller's audience: requesters
    see their service level targets, never the groups' OLA clocks)."""
    rows = (
        SlaClock.objects.filter(record_type=record_type, record_id=str(record_id))
        .select_related("definition", "ola", "calendar")
        .prefetch_related(Prefetch("segments", queryset=SlaSegment.objects.order_by("id")))
    )
    if metrics is not None:
        rows = rows.filter(metric__in=list(metrics))
    return [
        {
            "id": c.pk,
            "definition": c.agreement.name,
            "metric": c.metric,
            "state": c.state,
            "priority": c.priority,
            "calendar": c.calendar.name,
            "target_seconds": c.target_seconds,
            "started_at": c.started_at,
            "elapsed_seconds": c.elapsed_seconds,
            "paused_seconds": c.paused_seconds,
            "due_at": c.due_at,
            "breached_at": c.breached_at,
            "stopped_at": c.stopped_at,
            "ledger": [
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
            ],
        }
        for c in rows
    ]
