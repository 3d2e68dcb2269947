"""Operations on SLA clocks: practices feed ticket events in, the periodic job checks them.

A practice calls :func:`track` from its own operations whenever a ticket is created or moves
(status category, priority, first response), inside the same transaction; slm never imports
the practice. :func:`track`, :func:`start_ola` and :func:`stop_ola` join the caller's
transaction without a savepoint (a failure fails the caller's change, which is what a clock
that could not follow its ticket must do). :func:`check_clocks` runs every minute: it fires
each warning threshold once per clock, detects breaches, journals both against the ticket and
escalates through the outbox.
"""

from __future__ import annotations

import datetime as dt
import math

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from steward.core import journal
from steward.core.errors import DomainError
from steward.core.texts import Moment, Text
from steward.notifications import operations as notifications
from steward.slm import escalation, mail_events, records
from steward.slm.calendar_math import from_timestamp, to_timestamp
from steward.slm.clock import Clock, Segment
from steward.slm.matching import calendar_for, match_definition
from steward.slm.models import ClockState, Metric, SlaClock, SlaSegment

OPEN, PAUSED, RESOLVED, CANCELLED = "open", "paused", "resolved", "cancelled"
CATEGORIES = (OPEN, PAUSED, RESOLVED, CANCELLED)
BREACH_MARK = 100


# --- rows <-> engine -----------------------------------------------------------------------------


def _ts(value: dt.datetime | None) -> int | None:
    return None if value is None else to_timestamp(value)


def _dt(value: int | None) -> dt.datetime | None:
    return None if value is None else from_timestamp(value)


def _load(row: SlaClock) -> Clock:
    finished = row.state if row.state in (ClockState.MET, ClockState.CANCELLED) else ""
    if row.state == ClockState.BREACHED and row.stopped_at is not None:
        finished = ClockState.BREACHED
    return Clock(
        calendar=row.calendar.as_work_calendar(),
        target=row.target_seconds,
        started=_ts(row.started_at),
        elapsed=row.elapsed_seconds,
        paused_working=row.paused_seconds,
        since=_ts(row.since),
        counting=row.counting,
        reason=row.reason,
        finished=finished,
        breached_at=_ts(row.breached_at),
        stopped_at=_ts(row.stopped_at),
    )


def _next_alert(row: SlaClock, clock: Clock) -> int | None:
    """When the next unfired threshold (or the breach) is reached if the clock keeps running."""
    if clock.stopped or not clock.counting:
        return None
    fired = set(row.thresholds_fired)
    for percent in _checkpoints(row):
        if percent not in fired:
            needed = math.ceil(clock.target * percent / 100) - clock.elapsed
            return clock.calendar.add_ts(clock.since, max(0, needed))
    if BREACH_MARK not in fired:
        return clock.calendar.add_ts(clock.since, max(0, clock.target - clock.elapsed + 1))
    return None


def _store(row: SlaClock, clock: Clock, new_segments: list[Segment]) -> None:
    row.target_seconds = clock.target
    row.started_at = _dt(clock.started)
    row.since = _dt(clock.since)
    row.counting = clock.counting
    row.reason = clock.reason[:200]
    row.elapsed_seconds = clock.elapsed
    row.paused_seconds = clock.paused_working
    row.state = clock.state
    row.due_at = _dt(clock.due_at())
    row.breached_at = _dt(clock.breached_at)
    row.stopped_at = _dt(clock.stopped_at)
    row.next_alert_at = _dt(_next_alert(row, clock))
    row.save()
    SlaSegment.objects.bulk_create(
        [
            SlaSegment(
                clock=row,
                start=_dt(s.start),
                end=_dt(s.end),
                kind=s.kind,
                reason=s.reason[:200],
                counted_seconds=s.counted,
                paused_working_seconds=s.paused_working,
            )
            for s in new_segments
        ]
    )


def _apply(row: SlaClock, change) -> tuple[str, str]:
    """Run ``change(clock)`` on the row's clock and save; returns (state before, after)."""
    clock = _load(row)
    before = clock.state
    mark = len(clock.segments)
    change(clock)
    _store(row, clock, clock.segments[mark:])
    return before, clock.state


# --- tracking ticket events ----------------------------------------------------------------------


def _journal(
    record_type: str,
    record_id: str,
    row: SlaClock,
    action: str,
    changes=None,
    comment: str = "",
    *,
    instance=None,
) -> None:
    """Journal a clock's change on its ticket (``instance``: the ticket in hand, else read)."""
    target = instance
    if target is None:
        tracked = records.get(record_type)
        target = tracked.instance(record_id) if tracked else None
    journal.record(None, target or row, action, changes or {}, comment=comment)


@transaction.atomic(savepoint=False)
def track(
    record_type: str,
    record_id,
    *,
    at: dt.datetime | None = None,
    category: str,
    status: str = "",
    priority: str = "",
    service_id=None,
    organization_id=None,
    responded: bool = False,
    new: bool = False,
    instance=None,
) -> list[SlaClock]:
    """Feed one ticket event to its SLA clocks (creating them on the first event).

    ``category`` is the status category after the event (open, paused, resolved, cancelled),
    ``status`` its label for the ledger; ``responded`` marks the first response (a public reply
    by an agent, or the first move to In Progress); ``new``: the ticket was created in this
    transaction, so it has no clocks to read yet; ``instance``: the ticket in hand, which the
    clocks' journal entries are written on (else it is read).
    """
    if category not in CATEGORIES:
        raise ValueError(f"category must be one of {CATEGORIES}")
    at = at or timezone.now()
    now = to_timestamp(at)
    record_id = str(record_id)
    reason = f"status {status}" if status else category
    rows = (
        []
        if new
        else list(
            SlaClock.objects.select_for_update(of=("self",))
            .filter(record_type=record_type, record_id=record_id)
            .select_related("definition", "ola__group__manager", "calendar")
        )
    )
    if not any(r.definition_id for r in rows) and category not in (RESOLVED, CANCELLED):
        started = _start(
            record_type,
            record_id,
            at,
            category,
            reason,
            priority,
            service_id,
            organization_id,
            responded,
            instance,
        )
        if not rows:
            return started
    new_def = None
    if priority and any(r.priority != priority for r in rows):
        new_def = match_definition(
            record_type, priority=priority, service_id=service_id, organization_id=organization_id
        )
    for row in rows:
        old_priority = row.priority

        def change(clock: Clock, row=row):
            t = _not_before(now, clock)
            if new_def is not None and row.definition_id and row.priority != priority:
                target = new_def.target_for(row.metric)
                if target is not None:
                    clock.retarget(
                        t, target, f"priority changed from {row.priority or '—'} to {priority}"
                    )
                row.priority = priority
            _move(clock, row, t, category, reason, responded)

        before, after = _apply(row, change)
        if before != after:
            _journal(
                record_type,
                record_id,
                row,
                f"sla_{after}",
                {f"{row.agreement.name} {row.metric}": [before, after]},
                instance=instance,
            )
        elif old_priority != row.priority:
            _journal(
                record_type,
                record_id,
                row,
                "sla_retargeted",
                {f"{row.agreement.name} {row.metric} target": [old_priority, row.priority]},
                instance=instance,
            )
    return rows


def _move(
    clock: Clock, row: SlaClock, now: int, category: str, reason: str, responded: bool
) -> None:
    if row.metric == Metric.HANDOVER_ACCEPTANCE:
        if category in (CANCELLED, RESOLVED):
            clock.cancel(now, f"handover moot: {reason}")
        return
    if category == CANCELLED:
        clock.cancel(now, reason)
    elif category == RESOLVED or (row.metric == Metric.RESPONSE and responded):
        clock.stop(now)
    elif clock.stopped:
        if row.metric == Metric.RESOLUTION and clock.finished != ClockState.CANCELLED:
            clock.reopen(now, "reopened", restart=row.agreement.reopen_policy == "restart")
            if category == PAUSED and row.agreement.pause_when_paused:
                clock.pause(now, reason)
    elif category == PAUSED and row.agreement.pause_when_paused:
        if clock.counting:
            clock.pause(now, reason)
        else:
            clock.relabel(now, reason)
    elif not clock.counting:
        clock.resume(now, reason)
    elif clock.reason != reason:
        clock.relabel(now, reason)


def _start(
    record_type,
    record_id,
    at,
    category,
    reason,
    priority,
    service_id,
    organization_id,
    responded,
    instance=None,
) -> list[SlaClock]:
    definition = match_definition(
        record_type, priority=priority, service_id=service_id, organization_id=organization_id
    )
    if definition is None:
        return []
    calendar = calendar_for(definition, service_id)
    work = calendar.as_work_calendar()  # its hours and holidays, read once for both clocks
    created = []
    for metric in (Metric.RESPONSE, Metric.RESOLUTION):
        target = definition.target_for(metric)
        if target is None or (metric == Metric.RESPONSE and responded):
            continue
        row = SlaClock(
            record_type=record_type,
            record_id=record_id,
            definition=definition,
            metric=metric,
            calendar=calendar,
            priority=priority,
            service_id=service_id,
            target_seconds=target,
            started_at=at,
            since=at,
            reason=reason,
        )
        clock = Clock(work, target, to_timestamp(at), reason=reason)
        if category == PAUSED and definition.pause_when_paused:
            clock.pause(to_timestamp(at), reason)
        row.thresholds_fired = []
        _store(row, clock, clock.segments)
        created.append(row)
    if created:
        _journal(
            record_type,
            record_id,
            created[0],
            "sla_started",
            {r.metric: [None, r.due_at.isoformat() if r.due_at else "paused"] for r in created},
            comment=Text(gettext_noop("SLA %(name)s applies"), name=definition.name),
            instance=instance,
        )
    return created


# --- the periodic check ----------------------------------------------------------------------


def check_clocks(now: dt.datetime | None = None, limit: int = 500) -> int:
    """Fire due warnings and breaches (each once per clock); returns how many fired."""
    now = now or timezone.now()
    fired = 0
    ids = list(
        SlaClock.objects.filter(next_alert_at__lte=now)
        .order_by("next_alert_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        with transaction.atomic():
            row = (
                SlaClock.objects.select_for_update(of=("self",))
                .select_related("definition", "ola__group__manager", "calendar")
                .filter(pk=pk, next_alert_at__lte=now)
                .first()
            )
            if row is not None:
                fired += _check_one(row, to_timestamp(now))
    return fired


def _checkpoints(row: SlaClock) -> list[int]:
    """Where the clock must be looked at: warning thresholds and escalation points."""
    return escalation.checkpoints(
        row.agreement.thresholds, row.agreement.escalations_for(row.metric)
    )


def _not_before(t: int, clock: Clock) -> int:
    """An event's time, never before the clock's last event: two transactions may take their
    times in one order and commit in the other (the check's moment, then a ticket's move; or
    an escalation acting as of the check's moment), and a clock never goes back in time."""
    return max(t, clock.since)


def _check_one(row: SlaClock, now: int) -> int:
    clock = _load(row)
    now = _not_before(now, clock)
    mark = len(clock.segments)
    clock.advance(now)
    used = clock.fraction_at(now) * 100
    due = [p for p in _checkpoints(row) if p not in row.thresholds_fired and used >= p]
    breached = clock.breached_at is not None and BREACH_MARK not in row.thresholds_fired
    row.thresholds_fired = sorted(
        {*row.thresholds_fired, *due, *([BREACH_MARK] if breached else [])}
    )
    _store(row, clock, clock.segments[mark:])
    warnings = [p for p in due if p in row.agreement.thresholds]
    for percent in warnings:
        last = percent == max(row.agreement.thresholds)
        _alert(row, records.MANAGER if last else records.WARNING, percent, "sla_warning")
    if breached:
        _alert(row, records.BREACH, None, "sla_breached")
    points = {*due, *([BREACH_MARK] if breached else [])}
    for rule in row.agreement.escalations_for(row.metric):
        if rule["at"] in points:
            _escalate(row, rule)
    return len(warnings) + int(breached)


def _escalate(row: SlaClock, rule: dict) -> None:
    """Apply one escalation rule through the tracked type (the practice's operations), as the
    system, and journal what it did with the rule that made it. A refusal (no next line, a
    handover already pending, already the highest priority) is journaled, never raised: the
    rule has fired, and the clock's check must go on."""
    tracked = records.get(row.record_type)
    instance = tracked.instance(row.record_id) if tracked else None
    if instance is None or tracked.escalate is None:
        return
    words = escalation.describe(rule)
    reason = f"SLA {row.agreement.name}: {words}"
    try:
        with transaction.atomic():
            done = tracked.escalate(
                instance,
                hand_over=rule["hand_over"],
                raise_priority=rule["raise_priority"],
                reason=reason,
            )
    except DomainError as exc:
        done = [f"refused: {exc.message}"]
    journal.record(
        None,
        tracked.instance(row.record_id) or row,
        "sla_escalated",
        {f"{row.agreement.name} {row.metric}": [None, words]},
        comment="; ".join(done) if done else Text(gettext_noop("nothing to do")),
    )


#: a metric as the alerts name it, in the middle of a sentence
METRIC_WORDS = {
    Metric.RESPONSE: gettext_noop("response"),
    Metric.RESOLUTION: gettext_noop("resolution"),
    Metric.HANDOVER_ACCEPTANCE: gettext_noop("handover acceptance"),
    Metric.TIME_WITH_GROUP: gettext_noop("time with group"),
}


def _alert(row: SlaClock, level: str, percent: int | None, action: str) -> None:
    """Journal a warning (``percent`` of the target used) or the breach (``percent`` None) and
    tell the people concerned, each in their own language (page and mail)."""
    tracked = records.get(row.record_type)
    instance = tracked.instance(row.record_id) if tracked else None
    label = (
        tracked.label(instance) if instance is not None else f"{row.record_type} {row.record_id}"
    )
    due = Moment(row.due_at) if row.due_at else "—"
    agreement = row.agreement.name if row.ola_id else f"SLA {row.agreement.name}"
    metric = Text(METRIC_WORDS.get(row.metric, row.metric))
    ola = row.ola_id is not None
    event = mail_events.BREACHED if percent is None else mail_events.WARNING
    if percent is None:
        what = "breached"
        state = Text(gettext_noop("breached"))
        subject = (
            Text(gettext_noop("OLA breached: %(label)s"), label=label)
            if ola
            else Text(gettext_noop("SLA breached: %(label)s"), label=label)
        )
    else:
        what = f"{percent}% used"
        state = Text(gettext_noop("%(percent)s%% used"), percent=percent)
        subject = (
            Text(gettext_noop("OLA %(percent)s%% used: %(label)s"), percent=percent, label=label)
            if ola
            else Text(
                gettext_noop("SLA %(percent)s%% used: %(label)s"), percent=percent, label=label
            )
        )
    text = Text(
        mail_events.ALERT,
        label=label,
        metric=metric,
        agreement=agreement,
        state=state,
        due=due,
    )
    journal.record(
        None,
        instance or row,
        action,
        {f"{row.agreement.name} {row.metric}": [None, what]},
        comment=text,
    )
    if ola:
        manager = row.ola.group.manager
        people = [manager] if manager is not None and manager.is_active else []
        notifications.notify(
            None,
            people,
            subject=subject,
            body=text,
            link=tracked.link(instance) if instance is not None else "",
            record=instance,
            event=event,
        )
    elif instance is not None:
        people = tracked.recipients(instance, level)
        if people:
            notifications.notify(
                None,
                people,
                subject=subject,
                body=text,
                link=tracked.link(instance),
                record=instance,
                event=event,
            )


# --- OLAs: clocks per support group --------------------------------------------------------------


@transaction.atomic(savepoint=False)
def start_ola(
    record_type: str,
    record_id,
    group,
    metric: str,
    *,
    at: dt.datetime | None = None,
    reason: str = "",
    paused: bool = False,
) -> SlaClock | None:
    """Start the group's OLA clock for ``metric`` on a ticket (None if its OLA sets no target).

    Incidents call it when a handover to the group is requested (handover acceptance) and when
    the group takes ownership (time with group).
    """
    from steward.slm.models import GroupCalendar, OlaDefinition

    ola = OlaDefinition.objects.filter(group=group, is_active=True).select_related("group").first()
    target = ola.target_for(metric) if ola else None
    if target is None:
        return None
    at = at or timezone.now()
    link = GroupCalendar.objects.select_related("calendar").filter(group=group).first()
    from steward.slm.models import Calendar

    calendar = link.calendar if link else Calendar.objects.default()
    row = SlaClock(
        record_type=record_type,
        record_id=str(record_id),
        ola=ola,
        metric=metric,
        calendar=calendar,
        target_seconds=target,
        started_at=at,
        since=at,
        reason=reason or metric,
        thresholds_fired=[],
    )
    clock = Clock(calendar.as_work_calendar(), target, to_timestamp(at), reason=row.reason)
    if paused and ola.pause_when_paused:
        clock.pause(to_timestamp(at), reason)
    _store(row, clock, clock.segments)
    _journal(
        record_type,
        str(record_id),
        row,
        "ola_started",
        {f"{ola.name} {metric}": [None, row.due_at.isoformat() if row.due_at else "paused"]},
    )
    return row


@transaction.atomic(savepoint=False)
def stop_ola(
    record_type: str, record_id, group, metric: str, *, at: dt.datetime | None = None
) -> list[SlaClock]:
    """Stop the group's running OLA clocks for ``metric`` (met or breached)."""
    at = at or timezone.now()
    rows = list(
        SlaClock.objects.select_for_update(of=("self",))
        .filter(
            record_type=record_type,
            record_id=str(record_id),
            ola__group=group,
            metric=metric,
            stopped_at__isnull=True,
        )
        .select_related("ola__group__manager", "calendar")
    )
    for row in rows:
        before, after = _apply(row, lambda clock: clock.stop(_not_before(to_timestamp(at), clock)))
        _journal(
            record_type,
            str(record_id),
            row,
            f"ola_{after}",
            {f"{row.agreement.name} {metric}": [before, after]},
        )
    return rows
