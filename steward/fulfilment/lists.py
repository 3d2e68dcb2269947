"""The lists of request fulfilment, defined once for the pages, their CSV and the API: the
named queues (with their counts), the filters and the sorts of requested items, of tasks and of
requests. Everything is decided in SQL through ``for_user`` (a requester sees their own and
their organisation's), each sort backed by an index and ending in the id, so a descending sort
is the exact reverse of the ascending one.

Filters are any object with the attributes used (``queue``, ``q``, ``status``, ``service``,
``group``, ``catalog_item``, ``assignee``, ``requested_for``, ``mine``, ``sort``); a missing
one does not narrow. ``status`` "" means the work still to do (items: awaiting approval,
approved, in progress; tasks: open, in progress), "any" every status, else that status."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.fulfilment import rules
from steward.fulfilment.choices import (
    ItemStatus,
    TaskStatus,
)
from steward.fulfilment.models import FulfilmentTask, Request, RequestedItem

#: The queues of the requested items list (its tabs, in order; the first is the default).
ITEM_QUEUES = {
    "my_groups": _("My groups"),
    "mine": _("Assigned to me"),
    "unassigned": _("Unassigned"),
    "awaiting_approval": _("Awaiting approval"),
    "overdue": _("Overdue"),
    "all": _("All"),
}

ITEM_SORTS = {
    "number": ("id",),
    "-number": ("-id",),
    "due": ("due_at", "id"),
    "-due": ("-due_at", "-id"),
    "updated": ("updated_at", "id"),
    "-updated": ("-updated_at", "-id"),
    "status": ("status", "id"),
    "-status": ("-status", "-id"),
}
DEFAULT_ITEM_SORT = "-number"

#: The queues of the task list (the first is the default).
TASK_QUEUES = {
    "my_groups": _("My groups"),
    "mine": _("Assigned to me"),
    "unassigned": _("Unassigned"),
    "all": _("All"),
}
TASK_SORTS = {
    "number": ("id",),
    "-number": ("-id",),
    "updated": ("updated_at", "id"),
    "-updated": ("-updated_at", "-id"),
    "status": ("status", "id"),
    "-status": ("-status", "-id"),
}
DEFAULT_TASK_SORT = "-number"

REQUEST_SORTS = {"number": ("id",), "-number": ("-id",)}
DEFAULT_REQUEST_SORT = "-number"

#: Tasks someone can work now (a waiting task's stage has not opened).
WORKABLE_TASKS = (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)
NOTHING = Q(pk__in=[])


def _get(filters, name):
    return getattr(filters, name, None) if filters is not None else None


def my_group_ids(user) -> list[int]:
    return sorted(rules.group_ids(user)) if user.is_it else []


# --- requested items -----------------------------------------------------------------------------


def item_queue_q(user, key: str) -> Q:
    """The items of queue ``key`` for ``user`` (a Q over the items they may see)."""
    if key == "all" or not key:
        return Q()
    if not user.is_it:
        # a requester's queues: theirs ("mine"), else nothing
        if key == "mine":
            return Q(requested_for=user.pk) | Q(opened_by=user.pk)
        return NOTHING
    if key == "my_groups":
        return Q(owning_group__in=my_group_ids(user))
    if key == "mine":
        return Q(assignee=user.pk)
    if key == "unassigned":
        return Q(owning_group__in=my_group_ids(user), assignee__isnull=True)
    if key == "awaiting_approval":
        return Q(status=ItemStatus.AWAITING_APPROVAL)
    if key == "overdue":
        return Q(due_at__lt=timezone.now())
    return NOTHING


def _item_status_q(status) -> Q:
    if not status:
        return Q(active=True)
    if status == "any":
        return Q()
    return Q(status=status)


def item_queue_counts(user) -> dict[str, int]:
    """The count of every item queue (the work still to do), in one statement."""
    qs = RequestedItem.objects.for_user(user, "view").filter(active=True).order_by()
    return qs.aggregate(**{k: Count("pk", filter=item_queue_q(user, k)) for k in ITEM_QUEUES})


def items_filtered(user, filters=None):
    """The requested items ``user`` may see, narrowed by ``filters``, ordered."""
    qs = RequestedItem.objects.for_user(user, "view").select_related(
        "catalog_item", "requested_for", "owning_group", "assignee", "service", "request"
    )
    queue = _get(filters, "queue") or ""
    qs = qs.filter(item_queue_q(user, queue), _item_status_q(_get(filters, "status")))
    for name, field in (
        ("service", "service_id"),
        ("group", "owning_group_id"),
        ("catalog_item", "catalog_item_id"),
        ("assignee", "assignee_id"),
        ("requested_for", "requested_for_id"),
        ("organization", "organization_id"),
    ):
        value = _get(filters, name)
        if value:
            qs = qs.filter(**{field: value})
    if _get(filters, "mine"):
        qs = qs.filter(Q(requested_for=user.pk) | Q(opened_by=user.pk))
    text = (_get(filters, "q") or "").strip()
    if text:
        qs = qs.filter(
            Q(number__iexact=text)
            | Q(request__number__iexact=text)
            | Q(catalog_item__name__icontains=text)
        )
    sort = _get(filters, "sort") or DEFAULT_ITEM_SORT
    return qs.order_by(*ITEM_SORTS.get(sort, ITEM_SORTS[DEFAULT_ITEM_SORT]))


# --- tasks ---------------------------------------------------------------------------------------


def task_queue_q(user, key: str) -> Q:
    if key == "all" or not key:
        return Q()
    if not user.is_it:
        return NOTHING
    if key == "my_groups":
        return Q(group__in=my_group_ids(user))
    if key == "mine":
        return Q(assignee=user.pk)
    if key == "unassigned":
        return Q(group__in=my_group_ids(user), assignee__isnull=True)
    return NOTHING


def _task_status_q(status) -> Q:
    if not status:
        return Q(status__in=WORKABLE_TASKS)
    if status == "any":
        return Q()
    return Q(status=status)


def task_queue_counts(user) -> dict[str, int]:
    """The count of every task queue (the tasks to work now), in one statement."""
    qs = FulfilmentTask.objects.for_user(user, "view").filter(status__in=WORKABLE_TASKS)
    return qs.order_by().aggregate(
        **{k: Count("pk", filter=task_queue_q(user, k)) for k in TASK_QUEUES}
    )


def tasks_filtered(user, filters=None):
    """The tasks ``user`` may see, narrowed by ``filters``, ordered."""
    qs = FulfilmentTask.objects.for_user(user, "view").select_related(
        "item__catalog_item", "item__requested_for", "group", "assignee"
    )
    queue = _get(filters, "queue") or ""
    qs = qs.filter(task_queue_q(user, queue), _task_status_q(_get(filters, "status")))
    if _get(filters, "group"):
        qs = qs.filter(group_id=_get(filters, "group"))
    if _get(filters, "assignee"):
        qs = qs.filter(assignee_id=_get(filters, "assignee"))
    if _get(filters, "item"):
        qs = qs.filter(item__number__iexact=_get(filters, "item"))
    text = (_get(filters, "q") or "").strip()
    if text:
        qs = qs.filter(
            Q(number__iexact=text) | Q(item__number__iexact=text) | Q(name__icontains=text)
        )
    sort = _get(filters, "sort") or DEFAULT_TASK_SORT
    return qs.order_by(*TASK_SORTS.get(sort, TASK_SORTS[DEFAULT_TASK_SORT]))


# --- requests (orders) ---------------------------------------------------------------------------


def requests_filtered(user, filters=None):
    """The orders ``user`` may see (a requester: their own and their organisation's), narrowed
    by ``mine`` (ordered by or for them), ``status`` (""/"any": every one), ``q`` (a
    number), ``requested_for``."""
    qs = Request.objects.for_user(user, "view").select_related("requested_for", "opened_by")
    if _get(filters, "mine"):
        qs = qs.filter(Q(requested_for=user.pk) | Q(opened_by=user.pk))
    status = _get(filters, "status")
    if status and status != "any":
        qs = qs.filter(status=status)
    if _get(filters, "requested_for"):
        qs = qs.filter(requested_for_id=_get(filters, "requested_for"))
    text = (_get(filters, "q") or "").strip()
    if text:
        qs = qs.filter(Q(number__iexact=text) | Q(items__number__iexact=text)).distinct()
    sort = _get(filters, "sort") or DEFAULT_REQUEST_SORT
    return qs.order_by(*REQUEST_SORTS.get(sort, REQUEST_SORTS[DEFAULT_REQUEST_SORT]))
