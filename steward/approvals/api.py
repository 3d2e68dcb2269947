"""The approvals API (mounted at /api/v1 in steward/api.py): my approvals, deciding one, and
delegations. Thin: parse, look up through ``for_user``, call the operation, serialize.

Everyone signed in may call it: a requester who is a line manager decides here as IT staff
do. A step is visible to IT staff and to the people asked on it (or who decided it); any other
id is a 404, exactly as a missing one.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from steward.approvals import operations as ops
from steward.approvals import queries
from steward.approvals.models import ApprovalRequest, Approver, Delegation, asked_or_decided
from steward.approvals.schemas import (
    ApprovalDecisionIn,
    ApprovalOut,
    ApprovalQuery,
    DelegationIn,
    DelegationOut,
    DelegationQuery,
)
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
from steward.core.errors import NotFound, PermissionDenied
from steward.core.operations import get_visible
from steward.people.models import User

router = Router(tags=["approvals"])


def _approvers():
    return Approver.objects.select_related("user", "decided_by", "on_behalf_of").order_by("id")


def _steps():
    return ApprovalRequest.objects.select_related("group", "requested_by").prefetch_related(
        Prefetch("approvers", queryset=_approvers())
    )


def approval_out(request: ApprovalRequest, may_decide: bool) -> dict:
    return {
        "id": request.pk,
        "subject_type": request.subject_type,
        "subject_id": request.subject_id,
        "subject_label": request.subject_label,
        "link": request.get_absolute_url(),
        "round": request.round,
        "step": request.step,
        "name": request.name,
        "mode": request.mode,
        "quorum": request.quorum,
        "group": named_ref(request.group),
        "role": request.role,
        "state": request.state,
        "requested_at": request.requested_at,
        "decided_at": request.decided_at,
        "remind_at": request.remind_at,
        "escalate_at": request.escalate_at,
        "escalated_at": request.escalated_at,
        "requested_by": person_brief(request.requested_by),
        "may_decide": may_decide,
        "approvers": [
            {
                "id": a.pk,
                "user": person_brief(a.user),
                "kind": a.kind,
                "decision": a.decision,
                "decided_by": person_brief(a.decided_by),
                "on_behalf_of": person_brief(a.on_behalf_of),
                "comment": a.comment,
                "decided_at": a.decided_at,
            }
            for a in request.approvers.all()
        ],
        "version": request.version,
    }


def _mine(user, state: str):
    """The steps of ``state`` for ``user`` and their order (``queries`` and models decide)."""
    if state == "pending":
        return queries.awaiting(user), ("requested_at", "id")
    if state == "decided":
        decided = Approver.objects.filter(decided_by_id=user.pk).values("request_id")
        return ApprovalRequest.objects.filter(pk__in=decided), ("-decided_at", "-id")
    return ApprovalRequest.objects.filter(asked_or_decided(user)), ("-requested_at", "-id")


@router.get(
    "/approvals",
    response={200: page_of(ApprovalOut), **ERRORS},
    summary="My approvals: what awaits my decision (default), what I decided, or both",
)
def list_approvals(request, filters: Query[ApprovalQuery], page: Query[PageParams]):
    user = request.auth
    rows, order = _mine(user, filters.state)
    ids = rows.values("pk")
    found = paginate(_steps().filter(pk__in=ids).order_by(*order), page)
    shown = [r.pk for r in found["items"]]
    awaiting = set(queries.awaiting(user).filter(pk__in=shown).values_list("pk", flat=True))
    found["items"] = [approval_out(r, r.pk in awaiting) for r in found["items"]]
    return found


def _step_for(user, approval_id: int) -> ApprovalRequest:
    return get_visible(_steps(), user, approval_id, "Approval")


@router.get(
    "/approvals/{approval_id}",
    response={200: ApprovalOut, **ERRORS},
    summary="One step of approval, with its approvers",
)
def get_approval(request, approval_id: Id):
    step = _step_for(request.auth, approval_id)
    return approval_out(step, queries.eligible(request.auth, step))


@router.post(
    "/approvals/{approval_id}/decision",
    response={200: ApprovalOut, **ERRORS},
    summary="Approve or reject a step (a rejection gives its reason in comment)",
)
def decide(request, approval_id: Id, payload: ApprovalDecisionIn):
    step = _step_for(request.auth, approval_id)
    ops.decide(
        request.auth,
        step,
        decision=payload.decision,
        comment=payload.comment,
        version=payload.version,
    )
    fresh = _step_for(request.auth, approval_id)
    return approval_out(fresh, queries.eligible(request.auth, fresh))


# --- delegations --------------------------------------------------------------------------------


def delegation_out(row: Delegation) -> dict:
    return {
        "id": row.pk,
        "user": person_brief(row.user),
        "delegate": person_brief(row.delegate),
        "starts_at": row.starts_at,
        "ends_at": row.ends_at,
        "reason": row.reason,
        "active": row.is_active(),
        "created_by": person_brief(row.created_by),
        "version": row.version,
    }


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value, dt.UTC)
    return value


@router.get(
    "/delegations",
    response={200: page_of(DelegationOut), **ERRORS},
    summary="The delegations I gave or received, newest first",
)
def list_delegations(request, filters: Query[DelegationQuery], page: Query[PageParams]):
    rows = queries.delegations_of(request.auth)
    if filters.active is not None:
        now = timezone.now()
        running = Q(starts_at__lte=now, ends_at__gt=now)
        rows = rows.filter(running) if filters.active else rows.exclude(running)
    return paginate(rows, page, delegation_out)


@router.post(
    "/delegations",
    response={201: DelegationOut, **ERRORS},
    summary="Let someone decide my approvals while I am away",
)
def create_delegation(request, payload: DelegationIn):
    actor = request.auth
    if payload.user is not None and payload.user != actor.pk and not actor.is_admin:
        message = _("You may only delegate your own approvals.")
        raise PermissionDenied(message, {"user": [message]})
    user = visible_ref(User.objects, actor, "user", payload.user, "user") or actor
    delegate = visible_ref(User.objects, actor, "delegate", payload.delegate, "user")
    row = ops.delegate(
        actor,
        user=user,
        delegate=delegate,
        starts_at=_aware(payload.starts_at) or timezone.now(),
        ends_at=_aware(payload.ends_at),
        reason=payload.reason,
    )
    return Status(201, delegation_out(row))


@router.delete(
    "/delegations/{delegation_id}",
    response={200: DelegationOut, **ERRORS},
    summary="End a delegation now",
)
def end_delegation(request, delegation_id: Id, version: Id | None = None):
    row = (
        Delegation.objects.for_user(request.auth, "view")
        .select_related("user", "delegate", "created_by")
        .filter(pk=delegation_id)
        .first()
    )
    if row is None:
        raise NotFound(_("Delegation %(id)s not found.") % {"id": delegation_id})
    ended = ops.end_delegation(request.auth, row, version=version)
    ended.user, ended.delegate, ended.created_by = row.user, row.delegate, row.created_by
    return delegation_out(ended)
