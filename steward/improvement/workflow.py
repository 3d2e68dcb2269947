"""The improvement lifecycle: the transition table and its guards (the only place it is written).

proposed ──► approved ──► in_progress ──► benefits_review ──► closed
   │            │              │       ◄──────┘    (achieved / not achieved / abandoned)
   └────────────┴──────────────┴──► closed (abandoned, with a reason)

Approving captures the baseline; entering the benefits review freezes the figures of the
review; closing records the outcome.
"""

from __future__ import annotations

from django.utils.translation import gettext

from steward.core.errors import ValidationError
from steward.core.workflow import TransitionTable
from steward.improvement.choices import Outcome, Status


def _refuse(message: str, fields: dict) -> None:
    raise ValidationError(message, fields)


def require_ready_for_approval(*, item=None, **_) -> None:
    """An approved item is a commitment: someone answers for it (an active owner), by a date,
    and, when it names a KPI, to a target. The refusal names every missing piece."""
    if item is None:
        return
    missing = {}
    if item.owner is None or not item.owner.is_active:
        missing["owner"] = [gettext("an active owner is required to approve")]
    if item.due_date is None:
        missing["due_date"] = [gettext("a due date is required to approve")]
    if item.kpi_key and item.target is None:
        missing["target"] = [gettext("a target for the KPI is required to approve")]
    if missing:
        _refuse(
            gettext("It cannot be approved yet: %(missing)s.")
            % {"missing": "; ".join(f"{k}: {v[0]}" for k, v in missing.items())},
            missing,
        )


def require_abandon_reason(*, outcome: str = "", reason: str = "", **_) -> None:
    """Before the benefits review an item can only be abandoned, and the reason is kept."""
    if outcome and outcome != Outcome.ABANDONED:
        _refuse(
            gettext("Before its benefits review an item can only be closed as abandoned."),
            {"outcome": [gettext("only “abandoned” before the benefits review")]},
        )
    if not (reason or "").strip():
        _refuse(
            gettext("Abandoning an item needs a reason."),
            {"reason": [gettext("required to abandon")]},
        )


def require_outcome(*, outcome: str = "", reason: str = "", **_) -> None:
    """Closing after the benefits review says whether it worked; abandoning needs a reason."""
    if outcome not in Outcome.values:
        _refuse(
            gettext("Closing needs an outcome: achieved, not achieved or abandoned."),
            {
                "outcome": [
                    gettext("required to close: one of %(values)s")
                    % {"values": ", ".join(Outcome.values)}
                ]
            },
        )
    if outcome == Outcome.ABANDONED and not (reason or "").strip():
        _refuse(
            gettext("Abandoning an item needs a reason."),
            {"reason": [gettext("required to abandon")]},
        )


ITEM = TransitionTable(
    "improvement",
    {
        Status.PROPOSED: {Status.APPROVED, Status.CLOSED},
        Status.APPROVED: {Status.IN_PROGRESS, Status.CLOSED},
        Status.IN_PROGRESS: {Status.BENEFITS_REVIEW, Status.CLOSED},
        Status.BENEFITS_REVIEW: {Status.CLOSED, Status.IN_PROGRESS},
        Status.CLOSED: set(),
    },
    guards={
        (Status.PROPOSED, Status.APPROVED): require_ready_for_approval,
        (Status.PROPOSED, Status.CLOSED): require_abandon_reason,
        (Status.APPROVED, Status.CLOSED): require_abandon_reason,
        (Status.IN_PROGRESS, Status.CLOSED): require_abandon_reason,
        (Status.BENEFITS_REVIEW, Status.CLOSED): require_outcome,
    },
    labels=dict(Status.choices),
)

#: What each move is called on a button, and the journal's action for it.
MOVE_ACTIONS = {
    (Status.PROPOSED, Status.APPROVED): "approved",
    (Status.APPROVED, Status.IN_PROGRESS): "started",
    (Status.IN_PROGRESS, Status.BENEFITS_REVIEW): "benefits_review_started",
    (Status.BENEFITS_REVIEW, Status.IN_PROGRESS): "resumed",
}


def journal_action(current: str, target: str) -> str:
    return MOVE_ACTIONS.get((current, target), "closed" if target == Status.CLOSED else target)
