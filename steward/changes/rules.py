"""Who may do what to a change: the one place that answers it.

Change enablement is IT's: staff read and work changes; requesters see none of it (not the
changes, not the calendar, not the counts). Who approves is answered by ``authorization``
(it needs the change's authority rule and its votes); what the pages offer by
:func:`allowed_actions`. ``user`` ``None`` is the system itself (commands, jobs, importers),
which may do everything.
"""

from __future__ import annotations

from steward.changes.choices import EDITABLE_STATUSES, FINAL_STATUSES, ChangeType, Status
from steward.changes.workflow import CHANGE
from steward.people.choices import Role


def is_staff(user) -> bool:
    return user is None or user.is_it


def may_view(user) -> bool:
    return is_staff(user)


def may_create(user) -> bool:
    return is_staff(user)


def is_change_manager(user) -> bool:
    """An active member of IT with the ``change_manager`` role."""
    return user is not None and user.is_it and user.has_role(Role.CHANGE_MANAGER)


def may_keep_admin_data(user) -> bool:
    """Templates, the risk questionnaire and rules, boards, the authority table, windows and
    the settings: administrators and change managers."""
    return user is None or (user.is_it and (user.is_admin or user.has_role(Role.CHANGE_MANAGER)))


def may_own(person) -> bool:
    """A change owner (and an implementer) is an active member of IT."""
    return person.is_active and person.is_it


def may_edit(user, change) -> bool:
    return is_staff(user) and change.status in EDITABLE_STATUSES


def may_edit_plans(user, change) -> bool:
    """A standard change's plans are its template's: fixed."""
    return may_edit(user, change) and change.type != ChangeType.STANDARD


def may_answer_risk(user, change) -> bool:
    """The questionnaire decides a normal or emergency change's risk; a standard change keeps
    its template's."""
    return may_edit_plans(user, change)


def may_transition(user, change, to: str) -> bool:
    return is_staff(user) and CHANGE.can(change.status, to)


def may_override_conflicts(user, change) -> bool:
    """Only the change manager lets a change be scheduled despite its conflicts."""
    return (user is None or is_change_manager(user)) and change.status in EDITABLE_STATUSES


def may_review(user, change) -> bool:
    """The post-implementation review is written once implementation has begun."""
    return is_staff(user) and change.status in (Status.IMPLEMENT, Status.REVIEW)


def may_link_incidents(user, change) -> bool:
    """An incident may be found to be caused by a change at any time, even after it closed."""
    return is_staff(user)


def allowed_actions(user, change) -> frozenset[str]:
    """What the change page offers ``user`` (``to:<status>`` for each move; ``approve`` when
    ``user`` may vote now)."""
    from steward.changes.authorization import may_approve

    if not is_staff(user):
        return frozenset()
    actions = {"link_incident"}
    if change.status not in FINAL_STATUSES:
        actions |= {f"to:{s}" for s in CHANGE.allowed(change.status)}
    if may_edit(user, change):
        actions.add("edit")
    if may_answer_risk(user, change):
        actions.add("risk")
    if may_override_conflicts(user, change):
        actions.add("override_conflicts")
    if may_review(user, change):
        actions.add("review")
    if user is not None and may_approve(user, change):
        actions.add("approve")
    return frozenset(actions)
