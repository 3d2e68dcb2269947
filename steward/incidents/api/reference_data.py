"""Admin-managed lists: categories and the priority matrix."""

from __future__ import annotations

from ninja import Query
from ninja.responses import Status as HttpStatus

from steward.core.api_input import RecordNumber
from steward.core.api_support import ERRORS, PageParams, page_of, paginate
from steward.incidents import operations as ops
from steward.incidents import sla
from steward.incidents.api.common import category_ref, incident_for, router
from steward.incidents.audiences import SLA_METRICS, audience_of
from steward.incidents.models import (
    IncidentCategory,
    PriorityMatrix,
)
from steward.incidents.schemas import (
    CategoryIn,
    CategoryOut,
    MatrixCellIn,
    MatrixCellOut,
)
from steward.slm.queries import clocks_for
from steward.slm.schemas import SlaClockOut

# --- admin-managed lists ----------------------------------------------------------------------


@router.get(
    "/incident-categories",
    response={200: page_of(CategoryOut), **ERRORS},
    summary="Incident categories (a row with a parent is a subcategory)",
)
def list_categories(request, page: Query[PageParams]):
    qs = IncidentCategory.objects.order_by("parent_id", "name")
    return paginate(
        qs,
        page,
        lambda c: {"id": c.pk, "name": c.name, "parent": c.parent_id, "is_active": c.is_active},
    )


@router.post(
    "/incident-categories",
    response={201: CategoryOut, **ERRORS},
    summary="Add a category or subcategory (administrators)",
)
def create_category(request, payload: CategoryIn):
    parent = category_ref(payload.parent, "parent")
    c = ops.create_category(request.auth, name=payload.name, parent=parent)
    return HttpStatus(
        201, {"id": c.pk, "name": c.name, "parent": c.parent_id, "is_active": c.is_active}
    )


@router.get(
    "/priority-matrix",
    response={200: list[MatrixCellOut], **ERRORS},
    summary="The impact x urgency -> priority matrix",
)
def priority_matrix(request):
    return list(PriorityMatrix.objects.values("impact", "urgency", "priority"))


@router.put(
    "/priority-matrix",
    response={200: list[MatrixCellOut], **ERRORS},
    summary="Change one cell of the priority matrix (administrators)",
)
def set_priority_cell(request, payload: MatrixCellIn):
    ops.set_priority_cell(request.auth, **payload.dict())
    return list(PriorityMatrix.objects.values("impact", "urgency", "priority"))


@router.get(
    "/incidents/{number}/slas",
    response={200: list[SlaClockOut], **ERRORS},
    summary="The incident's SLA and OLA clocks, each with its ledger in words",
    description="IT staff see every clock; requesters only the response and resolution clocks "
    "of their SLA (never the support groups' OLA clocks).",
)
def incident_slas(request, number: RecordNumber):
    incident = incident_for(request.auth, number)
    metrics = SLA_METRICS[audience_of(request.auth)]
    return clocks_for(sla.RECORD_TYPE, incident.pk, metrics)
