"""The records a message can reach, and how: found by number or id, who takes part in them,
and the operations that add a reply or a file. Incidents and requested items
(``TARGETS`` lists them by the number's prefix); a new message always opens an incident."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from steward.fulfilment import operations as fulfilment_ops
from steward.fulfilment.choices import RequestCommentVisibility as ItemVisibility
from steward.fulfilment.models import RequestedItem
from steward.incidents import operations as incident_ops
from steward.incidents.choices import Level, Visibility
from steward.incidents.models import Incident, Watcher

#: A ticket's number in a subject: "[INC0001234]".
TOKEN = re.compile(r"\[([A-Z]{2,6}\d{4,12})\]")


@dataclass(frozen=True)
class Target:
    record_type: str
    prefix: str
    by_number: Callable  # (number) -> instance | None
    by_id: Callable  # (pk) -> instance | None
    participant: Callable  # (user, instance) -> bool
    reply: Callable  # (user, instance, body) -> None
    attach: Callable  # (user, instance, upload) -> None
    open_new: Callable  # (mailbox, user, subject, body) -> instance
    label: Callable  # (instance) -> str


def _incident_participant(user, incident: Incident) -> bool:
    """The caller, a watcher, or IT staff (who work incidents)."""
    if not user.is_active:
        return False
    if user.is_it or incident.caller_id == user.pk:
        return True
    return Watcher.objects.filter(incident=incident, user=user).exists()


def _incident_reply(user, incident: Incident, body: str) -> None:
    incident_ops.add_comment(user, incident, body=body, visibility=Visibility.PUBLIC)


def _incident_attach(user, incident: Incident, upload: SimpleUploadedFile) -> None:
    incident_ops.add_attachment(user, incident, upload, visibility=Visibility.PUBLIC)


def _incident_open(mailbox, user, subject: str, body: str) -> Incident:
    # As the system: the mailbox routes it (a requester may not choose a group); the caller
    # is the sender, and the journal says it came by mail.
    return incident_ops.open_incident(
        None,
        title=subject[:200] or "(no subject)",
        description=body,
        caller=user,
        impact=Level.LOW,
        urgency=Level.LOW,
        service=mailbox.default_service,
        owning_group=mailbox.default_group,
    )


INCIDENTS = Target(
    record_type="incidents.incident",
    prefix="INC",
    by_number=lambda number: Incident.objects.filter(number=number).first(),
    by_id=lambda pk: Incident.objects.filter(pk=pk).first(),
    participant=_incident_participant,
    reply=_incident_reply,
    attach=_incident_attach,
    open_new=_incident_open,
    label=lambda incident: incident.number,
)


def _item_participant(user, item) -> bool:
    """The person it is for, who ordered it, or IT staff."""
    if not user.is_active:
        return False
    return user.is_it or user.pk in (item.requested_for_id, item.opened_by_id)


def _item_reply(user, item, body: str) -> None:
    fulfilment_ops.add_comment(user, item, body=body, visibility=ItemVisibility.PUBLIC)


def _item_attach(user, item, upload: SimpleUploadedFile) -> None:
    fulfilment_ops.add_attachment(user, item, upload, visibility=ItemVisibility.PUBLIC)


REQUESTED_ITEMS = Target(
    record_type="fulfilment.requesteditem",
    prefix="RITM",
    by_number=lambda number: RequestedItem.objects.filter(number=number).first(),
    by_id=lambda pk: RequestedItem.objects.filter(pk=pk).first(),
    participant=_item_participant,
    reply=_item_reply,
    attach=_item_attach,
    open_new=_incident_open,
    label=lambda item: item.number,
)

TARGETS: dict[str, Target] = {
    REQUESTED_ITEMS.prefix: REQUESTED_ITEMS,  # "RITM" before "INC": the longer prefix first
    INCIDENTS.prefix: INCIDENTS,
}
BY_TYPE: dict[str, Target] = {t.record_type: t for t in TARGETS.values()}


def from_subject(subject: str):
    """``(target, instance)`` for the first ticket token in the subject, or None."""
    for number in TOKEN.findall(subject or ""):
        target = next((t for p, t in TARGETS.items() if number.startswith(p)), None)
        if target is not None:
            instance = target.by_number(number)
            if instance is not None:
                return target, instance
    return None


def from_record(record_type: str, record_id: str):
    target = BY_TYPE.get(record_type)
    if target is None or not str(record_id).isdigit():
        return None
    instance = target.by_id(int(record_id))
    return (target, instance) if instance is not None else None
