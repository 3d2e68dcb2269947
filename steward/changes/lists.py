"""The change lists, defined once for the pages and the API: the named queues (with their
counts), the filters and the sort. Every filter is SQL; every sort is backed by an index
(``-id``/``id`` by the primary key and the status/owner/group indexes, the planned start by
``chg_window``)."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from steward.changes import search
from steward.changes.authorization import DEFAULT_LEVELS
from steward.changes.choices import ACTIVE_STATUSES, AuthorityLevel, ChangeType, Status
from steward.changes.models import Approval, AuthorityRule, ChangeBoard, ChangeRequest
from steward.people.choices import Role

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
    current round (as ``authorization.approval_refusal`` decides, in SQL): not their own
    (requester or owner), no vote of theirs in this round, and the authority of the change's
    type and risk is theirs — peer review by a member of the owning group, the change
    manager, or a member of the board's group; where no rule exists, the defaults of
    ``authorization.DEFAULT_LEVELS``."""
    if not (user.is_authenticated and user.is_it):
        return Q(pk__in=[])
    rule = AuthorityRule.objects.filter(type=OuterRef("type"), risk=OuterRef("risk"))
    groups = list(user.support_groups.values_list("pk", flat=True))
    peer_by_default = Q()
    for (type_, risk), level in DEFAULT_LEVELS.items():
        if level == AuthorityLevel.PEER:
            peer_by_default |= Q(type=type_, risk=risk)
    no_rule = ~Exists(rule)
    peer = Exists(rule.filter(level=AuthorityLevel.PEER)) | (no_rule & peer_by_default)
    authorities = peer & Q(owning_group_id__in=groups)
    if user.has_role(Role.CHANGE_MANAGER):
        authorities |= Exists(rule.filter(level=AuthorityLevel.CHANGE_MANAGER)) | (
            no_rule & ~peer_by_default
        )
    boards = ChangeBoard.objects.filter(group_id__in=groups).values("pk")
    authorities |= Exists(rule.filter(level=AuthorityLevel.BOARD, board_id__in=boards))
    voted = Approval.objects.filter(
        change_id=OuterRef("pk"), round=OuterRef("approval_round"), approver=user
    )
    return (
        Q(status=Status.AUTHORIZE, authorized_at__isnull=True)
        & ~Q(type=ChangeType.STANDARD)
        & ~Q(requester=user)
        & (Q(owner__isnull=True) | ~Q(owner=user))
        & ~Exists(voted)
        & authorities
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
