"""The bridge from incidents to service level management: every move of an incident is fed
to its SLA clocks, and handovers start and stop the groups' OLA clocks (``steward.slm``).

Called from the incident operations inside their transaction; slm never imports incidents.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from steward.incidents.choices import HandoverStatus, Status, status_category
from steward.incidents.models import Handover, Incident, incident_url
from steward.ownership import gaps
from steward.slm import operations as slm
from steward.slm import records
from steward.slm.models import SlaClock
from steward.slm.queries import clocks_for, reason_label

RECORD_TYPE = "incident"
ACCEPTANCE = "handover_acceptance"
WITH_GROUP = "time_with_group"


def _status_label(incident: Incident) -> str:
    label = incident.get_status_display()
    if incident.status == Status.ON_HOLD and incident.hold_reason:
        label += f": {incident.get_hold_reason_display().lower()}"
    return label


def feed(incident: Incident, *, responded: bool = False, new: bool = False) -> None:
    """Tell the SLA clocks where the incident stands now (``new``: raised in this transaction)."""
    category = (
        "cancelled" if incident.status == Status.CANCELLED else status_category(incident.status)
    )
    slm.track(
        RECORD_TYPE,
        incident.pk,
        category=str(category),
        status=_status_label(incident),
        priority=f"P{incident.priority}",
        service_id=incident.service_id,
        organization_id=incident.organization_id,
        responded=responded,
        new=new,
        instance=incident,
    )


def group_took_ownership(incident: Incident, group) -> None:
    slm.start_ola(
        RECORD_TYPE,
        incident.pk,
        group,
        WITH_GROUP,
        reason=f"owned by {group.name}",
        paused=status_category(incident.status) == "paused",
    )


def group_released(incident: Incident, group) -> None:
    slm.stop_ola(RECORD_TYPE, incident.pk, group, WITH_GROUP)


def handover_requested(incident: Incident, to_group) -> None:
    slm.start_ola(
        RECORD_TYPE,
        incident.pk,
        to_group,
        ACCEPTANCE,
        reason=f"handover to {to_group.name} waiting",
    )


def handover_decided(incident: Incident, to_group) -> None:
    slm.stop_ola(RECORD_TYPE, incident.pk, to_group, ACCEPTANCE)


# --- what slm needs to know about an incident -------------------------------------------------


def _instance(record_id):
    return (
        Incident.objects.select_related("owning_group__manager", "assignee", "service__owner")
        .filter(pk=record_id)
        .first()
    )


def _recipients(incident: Incident, level: str) -> list:
    group = incident.owning_group
    manager = group.manager if group and group.manager and group.manager.is_active else None
    if level == records.WARNING:
        if incident.assignee_id:
            return [incident.assignee]
        return list(group.members.filter(is_active=True)) if group else []
    people = [manager] if manager else []
    if level == records.BREACH and incident.service_id and incident.service.owner.is_active:
        people.append(incident.service.owner)
    return people


def _escalate(incident: Incident, *, hand_over: bool, raise_priority: bool, reason: str):
    """An SLA escalation rule fired: move the work through the incident operations (imported
    here because the operations import this module)."""
    from steward.incidents.operations.escalation import escalate

    return escalate(incident, handover=hand_over, priority=raise_priority, reason=reason)


#: How slm reaches an incident (declared in the incidents practice, apps.py).
TRACKED_TYPE = records.TrackedType(
    key=RECORD_TYPE,
    instance=_instance,
    label=lambda i: f"{i.number} {i.title}",
    link=Incident.get_absolute_url,
    recipients=_recipients,
    escalate=_escalate,
)


_BADGES = {
    "running": "blue",
    "paused": "grey",
    "met": "green",
    "breached": "red",
    "cancelled": "grey",
}
_METRICS = {
    "response": "Response",
    "resolution": "Resolution",
    "handover_acceptance": "Handover acceptance",
    "time_with_group": "Time with group",
}


def _open_text(stretch: dict | None) -> str:
    """The open stretch in words, at the reader's local time: "running since 10:42 (In
    progress)", "paused since 11:03 (On hold: awaiting caller)"."""
    if stretch is None:
        return ""
    start = timezone.localtime(stretch["start"])
    today = timezone.localdate()
    since = date_format(start, "H:i" if start.date() == today else "j M H:i")
    values = {"time": since, "reason": reason_label(stretch["reason"])}
    if stretch["kind"] == "running":
        return _("running since %(time)s (%(reason)s)") % values
    return _("paused since %(time)s (%(reason)s)") % values


def clocks_for_page(incident: Incident, metrics=None) -> list[dict]:
    """The clocks as the incident page shows them: state badge, share of the target used.
    ``metrics``: only these (a requester's page shows their SLA's, not the groups' OLAs)."""
    rows = clocks_for(RECORD_TYPE, incident.pk, metrics)
    for c in rows:
        c["badge"] = _BADGES.get(c["state"], "grey")
        c["open_text"] = _open_text(c["open"])
        c["metric_label"] = _METRICS.get(c["metric"], c["metric"])
        c["used"] = (
            f"{round(100 * c['elapsed_seconds'] / c['target_seconds'])}%"
            if c["target_seconds"]
            else "—"
        )
    return rows


#: A group without an OLA acceptance target accepts within this (on the 24x7 calendar).
DEFAULT_ACCEPTANCE = timedelta(minutes=30)


def acceptance_due(handovers) -> dict[int, tuple[datetime, bool]]:
    """When each pending handover must be accepted, and whether an OLA clock keeps that time.

    With an OLA acceptance target the due time is its clock's, in business time on the receiving
    group's calendar (slm escalates it); without one the default target applies from the
    request. One query for any number of handovers.
    """
    handovers = list(handovers)
    if not handovers:
        return {}
    clocks = {
        (int(record_id), group_id): due
        for record_id, group_id, due in SlaClock.objects.filter(
            record_type=RECORD_TYPE,
            metric=ACCEPTANCE,
            stopped_at__isnull=True,
            record_id__in={str(h.incident_id) for h in handovers},
        ).values_list("record_id", "ola__group_id", "due_at")
    }
    out = {}
    for h in handovers:
        key = (h.incident_id, h.to_group_id)
        if key in clocks and clocks[key] is not None:
            out[h.pk] = (clocks[key], True)
        else:
            out[h.pk] = (h.created_at + DEFAULT_ACCEPTANCE, False)
    return out


def overdue_handover_gaps() -> list[dict]:
    """Ownership gaps: handovers waiting past their acceptance target (the receiving group's
    manager should make the group decide)."""
    pending = list(
        Handover.objects.filter(status=HandoverStatus.PENDING)
        .select_related("incident", "to_group__manager")
        .order_by("created_at")
    )
    due = acceptance_due(pending)
    now = timezone.now()
    out = []
    for h in pending:
        if now <= due[h.pk][0]:
            continue
        manager = h.to_group.manager
        fixer = (
            gaps.person(manager) if manager and manager.is_active else gaps.group_fixer(h.to_group)
        )
        out.append(
            gaps.gap(
                "handover_overdue",
                "handover",
                h,
                f"{h.incident.number} waits for {h.to_group.name} to accept or reject it since "
                f"{h.created_at:%Y-%m-%d %H:%M} UTC: nobody owns the next step",
                fixer,
                incident_url(h.incident.number),
            )
        )
    return out


#: The incidents' ownership gaps (declared in the incidents practice, apps.py).
GAP_PROVIDERS = (
    gaps.GapProvider(
        "handover_overdue",
        "Handovers past their acceptance target",
        overdue_handover_gaps,
        order=80,
    ),
)
