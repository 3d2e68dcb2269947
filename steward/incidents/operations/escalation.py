"""Functional escalation of an incident: raise its priority one step, and what an SLA's
escalation rule does to an incident (called by slm through the incident tracked type)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import Conflict, DomainError
from steward.core.operations import full_clean, require
from steward.incidents import sla
from steward.incidents.choices import HandoverStatus
from steward.incidents.models import Handover, Incident
from steward.incidents.operations.common import invalid, locked, require_not_final
from steward.incidents.operations.handovers import hand_over
from steward.incidents.operations.reference_data import priority_for
from steward.people.models import SupportGroup
from steward.services.choices import SupportLine
from steward.services.models import ServiceSupport

#: Support lines in the order work escalates through them.
LINES = (SupportLine.FIRST, SupportLine.SECOND, SupportLine.THIRD)


@transaction.atomic
def raise_priority(actor, incident: Incident, *, reason: str, version: int | None = None):
    """Raise the incident's priority one step (P3 -> P2), journaled with the reason. A
    priority above the matrix's stays marked as overridden; P1 cannot be raised."""
    require(actor, "change", incident)
    locked(incident)
    require_not_final(incident)
    reason = (reason or "").strip()
    if not reason:
        raise invalid(
            "reason",
            _("Say why the priority goes up."),
            "required: say why the priority goes up",
        )
    if incident.priority <= 1:
        raise Conflict(
            _("%(number)s is already P1: its priority cannot go higher.")
            % {"number": incident.number},
            {"priority": ["is already P1"]},
        )
    before = incident.priority
    incident.priority = before - 1
    incident.priority_overridden = incident.priority != priority_for(
        incident.impact, incident.urgency
    )
    full_clean(incident)
    save_versioned(incident, version, ["priority", "priority_overridden"])
    journal.record(
        actor, incident, "priority_raised", {"priority": [before, incident.priority]}, reason
    )
    sla.feed(incident)
    return incident


def next_support_line(incident: Incident) -> SupportGroup | None:
    """The group of the service's next support line after the owning group's (the first line
    when the owning group supports the service at no line); None at the last line."""
    if incident.service_id is None:
        return None
    rows = list(
        ServiceSupport.objects.filter(service_id=incident.service_id, group__is_active=True)
        .select_related("group")
        .order_by("group__name")
    )
    current = max(
        (LINES.index(r.line) for r in rows if r.group_id == incident.owning_group_id), default=-1
    )
    for line in LINES[current + 1 :]:
        for r in rows:
            if r.line == line and r.group_id != incident.owning_group_id:
                return r.group
    return None


def escalate(incident: Incident, *, handover: bool, priority: bool, reason: str) -> list[str]:
    """What an SLA escalation rule does to an incident, as the system: raise its priority one
    step and/or hand it over to the service's next support line (a formal handover waiting for
    acceptance), each with ``reason`` (the rule). Returns what was done, in words; a step that
    cannot be done (already P1, no next line, a handover already pending) is said, not raised."""
    done: list[str] = []
    if priority:
        try:
            with transaction.atomic():
                before = incident.priority
                raise_priority(None, incident, reason=reason)
                done.append(f"priority raised from P{before} to P{incident.priority}")
        except DomainError as exc:
            done.append(f"priority not raised: {exc.message}")
    if handover:
        target = next_support_line(incident)
        pending = Handover.objects.filter(incident=incident, status=HandoverStatus.PENDING)
        if target is None:
            done.append("not handed over: the service has no next support line")
        elif pending.exists():
            done.append("not handed over: a handover is already waiting for acceptance")
        else:
            try:
                with transaction.atomic():
                    hand_over(None, incident, to_group=target, reason=reason)
                    done.append(f"handed over to {target.name} (waiting for acceptance)")
            except DomainError as exc:
                done.append(f"not handed over: {exc.message}")
    return done
