"""Reading saved (canned) replies: the ones an agent may pick while writing, their own and their
groups'. Written only by ``operations.canned_replies``."""

from __future__ import annotations

from steward.incidents.models import CannedReply


def visible_replies(user):
    """The saved replies ``user`` may read and use (their own, their groups')."""
    return CannedReply.objects.for_user(user, "view").select_related("owner", "group")


def replies_for(user) -> list[CannedReply]:
    """The replies offered on the incident page: personal first, then the groups', by title."""
    rows = list(visible_replies(user)[:200])
    rows.sort(key=lambda r: (r.owner_id is None, r.group.name if r.group_id else "", r.title))
    return rows
