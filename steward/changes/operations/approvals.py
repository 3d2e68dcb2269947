"""Authorizing a change through the shared approvals (``steward.approvals``).

Entering Authorize asks one step of approval for the change's authority level in its current
round (:func:`ask`; nothing for a pre-authorized change); leaving Authorize another way than
to Scheduled withdraws the open step (:func:`withdraw`). A change whose authority moved while
in Authorize — its risk, type or owning group, the authority table, its board's quorum — is
asked afresh in a new round (:func:`reauthorize`): the votes given were for another authority.

People decide from the change's page and ``/api/v1/changes/{number}/approvals``
(:func:`decide`, with the change's own refusals and its version), or from their approvals
(``/approvals/``, ``/api/v1/approvals``, a one-click link: ``approvals.operations.decide``).
Either way the change's :class:`~steward.approvals.registry.ApprovalSubject` (registered in
``apps.py``) does the rest: every decision moves the change's version (:func:`on_step`); the
step approved stamps ``authorized_at``; one rejection sends the change back to Assess with the
reasons and starts a new round (:func:`on_complete`)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from steward.approvals import operations as approvals_ops
from steward.approvals.choices import Decision
from steward.approvals.models import ApprovalRequest
from steward.approvals.registry import ApprovalSubject
from steward.changes import authorization as auth
from steward.changes.choices import ApprovalDecision, AuthorityLevel, Status
from steward.changes.models import ChangeRequest
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
from steward.core.errors import Conflict, PermissionDenied, StaleVersion
from steward.core.texts import Text

# --- asking ------------------------------------------------------------------------------------


def ask(actor, change: ChangeRequest) -> ApprovalRequest | None:
    """Ask the change's authority for its approval in the current round (the change has just
    entered Authorize): the owning group's members, the change managers or the board's
    members are told. None for a change that needs no approval. A step nobody could decide
    (the only members are the requester and owner) is refused, naming ``approvers``."""
    level, board = auth.authority(change)
    spec = auth.step_for(change, level, board)
    if spec is None:
        return None
    return approvals_ops.request_approval(
        actor, change, steps=[approvals_ops.StepSpec(**spec)], round=change.approval_round
    )[0]


def withdraw(actor, change: ChangeRequest, reason: str = "") -> int:
    """Cancel the open step of the change's current round (it left Authorize)."""
    return approvals_ops.cancel_round(
        actor, change, round=change.approval_round, reason=reason or ""
    )


def reauthorize(actor, change: ChangeRequest) -> bool:
    """For a change in Authorize: if who authorizes it moved (its risk, type or owning group,
    the authority table, its board), withdraw the step asked and ask the new authority in a
    new round (or pre-authorize it). Whether it was asked afresh. The caller holds the lock."""
    if change.status != Status.AUTHORIZE:
        return False
    level, board = auth.authority(change)
    step = auth.current_step(change)
    before = {"approval_round": change.approval_round, "authorized_at": change.authorized_at}
    if step is None:
        if level == AuthorityLevel.NONE:
            if change.authorized_at is not None:
                return False
            change.authorized_at = timezone.now()
            save_versioned(change, None, ["authorized_at"])
        else:
            change.authorized_at = None
            save_versioned(change, None, ["authorized_at"])
            ask(actor, change)
    else:
        if auth.matches(step, change, level, board):
            return False
        withdraw(actor, change, _("Who authorizes %(number)s moved.") % {"number": change.number})
        change.approval_round += 1
        change.authorized_at = timezone.now() if level == AuthorityLevel.NONE else None
        save_versioned(change, None, ["approval_round", "authorized_at"])
        ask(actor, change)
    after = {"approval_round": change.approval_round, "authorized_at": change.authorized_at}
    journal.record(
        actor,
        change,
        "reauthorized",
        journal.diff(before, after),
        Text(
            gettext_noop("Asked afresh: %(level)s"),
            level=str(AuthorityLevel(level).label),
        ),
    )
    return True


def reauthorize_open(actor, changes) -> int:
    """:func:`reauthorize` each of ``changes`` in Authorize (the authority table or a board
    moved); how many were asked afresh."""
    moved = 0
    for change in changes.filter(status=Status.AUTHORIZE).order_by("pk"):
        locked(change)
        moved += reauthorize(actor, change)
    return moved


# --- deciding ----------------------------------------------------------------------------------


@transaction.atomic
def decide(
    actor,
    change: ChangeRequest,
    *,
    decision: str,
    comment: str = "",
    version: int | None = None,
) -> auth.Vote:
    """``actor`` approves or rejects ``change`` (a rejection says why, in ``comment``): one
    decision on the step of the current round, through ``approvals.operations.decide``."""
    require_staff(actor)
    if actor is None:
        raise PermissionDenied(
            _("A decision on a change is a person's."), {"approver": ["a person decides"]}
        )
    asked = auth.current_step(change)
    if asked is not None:
        # the step first, then the change: the order approvals.decide takes them in
        ApprovalRequest.objects.select_for_update().filter(pk=asked.pk).first()
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
    state = auth.authorization(change)
    refusal = auth.approval_refusal(actor, change, state)
    if refusal is not None:
        field, message = refusal
        error = PermissionDenied if field == "approver" else Conflict
        raise error(message, {field: [message]})
    try:
        row = approvals_ops.decide(actor, state.request, decision=decision, comment=comment)
    except StaleVersion:
        raise
    except Conflict as exc:  # decided by someone else a moment ago
        raise Conflict(exc.message, {"decision": [exc.message]}) from exc
    locked(change)
    return auth.Vote(
        id=row.pk,
        round=state.request.round,
        approver=row.user,
        decided_by=row.decided_by,
        on_behalf_of=row.on_behalf_of,
        level=state.level,
        board=state.board,
        decision=row.decision,
        comment=row.comment,
        decided_at=row.decided_at,
    )


# --- the change as an approval subject ---------------------------------------------------------


def _instance(subject_id) -> ChangeRequest | None:
    return (
        ChangeRequest.objects.select_related("requester", "owner", "owning_group")
        .filter(pk=subject_id)
        .first()
    )


def _label(change: ChangeRequest) -> str:
    return f"{change.number} {change.title}"


def _link(change: ChangeRequest) -> str:
    return change.get_absolute_url()


def _excluded(change: ChangeRequest) -> set[int]:
    """Nobody approves their own change: its requester and its owner."""
    return {pk for pk in (change.requester_id, change.owner_id) if pk is not None}


def on_step(actor, change: ChangeRequest, request) -> None:
    """After each decision (wherever it was given): only IT staff decide on a change, and only
    while it is in Authorize; the decision moves the change's version (its page shows it)."""
    if actor is None or not actor.is_it:
        message = _("Only IT staff approve changes.")
        raise PermissionDenied(message, {"approver": [message]})
    if change.status != Status.AUTHORIZE:
        message = _("%(number)s is not awaiting authorization.") % {"number": change.number}
        raise Conflict(message, {"status": [message]})
    save_versioned(change, None, [])


def on_complete(actor, change: ChangeRequest, outcome: str, request, comment: str) -> None:
    """The step of the round is decided: approved stamps ``authorized_at`` (the owner and
    requester are told it can be scheduled); rejected sends the change back to Assess."""
    if outcome == Decision.REJECTED:
        _reject(actor, change, comment)
        return
    change.authorized_at = timezone.now()
    save_versioned(change, None, ["authorized_at"])
    journal.record(actor, change, "authorized", {"authorized_at": [None, change.authorized_at]})
    notices.authorized(actor, change)


def _reject(actor, change: ChangeRequest, comment: str) -> None:
    """Back to Assess with the reasons; the next trip to Authorize is a new round."""
    CHANGE.check(change.status, Status.ASSESS, change=change)
    before = journal.snapshot(change, [*FIELDS, "rejection_reasons"])
    change.status = Status.ASSESS
    change.rejection_reasons = f"{actor.display_name}: {comment}"
    change.approval_round += 1
    change.authorized_at = None
    save_versioned(change, None, ["status", "rejection_reasons", "approval_round", "authorized_at"])
    after = journal.snapshot(change, [*FIELDS, "rejection_reasons"])
    journal.record(actor, change, "rejected", journal.diff(before, after), comment)
    recheck(change)
    notices.rejected(actor, change, change.rejection_reasons)


def still_missing(request) -> str | None:
    return auth.still_missing(request)


def approval_subject() -> ApprovalSubject:
    """How approvals reach changes (``Practice(approval_subjects=[...])``)."""
    return ApprovalSubject(
        type=auth.SUBJECT_TYPE,
        instance=_instance,
        label=_label,
        link=_link,
        excluded=_excluded,
        on_complete=on_complete,
        on_step=on_step,
        still_missing=still_missing,
    )
