"""A record's status said in a requester's words, with a tone for its colour: ``open``
(someone works on it), ``you`` (the next step is the requester's), ``done``, ``stopped``,
``refused``. The practices' own status names are the staff's vocabulary ("On hold", "Awaiting
approval"); these say what the requester needs to know."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from steward.approvals.choices import State
from steward.fulfilment.choices import FulfilmentTaskStatus as Task
from steward.fulfilment.choices import RequestedItemStatus as Item
from steward.incidents.choices import HoldReason, Status


@dataclass(frozen=True)
class StatusWord:
    text: str
    tone: str


INCIDENT_WORDS = {
    Status.NEW: StatusWord(_("Received"), "open"),
    Status.IN_PROGRESS: StatusWord(_("Being worked on"), "open"),
    Status.ON_HOLD: StatusWord(_("On hold"), "open"),
    Status.RESOLVED: StatusWord(_("Solved"), "done"),
    Status.CLOSED: StatusWord(_("Closed"), "done"),
    Status.CANCELLED: StatusWord(_("Cancelled"), "stopped"),
}

#: an incident on hold waiting for the caller: their move
WAITING_FOR_YOU = StatusWord(_("Waiting for you"), "you")

ITEM_WORDS = {
    Item.AWAITING_APPROVAL: StatusWord(_("Waiting for approval"), "open"),
    Item.APPROVED: StatusWord(_("Approved"), "open"),
    Item.IN_PROGRESS: StatusWord(_("Being prepared"), "open"),
    Item.FULFILLED: StatusWord(_("Delivered"), "done"),
    Item.CLOSED: StatusWord(_("Closed"), "done"),
    Item.REJECTED: StatusWord(_("Not approved"), "refused"),
    Item.CANCELLED: StatusWord(_("Cancelled"), "stopped"),
}


def incident_word(incident) -> StatusWord:
    if incident.status == Status.ON_HOLD and incident.hold_reason == HoldReason.AWAITING_CALLER:
        return WAITING_FOR_YOU
    return INCIDENT_WORDS.get(incident.status, StatusWord(incident.status, "open"))


def item_word(item) -> StatusWord:
    return ITEM_WORDS.get(item.status, StatusWord(item.status, "open"))


#: the badge colour of an approval step's state and of a fulfilment task's status
STEP_TONES = {State.APPROVED: "done", State.REJECTED: "refused", State.PENDING: "open"}
TASK_TONES = {
    Task.CLOSED_COMPLETE: "done",
    Task.OPEN: "open",
    Task.IN_PROGRESS: "open",
    Task.CLOSED_INCOMPLETE: "refused",
}


def step_word(step) -> StatusWord:
    return StatusWord(step.get_state_display(), STEP_TONES.get(step.state, "stopped"))


def task_word(task) -> StatusWord:
    return StatusWord(task.get_status_display(), TASK_TONES.get(task.status, "stopped"))


def awaits_approval(item) -> bool:
    return item.status == Item.AWAITING_APPROVAL
