"""What decides whether a change may go ahead: its risk answers, its approvals (who must still
approve, and each decision), and its conflicts with the override of the change manager."""

from __future__ import annotations

from ninja.responses import Status as HttpStatus

from steward.changes import authorization
from steward.changes import operations as ops
from steward.changes.api.common import (
    answers_named_by_place,
    answers_of,
    change_for,
    fresh_out,
    override_out,
    router,
    staff,
)
from steward.changes.models import ChangeRequest, Conflict
from steward.changes.schemas import (
    ChangeApprovalIn,
    ChangeAuthorizationOut,
    ChangeConflictsOut,
    ChangeOut,
    ChangeOverrideIn,
    ChangeRiskIn,
)
from steward.core.api_input import RecordNumber
from steward.core.api_support import ERRORS, named_ref, person_brief


def authorization_out(user, change: ChangeRequest) -> dict:
    state = authorization.authorization(change)
    votes = sorted(authorization.all_votes(change), key=lambda v: (v.decided_at, v.id))
    return {
        "change": change.number,
        "status": change.status,
        "round": change.approval_round,
        "level": state.level,
        "board": named_ref(state.board.group) if state.board else None,
        "needed": state.needed,
        "complete": state.complete,
        "rejected": state.rejected,
        "authorized_at": change.authorized_at,
        "approvals": [
            {
                "id": v.id,
                "round": v.round,
                "approver": person_brief(v.approver),
                "level": v.level,
                "board": named_ref(v.board.group) if v.board else None,
                "decision": v.decision,
                "comment": v.comment,
                "decided_at": v.decided_at,
            }
            for v in votes
        ],
    }


def conflicts_out(user, change: ChangeRequest) -> dict:
    covered = set(change.conflicts_overridden or [])
    rows = (
        Conflict.objects.for_user(user, "view")
        .filter(change=change)
        .select_related("other_change", "ci", "related_ci", "window", "person")
        .order_by("id")
    )
    conflicts = [
        {
            "key": c.key,
            "kind": c.kind,
            "other_change": (
                {"number": c.other_change.number, "title": c.other_change.title}
                if c.other_change
                else None
            ),
            "ci": named_ref(c.ci),
            "related_ci": named_ref(c.related_ci),
            "window": named_ref(c.window),
            "person": person_brief(c.person),
            "overridden": c.key in covered,
            "found_at": c.found_at,
        }
        for c in rows
    ]
    return {
        "change": change.number,
        "blocking": sum(1 for c in conflicts if not c["overridden"]),
        "conflicts": conflicts,
        "override": override_out(change),
    }


@router.put(
    "/changes/{number}/risk",
    response={200: ChangeOut, **ERRORS},
    summary="Answer the risk questionnaire (the risk is assessed again)",
)
def answer_risk(request, number: RecordNumber, payload: ChangeRiskIn):
    actor = staff(request)
    change = change_for(actor, number)
    data = payload.dict()
    with answers_named_by_place(data["answers"]):
        ops.answer_risk(actor, change, version=data["version"], answers=answers_of(data["answers"]))
    return fresh_out(actor, change)


@router.get(
    "/changes/{number}/approvals",
    response={200: ChangeAuthorizationOut, **ERRORS},
    summary="Who authorizes the change, what is still needed, and every decision",
)
def list_approvals(request, number: RecordNumber):
    actor = staff(request)
    return authorization_out(actor, change_for(actor, number))


@router.post(
    "/changes/{number}/approvals",
    response={201: ChangeAuthorizationOut, **ERRORS},
    summary="Approve or reject a change in Authorize",
    description="Nobody approves their own change (its requester or owner); one vote per "
    "approver and round. A rejection sends the change back to Assess with the reasons.",
)
def decide(request, number: RecordNumber, payload: ChangeApprovalIn):
    actor = staff(request)
    change = change_for(actor, number)
    ops.decide(
        actor,
        change,
        decision=payload.decision,
        comment=payload.comment,
        version=payload.version,
    )
    return HttpStatus(201, authorization_out(actor, change_for(actor, number)))


@router.get(
    "/changes/{number}/conflicts",
    response={200: ChangeConflictsOut, **ERRORS},
    summary="The conflicts of a change's planned window, as last computed",
)
def list_conflicts(request, number: RecordNumber):
    actor = staff(request)
    return conflicts_out(actor, change_for(actor, number))


@router.post(
    "/changes/{number}/conflicts/override",
    response={200: ChangeConflictsOut, **ERRORS},
    summary="Override the current conflicts (change managers, with a reason)",
    description="Covers the conflicts found now; one found later blocks scheduling again.",
)
def override_conflicts(request, number: RecordNumber, payload: ChangeOverrideIn):
    actor = staff(request)
    change = change_for(actor, number)
    ops.override_conflicts(actor, change, reason=payload.reason, version=payload.version)
    return conflicts_out(actor, change_for(actor, number))
