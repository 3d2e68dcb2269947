"""What the fulfilment app contributes elsewhere (declared in apps.py): the global search, the
start page's "My fulfilment tasks", the ownership gaps and the journal's words."""

from __future__ import annotations

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.core.registry import SearchHit
from steward.fulfilment import lists
from steward.fulfilment.models import CatalogItem, FulfilmentTask, RequestedItem
from steward.ownership import gaps
from steward.ownership.models import Process

#: The process whose owner answers for request fulfilment.
PROCESS_KEY = "request_fulfilment"


def _item_url(user, item) -> str:
    """The staff page for IT; the portal's page for a requester (when the portal is there)."""
    if user.is_it:
        return item.get_absolute_url()
    try:
        return reverse("portal:item", args=[item.number])
    except NoReverseMatch:  # pragma: no cover - the portal is part of Steward
        return item.get_absolute_url()


def search_requests(user, text: str, limit: int) -> list[SearchHit]:
    """Requested items in the global search, by their number, their order's number or what was
    ordered; read through ``for_user`` (a requester: their own and their organisation's)."""
    text = (text or "").strip()
    if not text:
        return []
    words = text.split()[:5]
    match = Q(number__iexact=text) | Q(request__number__iexact=text)
    by_name = Q()
    for word in words:
        by_name &= Q(catalog_item__name__icontains=word)
    rows = (
        RequestedItem.objects.for_user(user, "view")
        .filter(match | by_name)
        .select_related("catalog_item")
        .order_by("-id")[:limit]
    )
    return [
        SearchHit(
            "requested_item",
            f"{i.number} {i.catalog_item.name}",
            _item_url(user, i),
            str(i.get_status_display()),
        )
        for i in rows
    ]


def my_tasks(user, limit: int):
    """My fulfilment tasks to work now (open or in progress), then my groups' unassigned ones:
    ``(count, [(label, url, meta)])``. Two statements."""
    groups = lists.my_group_ids(user)
    rows = (
        FulfilmentTask.objects.filter(status__in=lists.WORKABLE_TASKS)
        .filter(Q(assignee=user.pk) | Q(group__in=groups, assignee__isnull=True))
        .select_related("item")
    )
    count = rows.count()
    shown = rows.order_by("-id")[:limit]
    return count, [
        (
            f"{t.number} {t.name}",
            t.get_absolute_url(),
            f"{t.item.number} · {t.get_status_display()}"
            + ("" if t.assignee_id else f" · {_('Unassigned')}"),
        )
        for t in shown
    ]


# --- ownership gaps ------------------------------------------------------------------------------


def _fixer():
    """Who answers for the catalog: the request fulfilment process owner, else the
    administrators."""
    process = Process.objects.filter(key=PROCESS_KEY).select_related("owner").first()
    if process and process.owner and process.owner.is_active:
        return gaps.person(process.owner)
    return gaps.ADMINS


def _catalog_link(item) -> str:
    try:
        return reverse("requests:catalog_item", args=[item.pk])
    except NoReverseMatch:  # pragma: no cover - the pages are part of the app
        return ""


def catalog_items_without_owner() -> list[dict]:
    """Active catalog items nobody answers for (no owner, or an owner who has left)."""
    rows = (
        CatalogItem.objects.filter(is_active=True)
        .filter(Q(owner__isnull=True) | Q(owner__is_active=False))
        .order_by("name", "id")
    )
    fixer = None
    out = []
    for item in rows:
        fixer = fixer or _fixer()
        out.append(
            gaps.gap(
                "catalog_item_without_owner",
                "catalog_item",
                item,
                _("the catalog item %(name)s has no active owner") % {"name": item.name},
                fixer,
                _catalog_link(item),
            )
        )
    return out


def catalog_items_with_unowned_service() -> list[dict]:
    """Active catalog items whose service has no active owner: nobody signs off what they
    deliver."""
    rows = (
        CatalogItem.objects.filter(is_active=True, service__owner__is_active=False)
        .select_related("service")
        .order_by("name", "id")
    )
    return [
        gaps.gap(
            "catalog_item_service_unowned",
            "catalog_item",
            item,
            _("the service of catalog item %(name)s, %(service)s, has no active owner")
            % {"name": item.name, "service": item.service.name},
            gaps.ADMINS,
            _catalog_link(item),
        )
        for item in rows
    ]


def _answers_for_catalog(user) -> bool:
    fixer = _fixer()
    if fixer is gaps.ADMINS:
        return gaps.fixes_for_admins(user)
    return fixer["id"] == user.pk


GAP_PROVIDERS = (
    gaps.GapProvider(
        "catalog_item_without_owner",
        gettext_lazy("Catalog items without an active owner"),
        catalog_items_without_owner,
        order=92,
        collect_for=lambda user: (
            catalog_items_without_owner() if _answers_for_catalog(user) else []
        ),
    ),
    gaps.GapProvider(
        "catalog_item_service_unowned",
        gettext_lazy("Catalog items whose service has no active owner"),
        catalog_items_with_unowned_service,
        order=93,
        collect_for=gaps.for_admins(catalog_items_with_unowned_service),
    ),
)

#: What people call the fulfilment app's journal actions and fields (``journal.describe``; a
#: name another app already described keeps its words: they mean the same).
JOURNAL_WORDS = {
    # actions
    "created": gettext_lazy("Created"),
    "updated": gettext_lazy("Updated"),
    "assigned": gettext_lazy("Assigned"),
    "commented": gettext_lazy("Reply"),
    "work_note": gettext_lazy("Work note"),
    "attached": gettext_lazy("File attached"),
    "attached_internal": gettext_lazy("Internal file attached"),
    "status_approved": gettext_lazy("Approved"),
    "status_rejected": gettext_lazy("Rejected"),
    "status_in_progress": gettext_lazy("In progress"),
    "status_fulfilled": gettext_lazy("Fulfilled"),
    "status_closed": gettext_lazy("Closed"),
    "status_cancelled": gettext_lazy("Cancelled"),
    "request_open": gettext_lazy("Request reopened"),
    "request_closed": gettext_lazy("Request closed"),
    "request_cancelled": gettext_lazy("Request cancelled"),
    "tasks_generated": gettext_lazy("Tasks generated"),
    "task_closed": gettext_lazy("Task closed"),
    "started": gettext_lazy("Started"),
    "closed": gettext_lazy("Closed"),
    "stage_opened": gettext_lazy("Stage opened"),
    "ran": gettext_lazy("Recurring request ran"),
    # fields
    "owning_group": gettext_lazy("Group"),
    "assignee": gettext_lazy("Assignee"),
    "due_at": gettext_lazy("Due"),
    "rejection_reason": gettext_lazy("Reason for rejection"),
    "quantity": gettext_lazy("Quantity"),
    "catalog_item": gettext_lazy("Catalog item"),
    "requested_for": gettext_lazy("Requested for"),
    "request": gettext_lazy("Request"),
    "tasks": gettext_lazy("Tasks"),
    "task": gettext_lazy("Task"),
    "stage": gettext_lazy("Stage"),
    "item": gettext_lazy("Requested item"),
    "notes": gettext_lazy("Notes"),
    "fulfilment_group": gettext_lazy("Fulfilment group"),
    "target_hours": gettext_lazy("Target (business hours)"),
    "approval_flow": gettext_lazy("Approval flow"),
    "task_templates": gettext_lazy("Task templates"),
    "form": gettext_lazy("Order form"),
    "audience": gettext_lazy("Audience"),
    "organizations": gettext_lazy("Organisations"),
    "groups": gettext_lazy("Groups"),
    "answers": gettext_lazy("Answers"),
    "cadence": gettext_lazy("Cadence"),
    "interval": gettext_lazy("Interval"),
    "day": gettext_lazy("Day"),
    "next_run_at": gettext_lazy("Next run"),
    "attachment": gettext_lazy("Attachment"),
}
