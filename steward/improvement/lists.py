"""The register's list, defined once for the page and the API: its filters and sorts.

Every sort is backed by an index (``models.ImprovementItem.Meta.indexes``) whose last column
is the id, so a descending sort is the exact reverse of the ascending one, ties included."""

from __future__ import annotations

from django.db.models import Q

from steward.improvement.choices import OPEN_STATUSES

#: ?sort= keys and the columns each orders by, ascending; "-key" is the exact reverse.
SORTS = {
    "number": ("id",),
    "title": ("title", "id"),
    "status": ("status", "id"),
    "due": ("due_date", "id"),
    "votes": ("votes", "id"),
    "updated": ("updated_at", "id"),
}
DEFAULT_SORT = "-number"

#: Named views of the register (?view=): all items or the open ones (the default).
VIEWS = ("open", "all", "mine")


def clean_sort(value: str | None) -> str:
    """The ?sort= value if it is a known order, else the newest first."""
    return value if value and value.removeprefix("-") in SORTS else DEFAULT_SORT


def ordering(sort: str) -> tuple[str, ...]:
    key = sort.removeprefix("-")
    if sort.startswith("-"):
        return tuple(f"-{f}" for f in SORTS[key])
    return SORTS[key]


def filter_items(
    items, *, user=None, view="", q=None, status=None, owner=None, service=None, kpi=None
):
    """``items`` narrowed by each filter that is set (ids or instances alike)."""
    if view == "open":
        items = items.filter(status__in=OPEN_STATUSES)
    elif view == "mine" and user is not None:
        items = items.filter(Q(owner=user) | Q(proposer=user))
    if text := (q or "").strip():
        items = items.filter(
            Q(title__icontains=text) | Q(problem__icontains=text) | Q(number__iexact=text)
        )
    if status:
        items = items.filter(status=status)
    if owner is not None:
        items = items.filter(owner=owner)
    if service is not None:
        items = items.filter(service=service)
    if kpi:
        items = items.filter(kpi_key=kpi)
    return items
