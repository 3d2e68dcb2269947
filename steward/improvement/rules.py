"""Who may do what to an improvement item: the one place that answers it.

Anyone signed in proposes (everyone has ideas), and comments on and votes for the items they
see. IT staff see every item and edit open ones; a requester sees the items they proposed and
those shared with everyone, and edits their own proposal until it is decided. Managers (group
managers, process and service owners, administrators) approve; the item's owner or a manager
moves it along and keeps its actions. ``user`` ``None`` is the system, which may do everything.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from steward.improvement.choices import Status
from steward.improvement.workflow import ITEM
from steward.people.choices import Role

#: Who decides on proposals and may move any item.
MANAGER_ROLES = frozenset({Role.GROUP_MANAGER, Role.PROCESS_OWNER, Role.SERVICE_OWNER, Role.ADMIN})

#: The buttons of the moves, by target.
MOVE_LABELS = {
    Status.APPROVED: _("Approve"),
    Status.IN_PROGRESS: _("Start work"),
    Status.BENEFITS_REVIEW: _("Start the benefits review"),
    Status.CLOSED: _("Close"),
}


def is_staff(user) -> bool:
    return user is None or user.is_it


def is_manager(user) -> bool:
    return user is None or user.is_admin or bool(user.roles & MANAGER_ROLES)


def is_owner(user, item) -> bool:
    return user is not None and item.owner_id == user.pk


def may_propose(user) -> bool:
    return user is None or (user.is_authenticated and user.is_active)


def may_edit(user, item) -> bool:
    """IT staff edit any open item; the proposer their own while it is proposed."""
    if item.status == Status.CLOSED:
        return False
    if is_staff(user):
        return True
    return item.proposer_id == user.pk and item.status == Status.PROPOSED


def may_assign(user) -> bool:
    """Naming the owner and sharing with everyone: IT staff."""
    return is_staff(user)


def may_transition(user, item, to: str) -> bool:
    if not ITEM.can(item.status, to):
        return False
    if is_manager(user):
        return True
    if item.status == Status.PROPOSED:
        # a proposer may withdraw their own proposal; only managers approve
        return to == Status.CLOSED and item.proposer_id == user.pk
    return is_owner(user, item)


def may_vote(user, item) -> bool:
    return item.status != Status.CLOSED and user is not None


def may_comment(user, item) -> bool:
    return user is None or user.is_authenticated


def may_manage_actions(user, item) -> bool:
    return item.status != Status.CLOSED and (is_manager(user) or is_owner(user, item))


def may_update_action(user, action) -> bool:
    """The item's owner and managers change an action; its own owner ticks it off."""
    item = action.item
    if item.status == Status.CLOSED:
        return False
    return may_manage_actions(user, item) or (user is not None and action.owner_id == user.pk)


def may_see_progress(user) -> bool:
    """Live KPI figures are for IT staff (as every KPI is)."""
    return is_staff(user)


def moves(user, item) -> list[tuple[str, str]]:
    """The lifecycle buttons the user may press: (target, label)."""
    out = []
    for to in ITEM.allowed(item.status):
        if may_transition(user, item, to):
            label = MOVE_LABELS.get(to, to)
            if item.status == Status.BENEFITS_REVIEW and to == Status.IN_PROGRESS:
                label = _("Back to work")
            out.append((to, label))
    return out


def allowed_actions(user, item) -> frozenset[str]:
    actions = {"view", "comment"}
    if may_edit(user, item):
        actions.add("edit")
    if may_assign(user):
        actions.add("assign")
    if may_vote(user, item):
        actions.add("vote")
    if may_manage_actions(user, item):
        actions.add("manage_actions")
    if may_see_progress(user):
        actions.add("progress")
    if moves(user, item):
        actions.add("move")
    return frozenset(actions)
