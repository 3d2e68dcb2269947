"""Who may do what with dashboards: IT staff read (``queries.may_read``), the owner edits."""

from __future__ import annotations

from steward.reporting import queries


def may_create(user) -> bool:
    return queries.may_read(user)


def may_edit(user, dashboard) -> bool:
    """Only the owner changes a dashboard; members of the group it is shared with read it."""
    return (
        queries.may_read(user)
        and dashboard.pk is not None
        and dashboard.owner_id == getattr(user, "pk", None)
    )


def allowed_actions(user, dashboard) -> frozenset[str]:
    if may_edit(user, dashboard):
        return frozenset({"edit", "share", "delete", "add_widget", "edit_widget"})
    return frozenset({"copy"}) if queries.may_read(user) else frozenset()
