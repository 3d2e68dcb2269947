"""Formal handovers between groups: request, accept, reject, cancel; overdue handovers."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
)
from steward.core.operations import full_clean, require
from steward.core.texts import Text
from steward.incidents import mail_events, rules, sla
from steward.incidents.choices import (
    ACTIVE_STATUSES,
    HandoverStatus,
)
from steward.incidents.models import (
    Handover,
    Incident,
)
from steward.incidents.operations.common import invalid, link, locked, touch
from steward.notifications.operations import notify
from steward.people.models import SupportGroup

# --- handovers --------------------------------------------------------------------------------


@transaction.atomic
def hand_over(
    actor, incident: Incident, *, to_group: SupportGroup, reason: str, note: str = ""
) -> Handover:
    """Ask ``to_group`` to take the incident. Ownership stays with the sender until accepted."""
    require(actor, "change", incident)
    locked(incident)
    if incident.status not in ACTIVE_STATUSES:
        raise Conflict(
            _("%(number)s is %(status)s: only open incidents can be handed over.")
            % {"number": incident.number, "status": incident.get_status_display().lower()},
            {"incident": [f"is {incident.status}"]},
        )
    if to_group.pk == incident.owning_group_id:
        raise invalid(
            "to_group",
            _(
                "%(group)s already owns the incident: to give it to one of its members, assign "
                "it instead."
            )
            % {"group": to_group.name},
            "is already the owning group: assigning within a group is not a handover",
        )
    if not to_group.is_active:
        raise invalid(
            "to_group",
            _("%(group)s is no longer active: choose another group.") % {"group": to_group.name},
            f"group {to_group.name!r} is inactive",
        )
    if not (reason or "").strip():
        raise invalid("reason", _("Say why the other group should take the incident."), "required")
    pending = Handover.objects.filter(incident=incident, status=HandoverStatus.PENDING).first()
    if pending:
        raise Conflict(
            _(
                "%(number)s already has a pending handover (#%(handover)s) to %(group)s; it "
                "must be accepted, rejected or cancelled first."
            )
            % {"number": incident.number, "handover": pending.pk, "group": pending.to_group.name},
            {"to_group": [f"handover #{pending.pk} is still pending"]},
        )
    handover = Handover(
        incident=incident,
        from_group=incident.owning_group,
        to_group=to_group,
        reason=reason.strip(),
        note=(note or "").strip(),
        requested_by=actor if getattr(actor, "pk", None) else None,
    )
    full_clean(handover, exclude=["incident", "from_group", "to_group"])
    try:
        with transaction.atomic():
            handover.save()
    except IntegrityError as exc:
        raise Conflict(
            _("%(number)s already has a pending handover.") % {"number": incident.number},
            {"to_group": ["another handover is pending"]},
        ) from exc
    journal.record(
        actor,
        incident,
        "handover_requested",
        {"to_group": [None, to_group]},
        comment=(
            Text(
                gettext_noop("Reason: %(reason)s — already tried: %(note)s"),
                reason=handover.reason,
                note=handover.note,
            )
            if handover.note
            else Text(gettext_noop("Reason: %(reason)s"), reason=handover.reason)
        ),
    )
    notify(  # one in-app row for the receiving group, one for its manager if not a member
        actor,
        [to_group.manager] if to_group.manager else [],
        group=to_group,
        subject=Text(
            mail_events.HANDOVER_SUBJECT,
            group=to_group.name,
            number=incident.number,
            title=incident.title,
        ),
        body=Text(
            mail_events.HANDOVER_BODY,
            from_group=handover.from_group.name,
            reason=handover.reason,
            note=handover.note,
        ),
        link=link(incident),
        record=incident,
        event=mail_events.HANDOVER_PENDING,
    )
    sla.handover_requested(incident, to_group)
    touch(incident)
    return handover


def _pending(handover: Handover) -> Handover:
    fresh = Handover.objects.select_for_update().filter(pk=handover.pk).first()
    if fresh is None:
        raise NotFound(_("Handover not found."))
    if fresh.status != HandoverStatus.PENDING:
        raise Conflict(
            _("Handover #%(handover)s is already %(status)s.")
            % {"handover": fresh.pk, "status": fresh.get_status_display().lower()},
            {"status": [f"is {fresh.status}, not pending"]},
        )
    return fresh


#: Why someone outside the receiving group is refused, per decision.
RECEIVER_ONLY = {
    "accept": gettext_noop("Only members of %(group)s may accept this handover."),
    "reject": gettext_noop("Only members of %(group)s may reject this handover."),
}


def _require_receiver(actor, handover: Handover, what: str) -> None:
    if actor is None:
        return
    if not actor.is_it:
        raise NotFound(_("Handover not found."))
    if not rules.may_receive(actor, handover):
        raise PermissionDenied(_(RECEIVER_ONLY[what]) % {"group": handover.to_group.name})


@transaction.atomic
def accept_handover(actor, handover: Handover, *, take_assignment: bool = False) -> Handover:
    """A member of the receiving group accepts: ownership moves, and the acceptor may take the
    assignment."""
    handover = _pending(handover)
    _require_receiver(actor, handover, "accept")
    incident = locked(handover.incident)
    if incident.status not in ACTIVE_STATUSES:
        raise Conflict(
            _("%(number)s is %(status)s; the handover can only be cancelled.")
            % {"number": incident.number, "status": incident.get_status_display().lower()},
            {"status": [f"incident is {incident.status}"]},
        )
    now = timezone.now()
    before = journal.snapshot(incident, ["owning_group", "assignee"])
    incident.owning_group = handover.to_group
    if take_assignment:
        if actor is None:
            raise invalid(
                "take_assignment",
                _("The system cannot take assignments."),
                "the system cannot take assignments",
            )
        if not handover.to_group.members.filter(pk=actor.pk).exists():
            raise invalid(
                "take_assignment",
                _("You are not a member of %(group)s: accept without taking it.")
                % {"group": handover.to_group.name},
                f"you are not a member of {handover.to_group.name}",
            )
        incident.assignee = actor
    else:
        incident.assignee = None
    save_versioned(incident, None, ["owning_group", "assignee"])
    Handover.objects.filter(pk=handover.pk).update(
        status=HandoverStatus.ACCEPTED, decided_by=actor, decided_at=now
    )
    handover.status, handover.decided_by, handover.decided_at = HandoverStatus.ACCEPTED, actor, now
    journal.record(actor, handover, "accepted", {"status": ["pending", "accepted"]})
    journal.record(
        actor,
        incident,
        "handover_accepted",
        journal.diff(before, journal.snapshot(incident, ["owning_group", "assignee"])),
        comment=Text(
            gettext_noop("Handover from %(group)s accepted"), group=handover.from_group.name
        ),
    )
    recipients = [u for u in (handover.requested_by,) if u is not None]
    notify(
        actor,
        recipients,
        subject=Text(
            gettext_noop("%(group)s accepted %(number)s: %(title)s"),
            group=handover.to_group.name,
            number=incident.number,
            title=incident.title,
        ),
        body=(
            Text(gettext_noop("Accepted by %(name)s."), name=actor.display_name)
            if actor
            else Text(gettext_noop("Accepted automatically."))
        ),
        link=link(incident),
        record=incident,
    )
    sla.handover_decided(incident, handover.to_group)
    sla.group_released(incident, handover.from_group)
    sla.group_took_ownership(incident, handover.to_group)
    return handover


@transaction.atomic
def reject_handover(actor, handover: Handover, *, reason: str) -> Handover:
    """A member of the receiving group rejects with a reason; the sender is told why."""
    handover = _pending(handover)
    _require_receiver(actor, handover, "reject")
    if not (reason or "").strip():
        raise invalid(
            "reason",
            _("Say why you reject the handover: the sending group is told."),
            "required: tell the sending group why",
        )
    now = timezone.now()
    Handover.objects.filter(pk=handover.pk).update(
        status=HandoverStatus.REJECTED,
        decided_by=actor,
        decided_at=now,
        rejection_reason=reason.strip(),
    )
    handover.status, handover.decided_by, handover.decided_at = HandoverStatus.REJECTED, actor, now
    handover.rejection_reason = reason.strip()
    journal.record(actor, handover, "rejected", {"status": ["pending", "rejected"]}, reason)
    incident = handover.incident
    journal.record(
        actor,
        incident,
        "handover_rejected",
        {"to_group": [handover.to_group, None]},
        comment=Text(
            gettext_noop("Rejected by %(group)s: %(reason)s"),
            group=handover.to_group.name,
            reason=handover.rejection_reason,
        ),
    )
    recipients = []
    if handover.requested_by:
        recipients.append(handover.requested_by)
    if handover.from_group.manager:
        recipients.append(handover.from_group.manager)
    notify(
        actor,
        recipients,
        subject=Text(
            gettext_noop("%(group)s rejected %(number)s: %(title)s"),
            group=handover.to_group.name,
            number=incident.number,
            title=incident.title,
        ),
        body=Text(gettext_noop("Reason: %(reason)s"), reason=handover.rejection_reason),
        link=link(incident),
        record=incident,
    )
    sla.handover_decided(handover.incident, handover.to_group)
    touch(incident)
    return handover


@transaction.atomic
def cancel_handover(actor, handover: Handover) -> Handover:
    """The sender withdraws a pending handover."""
    handover = _pending(handover)
    if actor is not None:
        if not actor.is_it:
            raise NotFound(_("Handover not found."))
        if not rules.may_cancel_handover(actor, handover):
            raise PermissionDenied(
                _("Only the requester or members of %(group)s may cancel it.")
                % {"group": handover.from_group.name}
            )
    now = timezone.now()
    Handover.objects.filter(pk=handover.pk).update(
        status=HandoverStatus.CANCELLED, decided_by=actor, decided_at=now
    )
    handover.status, handover.decided_by, handover.decided_at = HandoverStatus.CANCELLED, actor, now
    journal.record(actor, handover, "cancelled", {"status": ["pending", "cancelled"]})
    journal.record(
        actor,
        handover.incident,
        "handover_cancelled",
        {"to_group": [handover.to_group, None]},
        comment=Text(gettext_noop("Handover withdrawn")),
    )
    sla.handover_decided(handover.incident, handover.to_group)
    touch(handover.incident)
    return handover


def overdue_handovers(now=None) -> list[Handover]:
    """Pending handovers past the receiving group's acceptance target (the OLA's, in business
    time, where the group has one; else the default target)."""
    now = now or timezone.now()
    pending = list(
        Handover.objects.filter(status=HandoverStatus.PENDING)
        .select_related("incident", "to_group__manager", "from_group")
        .order_by("created_at")
    )
    due = sla.acceptance_due(pending)
    return [h for h in pending if now > due[h.pk][0]]


@transaction.atomic
def notify_overdue_handovers(now=None) -> int:
    """Tell each receiving group's manager (or, without one, its members) once about each
    handover past target. Idempotent: a handover already notified is skipped."""
    now = now or timezone.now()
    told = 0
    overdue = overdue_handovers(now)
    kept_by_ola = {pk for pk, (_, ola) in sla.acceptance_due(overdue).items() if ola}
    for h in overdue:
        if h.pk in kept_by_ola:
            continue  # slm escalates OLA breaches (once, to the manager) in business time
        claimed = Handover.objects.filter(pk=h.pk, overdue_notified_at__isnull=True).update(
            overdue_notified_at=now
        )
        if not claimed:
            continue
        group = h.to_group
        notify(  # the manager, or without one the group (one in-app row for its members)
            None,
            [group.manager] if group.manager else [],
            group=None if group.manager else group,
            subject=Text(
                gettext_noop("Handover waiting: %(number)s to %(group)s is past its target"),
                number=h.incident.number,
                group=group.name,
            ),
            body=Text(
                gettext_noop("From %(group)s, requested %(at)s UTC: %(reason)s"),
                group=h.from_group.name,
                at=f"{h.created_at:%Y-%m-%d %H:%M}",
                reason=h.reason,
            ),
            link=link(h.incident),
            record=h.incident,
        )
        journal.record(None, h, "overdue_notified", {"overdue_notified_at": [None, now]})
        told += 1
    return told
