"""Who may do what to an incident: the one place that answers it.

The operations enforce these rules (each refusal keeps the message people see); the pages and
their templates ask :func:`allowed_actions` which buttons and fields to show, and
:func:`transition_buttons` how to label the lifecycle buttons. Role names live here and in
``people.choices``; statuses in ``choices.py`` and ``workflow.py``. ``user`` ``None`` is the
system itself (commands, jobs, importers), which may do everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from steward.incidents.choices import ACTIVE_STATUSES, FINAL_STATUSES, Status, Visibility
from steward.incidents.workflow import INCIDENT, REOPEN
from steward.people.choices import Role

#: Who declares a major incident and leads it (updates, review).
MAJOR_ROLES = frozenset({Role.GROUP_MANAGER, Role.ADMIN})
#: Who the page offers as a major incident's manager.
MAJOR_MANAGER_ROLES = frozenset({Role.AGENT, Role.GROUP_MANAGER, Role.ADMIN})


def is_staff(user) -> bool:
    """IT staff (every role but requester) work incidents; requesters follow their own."""
    return user is None or user.is_it


def in_group(user, group) -> bool:
    """A member or the manager of ``group``: who receives its handovers and takes its work."""
    if user is None:
        return True
    return group.manager_id == user.pk or group.members.filter(pk=user.pk, is_active=True).exists()


def may_be_assignee(user, group) -> bool:
    """Incidents are assigned to members of their owning group (its manager only if a member)."""
    return group.members.filter(pk=user.pk).exists()


def may_cancel(user, incident) -> bool:
    """Cancelling says the incident was never one to work: the owning group's members and
    manager decide it, and administrators. Other IT staff (another group's agent, a service
    owner in no group) do not."""
    if user is None or user.is_admin:
        return True
    return user.is_it and in_group(user, incident.owning_group)


def may_transition(user, incident, to: str) -> bool:
    """Staff move an incident along any allowed transition (cancelling: see
    :func:`may_cancel`); a caller only reopens their own resolved incident."""
    if not INCIDENT.can(incident.status, to):
        return False
    if to == Status.CANCELLED:
        return may_cancel(user, incident)
    if is_staff(user):
        return True
    return (incident.status, to) == REOPEN and incident.caller_id == user.pk


def may_reopen(user, incident) -> bool:
    return may_transition(user, incident, Status.IN_PROGRESS) and incident.status == Status.RESOLVED


def reply_reopens(user, incident) -> bool:
    """A reply from the caller on a resolved incident reopens it: they are saying it is not
    solved (a caller who agrees has nothing to do: it closes by itself)."""
    return user is not None and not user.is_it and may_reopen(user, incident)


def may_edit(user, incident) -> bool:
    """Edit the record's fields (title, description, levels, category, service, CI): staff,
    while it is not closed or cancelled."""
    return is_staff(user) and incident.status not in FINAL_STATUSES


def may_manage_canned_reply(user, reply) -> bool:
    """A personal saved reply is its owner's; a group's, its manager's and administrators'."""
    if user is None or user.is_admin:
        return True
    if reply.owner_id is not None:
        return reply.owner_id == user.pk
    return reply.group is not None and reply.group.manager_id == user.pk


def may_raise_for(user, caller) -> bool:
    """Staff raise incidents for anyone; a requester only for themselves."""
    return is_staff(user) or caller.pk == user.pk


def may_route(user) -> bool:
    """Choosing the owning group or the parent at creation: staff only."""
    return is_staff(user)


def may_write(user, visibility: str) -> bool:
    """Comments and attachments: staff write internal or public ones, requesters public only."""
    return is_staff(user) or visibility == Visibility.PUBLIC


def may_record_time(user) -> bool:
    return is_staff(user)


def may_watch(user, watcher) -> bool:
    """Staff add or remove anyone as a watcher; a requester only themselves."""
    return is_staff(user) or watcher.pk == user.pk


def may_lead_major(user) -> bool:
    """Group managers and administrators declare major incidents and lead them."""
    return user is None or user.is_admin or bool(user.roles & MAJOR_ROLES)


def may_declare_major(user, incident) -> bool:
    return is_staff(user) and may_lead_major(user) and incident.status in ACTIVE_STATUSES


def may_take(user, incident) -> bool:
    """Assign it to oneself: a member of the owning group who is not its assignee already."""
    return (
        user is not None
        and user.is_it
        and incident.status in ACTIVE_STATUSES
        and incident.assignee_id != user.pk
        and may_be_assignee(user, incident.owning_group)
    )


def may_receive(user, handover) -> bool:
    """Accept or reject a pending handover: members of the receiving group."""
    return is_staff(user) and in_group(user, handover.to_group)


def may_cancel_handover(user, handover) -> bool:
    """Withdraw a pending handover: who asked for it, or a member of the sending group."""
    return is_staff(user) and (
        user is None or user.pk == handover.requested_by_id or in_group(user, handover.from_group)
    )


def is_open_for_notes(incident) -> bool:
    """Closed and cancelled incidents take no more notes, replies or attachments."""
    return incident.status not in FINAL_STATUSES


def allowed_actions(user, incident, *, pending=None) -> frozenset[str]:
    """What ``user`` may do to ``incident`` now, for the page to show: ``take``, ``hand_over``,
    ``receive``, ``withdraw``, ``resolve``, ``hold``, ``reopen``, ``declare_major``,
    ``lead_major``, ``note`` (internal notes, time spent, internal attachments), ``reply``
    (public comments and attachments), ``edit`` (the record's fields, the assignee, the parent,
    watchers), ``cancel``, ``reply_reopens`` (a reply reopens it)."""
    actions = set()
    staff = is_staff(user)
    if is_open_for_notes(incident):
        actions.add("reply")
        if staff:
            actions.add("note")
    if may_transition(user, incident, Status.RESOLVED):
        actions.add("resolve")
    if may_transition(user, incident, Status.ON_HOLD):
        actions.add("hold")
    if may_reopen(user, incident):
        actions.add("reopen")
    if may_take(user, incident):
        actions.add("take")
    if may_edit(user, incident):
        actions.add("edit")
    if may_transition(user, incident, Status.CANCELLED):
        actions.add("cancel")
    if reply_reopens(user, incident):
        actions.add("reply_reopens")
    if staff and may_lead_major(user):
        actions.add("lead_major")
    if may_declare_major(user, incident):
        actions.add("declare_major")
    if staff and pending is not None:
        if may_receive(user, pending):
            actions.add("receive")
        elif may_cancel_handover(user, pending):
            actions.add("withdraw")
    elif staff and incident.status in ACTIVE_STATUSES:
        actions.add("hand_over")
    return frozenset(actions)


@dataclass(frozen=True)
class TransitionButton:
    to: str
    label: str
    style: str = ""  # "primary", "danger" or plain


#: The lifecycle moves shown as plain buttons in the page's header; resolving, holding and
#: cancelling need a form (a code and notes, a reason, a reason) and have their own section.
_BUTTONS = {
    Status.IN_PROGRESS: _("Start work"),
    Status.CLOSED: _("Close"),
}


def transition_buttons(user, incident) -> list[TransitionButton]:
    """The header's lifecycle buttons, in the workflow's order, for what ``user`` may do."""
    buttons = []
    for to in Status:
        if to not in _BUTTONS or not may_transition(user, incident, to):
            continue
        if to == Status.IN_PROGRESS and incident.status == Status.RESOLVED:
            buttons.append(TransitionButton(to, str(_("Reopen"))))
        elif to == Status.IN_PROGRESS:
            style = "primary" if incident.status == Status.NEW else ""
            buttons.append(TransitionButton(to, str(_BUTTONS[to]), style))
        else:
            style = "danger" if to == Status.CANCELLED else ""
            buttons.append(TransitionButton(to, str(_BUTTONS[to]), style))
    return buttons
