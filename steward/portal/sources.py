"""What the portal reads from the practices below it (incidents, knowledge, fulfilment,
approvals, satisfaction), in one place: each function answers for one person, only what that
person may see (through the practices' own ``for_user`` rules and queries), and nothing while
the practice behind it is switched off."""

from __future__ import annotations

from django.db.models import Q

from steward.core import practices
from steward.core.practices import is_enabled
from steward.incidents import queries as incident_queries


def catalog_on() -> bool:
    return is_enabled("fulfilment")


def approvals_on() -> bool:
    """Approvals are platform (always on) once registered; a practice switch is honoured."""
    return practices.get("approvals") is None or is_enabled("approvals")


def surveys_on() -> bool:
    return is_enabled("satisfaction")


# --- incidents -----------------------------------------------------------------------------


def my_incidents(user, *, scope: str = "mine"):
    """Incidents ``user`` follows: those they raised (``mine``), or every incident of their
    organization they may see (``organization``); newest activity first."""
    rows = incident_queries.incidents_for(user)
    if scope != "organization":
        rows = rows.filter(caller=user)
    return rows.order_by("-updated_at", "-id")


def incident_for(user, number: str):
    """The incident ``number`` if ``user`` may see it, else None (the page answers 404)."""
    return incident_queries.incidents_for(user).filter(number=(number or "").upper()[:20]).first()


# --- requests (fulfilment) -----------------------------------------------------------------


def my_items(user, *, scope: str = "mine"):
    """Requested items ``user`` follows: those for them or ordered by them (``mine``), or every
    item of their organization they may see (``organization``); newest first."""
    if not catalog_on():
        return None
    from steward.fulfilment.models import RequestedItem

    rows = RequestedItem.objects.for_user(user, "view").select_related(
        "catalog_item", "requested_for"
    )
    if scope != "organization":
        rows = rows.filter(Q(requested_for=user) | Q(opened_by=user))
    return rows.order_by("-updated_at", "-id")


def item_for(user, number: str):
    """The requested item ``number`` if ``user`` may see it, else None."""
    if not catalog_on():
        return None
    from steward.fulfilment.models import RequestedItem

    return (
        RequestedItem.objects.for_user(user, "view")
        .select_related("catalog_item", "request", "requested_for", "service")
        .filter(number=(number or "").upper()[:20])
        .first()
    )


def catalog_items(user):
    """The active catalog items ``user`` may order."""
    if not catalog_on():
        return None
    from steward.fulfilment.models import CatalogItem, orderable_filter

    return (
        CatalogItem.objects.filter(orderable_filter(user))
        .select_related("category", "service")
        .order_by("name", "id")
    )


def catalog_categories(user):
    """The active categories that hold at least one item ``user`` may order."""
    if not catalog_on():
        return None
    from steward.fulfilment.models import CatalogCategory

    return (
        CatalogCategory.objects.filter(is_active=True, items__in=catalog_items(user))
        .distinct()
        .order_by("order", "name", "id")
    )


# --- approvals -----------------------------------------------------------------------------


def awaiting_approvals(user):
    """Approval requests waiting for ``user``'s decision (as approver or delegate)."""
    if not approvals_on():
        return None
    from steward.approvals import queries

    return queries.awaiting(user)


def approval_steps(subject_type: str, subject_id) -> list:
    """The steps of the latest round of approval asked on a record, in order, each with its
    approvers (``approvals.queries.flow``); empty when none was asked."""
    if not approvals_on():
        return []
    from steward.approvals import queries

    steps = queries.flow(subject_type, subject_id)
    latest = max((s.round for s in steps), default=0)
    return [s for s in steps if s.round == latest]


def approvals_waiting(user) -> int:
    rows = awaiting_approvals(user)
    return rows.count() if rows is not None else 0


# --- surveys -------------------------------------------------------------------------------


def open_surveys(user, limit: int = 20) -> list:
    """The surveys offered to ``user`` still open, each with the link that answers it
    (``satisfaction.queries.OpenSurvey``: ``survey``, ``url``)."""
    if not surveys_on():
        return []
    from steward.satisfaction import queries

    return queries.open_surveys_with_tokens(user, limit=limit)


def open_survey_count(user) -> int:
    if not surveys_on():
        return 0
    from steward.satisfaction import queries

    return queries.open_surveys(user).count()
