"""Formal handovers: request, list, accept, reject, withdraw; per-group handover figures."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query
from ninja.responses import Status as HttpStatus

from steward.core.api_input import Id, RecordNumber
from steward.core.api_support import ERRORS, PageParams, page_of, paginate
from steward.core.errors import NotFound
from steward.incidents import operations as ops
from steward.incidents import queries
from steward.incidents.api.common import (
    group_ref,
    handover_out,
    handovers_qs,
    incident_for,
    router,
    with_targets,
)
from steward.incidents.models import (
    Handover,
)
from steward.incidents.schemas import (
    AcceptIn,
    GroupFiguresOut,
    HandoverFilters,
    HandoverIn,
    HandoverOut,
    RejectIn,
)

# --- handovers --------------------------------------------------------------------------------


def _handover(actor, pk: int) -> Handover:
    row = handovers_qs().for_user(actor, "view").filter(pk=pk).first()
    if row is None:
        raise NotFound(_("Handover %(id)s not found.") % {"id": pk})
    return row


def _handover_response(actor, pk: int) -> dict:
    return handover_out(with_targets([_handover(actor, pk)])[0])


@router.post(
    "/incidents/{number}/handovers",
    response={201: HandoverOut, **ERRORS},
    summary="Hand the incident over to another group (pending until accepted)",
)
def hand_over(request, number: RecordNumber, payload: HandoverIn):
    incident = incident_for(request.auth, number, relations=False)  # answers the handover
    to_group = group_ref(request.auth, payload.to_group, "to_group")
    handover = ops.hand_over(
        request.auth, incident, to_group=to_group, reason=payload.reason, note=payload.note
    )
    return HttpStatus(201, _handover_response(request.auth, handover.pk))


@router.get(
    "/handovers",
    response={200: page_of(HandoverOut), **ERRORS},
    summary="List handovers (newest first)",
)
def list_handovers(request, filters: Query[HandoverFilters], page: Query[PageParams]):
    qs = handovers_qs().for_user(request.auth, "view")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.to_group is not None:
        qs = qs.filter(to_group_id=filters.to_group)
    if filters.from_group is not None:
        qs = qs.filter(from_group_id=filters.from_group)
    if filters.mine:
        qs = qs.filter(to_group__in=ops.groups_of(request.auth))
    if filters.overdue:
        qs = qs.filter(pk__in=[h.pk for h in ops.overdue_handovers()])
    result = paginate(qs.order_by("-id"), page)
    result["items"] = [handover_out(h) for h in with_targets(result["items"])]
    return result


@router.get(
    "/handovers/figures",
    response={200: list[GroupFiguresOut], **ERRORS},
    summary="Handover figures per group",
)
def handover_figures(request):
    if not request.auth.is_it:
        raise NotFound(_("Not found."))
    return queries.group_figures()


@router.get("/handovers/{handover_id}", response={200: HandoverOut, **ERRORS}, summary="One")
def get_handover(request, handover_id: Id):
    return _handover_response(request.auth, handover_id)


@router.post(
    "/handovers/{handover_id}/accept",
    response={200: HandoverOut, **ERRORS},
    summary="Accept a handover (members of the receiving group)",
)
def accept_handover(request, handover_id: Id, payload: AcceptIn):
    handover = _handover(request.auth, handover_id)
    ops.accept_handover(request.auth, handover, take_assignment=payload.take_assignment)
    return _handover_response(request.auth, handover_id)


@router.post(
    "/handovers/{handover_id}/reject",
    response={200: HandoverOut, **ERRORS},
    summary="Reject a handover with a reason (members of the receiving group)",
)
def reject_handover(request, handover_id: Id, payload: RejectIn):
    handover = _handover(request.auth, handover_id)
    ops.reject_handover(request.auth, handover, reason=payload.reason)
    return _handover_response(request.auth, handover_id)


@router.post(
    "/handovers/{handover_id}/cancel",
    response={200: HandoverOut, **ERRORS},
    summary="Withdraw a pending handover (the sending side)",
)
def cancel_handover(request, handover_id: Id):
    handover = _handover(request.auth, handover_id)
    ops.cancel_handover(request.auth, handover)
    return _handover_response(request.auth, handover_id)
