"""Who may do what in the satisfaction practice (the only module that names roles here).

- A survey is answered with its token (the credential of the link): whoever holds it, signed
  in or not, answers for the respondent; the answer is journaled with the signed-in person.
- The results (scores, comments, CSV, ``GET /api/v1/csat``) are for IT staff.
- A follow-up is closed by its owner (the group's manager when the score came in), the
  group's current manager, or an administrator; other IT staff read it.
"""

from __future__ import annotations

from steward.satisfaction.choices import FollowUpStatus


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def may_view_results(user) -> bool:
    return _signed_in(user) and user.is_it


def may_view_follow_ups(user) -> bool:
    return _signed_in(user) and user.is_it


def may_close_follow_up(user, follow_up) -> bool:
    """``user is None`` is the system."""
    if user is None:
        return True
    if not _signed_in(user) or follow_up.status != FollowUpStatus.OPEN:
        return False
    if user.is_admin or follow_up.owner_id == user.pk:
        return True
    group = follow_up.survey.group
    return group is not None and group.manager_id == user.pk


def allowed_actions(user, follow_up) -> frozenset[str]:
    return frozenset({"close"} if may_close_follow_up(user, follow_up) else set())
