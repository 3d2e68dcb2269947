"""Deciding on a change in Authorize: one approver's vote in the current round.

``authorization`` says who may vote and when the authorization is complete. An approval that
completes it stamps ``authorized_at``; one rejection sends the change back to Assess with the
reasons and starts a new round (the earlier votes no longer count)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.changes.authorization import approval_refusal, authorization
from steward.changes.choices import ApprovalDecision, Status
from steward.changes.models import Approval, ChangeRequest
from steward.changes.operations import notices
from steward.changes.operations.common import (
    FIELDS,
    check_version,
    invalid,
    locked,
    recheck,
    require_staff,
)
from steward.changes.workflow import CHANGE
from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import Conflict, PermissionDenied


@transaction.atomic
def decide(
    actor,
    change: ChangeRequest,
    *,
    decision: str,
    comment: str = "",
    version: int | None = None,
) -> Approval:
    """``actor`` approves or rejects ``change`` (a rejection says why, in ``comment``)."""
    require_staff(actor)
    if actor is None:
        raise PermissionDenied(
            _("A decision on a change is a person's."), {"approver": ["a person decides"]}
        )
    locked(change)
    check_version(change, version)
    if decision not in ApprovalDecision.values:
        raise invalid(
            "decision",
            _("Decide approved or rejected."),
            f"one of {', '.join(ApprovalDecision.values)}",
        )
    comment = (comment or "").strip()
    if decision == ApprovalDecision.REJECTED and not comment:
        raise invalid("comment", _("A rejection gives its reasons."), "required when rejecting")
    state = authorization(change)
    refusal = approval_refusal(actor, change, state)
    if refusal is not None:
        field, message = refusal
        error = PermissionDenied if field == "approver" else Conflict
        raise error(message, {field: [message]})
    approval = Approval.objects.create(
        change=change,
        round=change.approval_round,
        approver=actor,
        level=state.level,
        board=state.board,
        decision=decision,
        comment=comment,
    )
    journal.record(
        actor,
        change,
        "approval_decided",
        {"decision": [None, decision], "approval_round": [None, change.approval_round]},
        comment,
    )
    if decision == ApprovalDecision.REJECTED:
        _reject(actor, change, approval)
    elif authorization(change).complete:
        change.authorized_at = timezone.now()
        save_versioned(change, None, ["authorized_at"])
        journal.record(actor, change, "authorized", {"authorized_at": [None, change.authorized_at]})
        notices.authorized(actor, change)
    else:
        save_versioned(change, None, [])
    return approval


def _reject(actor, change: ChangeRequest, approval: Approval) -> None:
    """Back to Assess with the reasons; the next trip to Authorize is a new round."""
    CHANGE.check(change.status, Status.ASSESS, change=change)
    before = journal.snapshot(change, [*FIELDS, "rejection_reasons"])
    change.status = Status.ASSESS
    change.rejection_reasons = f"{actor.display_name}: {approval.comment}"
    change.approval_round += 1
    change.authorized_at = None
    save_versioned(change, None, ["status", "rejection_reasons", "approval_round", "authorized_at"])
    after = journal.snapshot(change, [*FIELDS, "rejection_reasons"])
    journal.record(actor, change, "rejected", journal.diff(before, after), approval.comment)
    recheck(change)
    notices.rejected(actor, change, change.rejection_reasons)
