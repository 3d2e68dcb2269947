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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from steward.slm.calendar_math import to_timestamp
from steward.slm.models import CalendarHoliday, SlaClock, SlaSegment

STATUS_PREFIX = "status "


def _duration(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes = rest // 60
    if hours and minutes:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
    if hours:
        return _("%(value)s h") % {"value": hours}
    if minutes:
        return _("%(minutes)s min") % {"minutes": minutes}
    return _("%(seconds)s s") % {"seconds": seconds}


#: the reasons the clock itself writes, said in the reader's language when read
_REASONS = {
    "holiday": gettext_noop("holiday"),
    "outside working hours": gettext_noop("outside working hours"),
    "cancelled": gettext_noop("cancelled"),
}
_EVENTS = {
    ": clock restarted": gettext_noop("%(reason)s: clock restarted"),
    ": clock continues": gettext_noop("%(reason)s: clock continues"),
}


def reason_label(reason: str) -> str:
    """A stretch's reason as people read it, in their language where the words are known to a
    catalogue (a status's label, the clock's own reasons): "status In progress" -> "In
    progress" ("In behandeling" for a Dutch reader)."""
    label = reason[len(STATUS_PREFIX) :] if reason.startswith(STATUS_PREFIX) else reason
    if not label:
        return label
    return _(_REASONS.get(label, label))


def _event(reason: str) -> str:
    for suffix, sentence in _EVENTS.items():
        if reason.endswith(suffix):
            return _(sentence) % {"reason": reason_label(reason.removesuffix(suffix))}
    return reason_label(reason)


def explain(segment: SlaSegment) -> str:
    """One ledger line as a sentence, in the reader's language."""
    reason = reason_label(segment.reason)
    if segment.kind == "running":
        return _("counted %(duration)s (%(reason)s)") % {
            "duration": _duration(segment.counted_seconds),
            "reason": reason,
        }
    if segment.kind == "paused":
        return _("paused (%(reason)s): %(duration)s of working time not counted") % {
            "reason": reason,
            "duration": _duration(segment.paused_working_seconds),
        }
    if segment.kind == "not_working":
        return _("not counted: %(reason)s") % {"reason": reason}
    return _event(segment.reason)


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
    values = {"when": when, "reason": label, "duration": _duration(worked)}
    if running:
        explanation = _("running since %(when)s (%(reason)s): %(duration)s counted so far") % values
    else:
        explanation = (
            _("paused since %(when)s (%(reason)s): %(duration)s of working time not counted so far")
            % values
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
