"""The change lists, defined once for the pages and the API: the named queues (with their
counts), the filters and the sort. Every filter is SQL; every sort is backed by an index
(``-id``/``id`` by the primary key and the status/owner/group indexes, the planned start by
``chg_window``)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from steward.approvals.queries import awaiting
from steward.changes import search
from steward.changes.authorization import SUBJECT_TYPE
from steward.changes.choices import ACTIVE_STATUSES, ChangeType, Status
from steward.changes.models import ChangeRequest

#: The queues of the list page (its tabs, in order).
QUEUES = {
    "open": _("Open changes"),
    "mine": _("My changes"),
    "awaiting_me": _("Awaiting my approval"),
    "unowned": _("Without owner"),
    "scheduled": _("Scheduled"),
    "all": _("All changes"),
}
SORTS = {
    "-id": ("-id",),
    "id": ("id",),
    "planned_start": ("planned_start", "id"),
    "-planned_start": ("-planned_start", "-id"),
}
#: The sorts as the list page offers them.
SORT_LABELS = {
    "-id": _("Newest first"),
    "id": _("Oldest first"),
    "planned_start": _("Planned start, earliest first"),
    "-planned_start": _("Planned start, latest first"),
}


def awaiting_q(user) -> Q:
    """Changes in Authorize, not yet authorized, on which ``user`` may still vote in the
    current round (as ``authorization.approval_refusal`` decides, in SQL): IT staff, not their
    own (requester or owner), and the pending step of the change is one the shared approvals
    say awaits them (``approvals.queries.awaiting``: a member of its group, a change manager,
    or standing in for one; not decided yet)."""
    if not (user.is_authenticated and user.is_it):
        return Q(pk__in=[])
    asked = awaiting(user).filter(subject_type=SUBJECT_TYPE).order_by().values("subject_id")
    return (
        Q(status=Status.AUTHORIZE, authorized_at__isnull=True)
        & ~Q(type=ChangeType.STANDARD)
        & ~Q(requester=user)
        & (Q(owner__isnull=True) | ~Q(owner=user))
        & Q(pk__in=asked)
    )


def queue_q(user, key: str) -> Q:
    active = Q(status__in=sorted(ACTIVE_STATUSES))
    if key == "open":
        return active
    if key == "mine":
        return active & (Q(owner=user) | Q(implementer=user))
    if key == "awaiting_me":
        return awaiting_q(user)
    if key == "unowned":
        return active & Q(owner__isnull=True)
    if key == "scheduled":
        return Q(status=Status.SCHEDULED)
    return Q()


def queue_counts(user) -> dict[str, int]:
    """The count of every queue but "all", in one statement."""
    qs = ChangeRequest.objects.for_user(user, "view")
    keys = [k for k in QUEUES if k != "all"]
    return qs.aggregate(**{k: Count("pk", filter=queue_q(user, k)) for k in keys})


def _through(field: str, column: str, value):
    through = getattr(ChangeRequest, field).through
    return through.objects.filter(**{column: value}).values("changerequest_id")


def filtered(user, filters):
    """The changes ``user`` may see (IT staff: all; anyone else: none), narrowed by
    ``filters`` (a ``ChangeFilters`` or any object with the same attributes), ordered.

    ``planned_from``/``planned_to`` select the changes whose planned window ``[start, end)``
    meets ``[planned_from, planned_to)`` (either bound may be left out)."""
    qs = ChangeRequest.objects.for_user(user, "view")
    get = lambda name: getattr(filters, name, None)  # noqa: E731
    if get("queue"):
        qs = qs.filter(queue_q(user, get("queue")))
    for name in ("status", "type", "risk"):
        if get(name):
            qs = qs.filter(**{name: get(name)})
    if get("owner"):
        qs = qs.filter(owner_id=get("owner"))
    if get("owning_group"):
        qs = qs.filter(owning_group_id=get("owning_group"))
    if get("template"):
        qs = qs.filter(template_id=get("template"))
    if get("service"):
        qs = qs.filter(pk__in=_through("services", "service_id", get("service")))
    if get("ci"):
        qs = qs.filter(pk__in=_through("cis", "configurationitem_id", get("ci")))
    if get("planned_from"):
        qs = qs.filter(planned_end__gt=get("planned_from"))
    if get("planned_to"):
        qs = qs.filter(planned_start__lt=get("planned_to"))
    if get("q") and get("q").strip():
        qs = search.text_filter(qs, get("q"))
    return qs.order_by(*SORTS.get(get("sort") or "-id", SORTS["-id"]))
