"""What the fulfilment API's modules share: the router, the records as each audience reads
them, and looking records up (a missing or invisible one answers exactly like one that does not
exist)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from ninja import Router

from steward.core.api_support import named_ref, person_brief
from steward.core.errors import NotFound
from steward.fulfilment.approval import SUBJECT_TYPE
from steward.fulfilment.models import (
    CatalogItem,
    FulfilmentTask,
    Request,
    RequestAttachment,
    RequestComment,
    RequestedItem,
)
from steward.people.models import Organization, SupportGroup

router = Router(tags=["fulfilment"])


# --- catalog -------------------------------------------------------------------------------------


def catalog_items_for(user, qs=None):
    qs = qs if qs is not None else CatalogItem.objects.for_user(user, "view")
    qs = qs.select_related("category", "service", "fulfilment_group", "owner")
    if user.is_it:
        qs = qs.prefetch_related(
            Prefetch("organizations", queryset=Organization.objects.order_by("name")),
            Prefetch("groups", queryset=SupportGroup.objects.order_by("name")),
        )
    return qs


def catalog_item_for(user, item_id: int) -> CatalogItem:
    item = catalog_items_for(user).filter(pk=item_id).first()
    if item is None:
        raise NotFound(_("Catalog item %(id)s not found.") % {"id": item_id})
    return item


def catalog_item_out(user, c: CatalogItem) -> dict:
    out = {
        "id": c.pk,
        "name": c.name,
        "summary": c.summary,
        "description": c.description,
        "category": named_ref(c.category),
        "service": named_ref(c.service),
        "target_hours": c.target_hours,
        "needs_approval": bool(c.approval_flow),
        "form": c.form,
    }
    if not user.is_it:
        return out
    return out | {
        "audience": c.audience,
        "organizations": [named_ref(o) for o in c.organizations.all()],
        "groups": [named_ref(g) for g in c.groups.all()],
        "approval_flow": c.approval_flow,
        "task_templates": c.task_templates,
        "fulfilment_group": named_ref(c.fulfilment_group),
        "owner": person_brief(c.owner),
        "is_active": c.is_active,
        "version": c.version,
        "updated_at": c.updated_at,
    }


# --- orders --------------------------------------------------------------------------------------


def request_for(user, number: str) -> Request:
    row = (
        Request.objects.for_user(user, "view")
        .select_related("requested_for", "opened_by")
        .filter(number=number.upper())
        .first()
    )
    if row is None:
        raise NotFound(_("Request %(number)s not found.") % {"number": number})
    return row


def request_out(r: Request) -> dict:
    items = getattr(r, "_items", None)
    if items is None:
        items = list(r.items.select_related("catalog_item").order_by("id"))
    return {
        "number": r.number,
        "status": r.status,
        "requested_for": person_brief(r.requested_for),
        "opened_by": person_brief(r.opened_by),
        "created_at": r.created_at,
        "closed_at": r.closed_at,
        "items": [
            {
                "number": i.number,
                "catalog_item": named_ref(i.catalog_item),
                "quantity": i.quantity,
                "status": i.status,
            }
            for i in items
        ],
    }


def with_items(qs):
    return qs.prefetch_related(
        Prefetch(
            "items",
            queryset=RequestedItem.objects.select_related("catalog_item").order_by("id"),
            to_attr="_items",
        )
    )


# --- requested items -----------------------------------------------------------------------------


def item_for(user, number: str) -> RequestedItem:
    item = (
        RequestedItem.objects.for_user(user, "view")
        .select_related(
            "catalog_item",
            "request",
            "requested_for",
            "opened_by",
            "owning_group",
            "assignee",
            "service",
            "organization",
        )
        .filter(number=number.upper())
        .first()
    )
    if item is None:
        raise NotFound(_("Requested item %(number)s not found.") % {"number": number})
    return item


def item_list_out(user, i: RequestedItem) -> dict:
    out = {
        "number": i.number,
        "request": i.request.number,
        "title": i.catalog_item.name,
        "status": i.status,
        "requested_for": person_brief(i.requested_for),
        "created_at": i.created_at,
        "due_at": i.due_at,
        "updated_at": i.updated_at,
    }
    if user.is_it:
        out |= {"owning_group": named_ref(i.owning_group), "assignee": person_brief(i.assignee)}
    return out


def _flow(item: RequestedItem) -> list[dict]:
    from steward.approvals.queries import flow

    return [
        {
            "id": step.pk,
            "round": step.round,
            "step": step.step,
            "name": step.name,
            "mode": step.mode,
            "state": step.state,
            "requested_at": step.requested_at,
            "decided_at": step.decided_at,
            "approvers": [
                {
                    "user": person_brief(a.user),
                    "kind": a.kind,
                    "decision": a.decision,
                    "comment": a.comment,
                    "decided_at": a.decided_at,
                    "decided_by": person_brief(a.decided_by),
                    "on_behalf_of": person_brief(a.on_behalf_of),
                }
                for a in step.approvers.all()
            ],
        }
        for step in flow(SUBJECT_TYPE, item.pk)
    ]


def task_out(t: FulfilmentTask, item: RequestedItem | None = None) -> dict:
    item = item or t.item
    return {
        "number": t.number,
        "item": item.number,
        "item_title": item.catalog_item.name,
        "name": t.name,
        "description": t.description,
        "stage": t.stage,
        "group": named_ref(t.group),
        "assignee": person_brief(t.assignee),
        "status": t.status,
        "notes": t.notes,
        "created_at": t.created_at,
        "started_at": t.started_at,
        "closed_at": t.closed_at,
        "version": t.version,
    }


def comment_out(c: RequestComment) -> dict:
    return {
        "id": c.pk,
        "author": person_brief(c.author),
        "body": c.body,
        "visibility": c.visibility,
        "created_at": c.created_at,
    }


def attachment_out(a: RequestAttachment, number: str) -> dict:
    return {
        "id": a.pk,
        "name": a.name,
        "content_type": a.content_type,
        "size": a.size,
        "visibility": a.visibility,
        "uploaded_by": person_brief(a.uploaded_by),
        "created_at": a.created_at,
        "download": f"/api/v1/requested-items/{number}/attachments/{a.pk}",
    }


def item_out(user, i: RequestedItem) -> dict:
    """The item as ``user``'s audience reads it (requesters: public conversation, task names
    and states)."""
    tasks = list(
        FulfilmentTask.objects.filter(item=i)
        .select_related("group", "assignee")
        .order_by("stage", "id")
    )
    comments = (
        RequestComment.objects.for_user(user, "view")
        .filter(item=i)
        .select_related("author")
        .order_by("id")
    )
    attachments = (
        RequestAttachment.objects.for_user(user, "view")
        .filter(item=i)
        .select_related("uploaded_by")
        .order_by("id")
    )
    out = {
        "number": i.number,
        "request": i.request.number,
        "title": i.catalog_item.name,
        "catalog_item": named_ref(i.catalog_item),
        "quantity": i.quantity,
        "answers": i.answers,
        "status": i.status,
        "requested_for": person_brief(i.requested_for),
        "opened_by": person_brief(i.opened_by),
        "created_at": i.created_at,
        "approved_at": i.approved_at,
        "due_at": i.due_at,
        "fulfilled_at": i.fulfilled_at,
        "closed_at": i.closed_at,
        "rejection_reason": i.rejection_reason,
        "approvals": _flow(i),
        "comments": [comment_out(c) for c in comments],
        "attachments": [attachment_out(a, i.number) for a in attachments],
        "version": i.version,
    }
    if not user.is_it:
        out["tasks"] = [{"name": t.name, "stage": t.stage, "status": t.status} for t in tasks]
        return out
    return out | {
        "service": named_ref(i.service),
        "owning_group": named_ref(i.owning_group),
        "assignee": person_brief(i.assignee),
        "organization": named_ref(i.organization),
        "cancel_reason": i.cancel_reason,
        "updated_at": i.updated_at,
        "tasks": [task_out(t, i) for t in tasks],
    }


# --- tasks ---------------------------------------------------------------------------------------


def task_for(user, number: str) -> FulfilmentTask:
    task = (
        FulfilmentTask.objects.for_user(user, "view")
        .select_related("item__catalog_item", "group", "assignee")
        .filter(number=number.upper())
        .first()
    )
    if task is None or not user.is_it:
        raise NotFound(_("Task %(number)s not found.") % {"number": number})
    return task
