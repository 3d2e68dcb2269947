"""Who may do what to a problem: the one place that answers it.

Problem management is IT's: staff read and work problems; requesters see none of it (not the
problems, not the known errors, not the counts). ``user`` ``None`` is the system itself.
"""

from __future__ import annotations

from steward.problems.choices import FINAL_STATUSES, KNOWN_ERROR_STATUSES, Status
from steward.problems.workflow import PROBLEM


def is_staff(user) -> bool:
    return user is None or user.is_it


def may_view(user) -> bool:
    return is_staff(user)


def may_create(user) -> bool:
    return is_staff(user)


def may_edit(user, problem) -> bool:
    return is_staff(user) and problem.status not in FINAL_STATUSES


def may_own(person) -> bool:
    """A problem owner is an active member of IT."""
    return person.is_active and person.is_it


def may_transition(user, problem, to: str) -> bool:
    return may_edit(user, problem) and PROBLEM.can(problem.status, to)


def may_publish(user, problem) -> bool:
    return may_edit(user, problem) and problem.status in KNOWN_ERROR_STATUSES


def may_resolve_incidents(user, problem) -> bool:
    """The fix is in: the problem is resolved with a fix (not "no fix needed")."""
    return (
        is_staff(user)
        and problem.status in (Status.RESOLVED, Status.CLOSED)
        and bool(problem.fix_description.strip())
    )


def may_apply_workaround(user, problem) -> bool:
    return is_staff(user) and problem.known_error


def allowed_actions(user, problem) -> frozenset[str]:
    """What the problem page offers ``user``."""
    if not is_staff(user):
        return frozenset()
    actions = set()
    if may_edit(user, problem):
        actions |= {"edit", "rca", "link"}
        actions |= {f"to:{s}" for s in PROBLEM.allowed(problem.status)}
    if may_publish(user, problem):
        actions.add("known_error")
    if may_resolve_incidents(user, problem):
        actions.add("resolve_incidents")
    return frozenset(actions)
