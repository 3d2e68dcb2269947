"""Recurring requests (IT staff): list with the next run, set one up, change, pause, resume."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query
from ninja.responses import Status as HttpStatus

from steward.core.api_input import Id
from steward.core.api_support import (
    ERRORS,
    PageParams,
    named_ref,
    page_of,
    paginate,
    person_brief,
    visible_ref,
)
from steward.core.errors import NotFound
from steward.fulfilment import operations as ops
from steward.fulfilment.api.common import router
from steward.fulfilment.models import CatalogItem, RecurringRequest
from steward.fulfilment.schemas import (
    RecurringRequestIn,
    RecurringRequestOut,
    RecurringRequestPatch,
)
from steward.people.models import User


def recurring_out(r: RecurringRequest) -> dict:
    return {
        "id": r.pk,
        "name": r.name,
        "catalog_item": named_ref(r.catalog_item),
        "requested_for": person_brief(r.requested_for),
        "answers": r.answers,
        "quantity": r.quantity,
        "cadence": r.cadence,
        "interval": r.interval,
        "day": r.day,
        "next_run_at": r.next_run_at,
        "last_run_at": r.last_run_at,
        "is_active": r.is_active,
        "created_by": person_brief(r.created_by),
        "version": r.version,
    }


def _rows(user):
    return RecurringRequest.objects.for_user(user, "view").select_related(
        "catalog_item", "requested_for", "created_by"
    )


def _one(user, recurring_id: int) -> RecurringRequest:
    row = _rows(user).filter(pk=recurring_id).first()
    if row is None:
        raise NotFound(_("Recurring request %(id)s not found.") % {"id": recurring_id})
    return row


@router.get(
    "/recurring-requests",
    response={200: page_of(RecurringRequestOut), **ERRORS},
    summary="Recurring requests with their next run (IT staff)",
)
def list_recurring(request, page: Query[PageParams]):
    return paginate(_rows(request.auth).order_by("next_run_at", "id"), page, recurring_out)


@router.post(
    "/recurring-requests",
    response={201: RecurringRequestOut, **ERRORS},
    summary="Order an item on a schedule (IT staff)",
)
def create_recurring(request, payload: RecurringRequestIn):
    actor = request.auth
    if not actor.is_it:
        raise NotFound("Not found.")
    recurring = ops.create_recurring(
        actor,
        name=payload.name,
        catalog_item=visible_ref(
            CatalogItem.objects, actor, "catalog_item", payload.catalog_item, "Item"
        ),
        requested_for=visible_ref(
            User.objects, actor, "requested_for", payload.requested_for, "User"
        ),
        answers=payload.answers,
        quantity=payload.quantity,
        cadence=payload.cadence,
        interval=payload.interval,
        day=payload.day,
        next_run_at=payload.next_run_at,
    )
    return HttpStatus(201, recurring_out(_one(actor, recurring.pk)))


@router.patch(
    "/recurring-requests/{recurring_id}",
    response={200: RecurringRequestOut, **ERRORS},
    summary="Change, pause (`is_active` false) or resume a recurring request",
)
def update_recurring(request, recurring_id: Id, payload: RecurringRequestPatch):
    actor = request.auth
    recurring = _one(actor, recurring_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    data = {k: v for k, v in data.items() if v is not None or k == "day"}
    ops.update_recurring(actor, recurring, version=version, **data)
    return recurring_out(_one(actor, recurring_id))
