"""The change lifecycle: the transition table and its guards (the only place it is written).

new ──► assess ──► authorize ──► scheduled ──► implement ──► review ──► closed
 │        ▲  │         │  │          │
 │        └──┼─────────┘  │          │        (a rejection sends the change back to assess)
 └───────────┴────────────┴──────────┴──► cancelled (with a reason), before implement

Guards (each refusal names every missing item, as ``{field: problem}``):
- into authorize: a normal change needs the implementation, backout, test and communication
  plans; every change needs at least one CI or service;
- into scheduled: the authorization complete (a standard change is pre-authorized), a planned
  window, and no conflict left that the change manager has not overridden;
- into closed: an outcome, and a post-implementation review for a failed or backed-out,
  emergency or high-risk change;
- into cancelled: a reason.

What the guards read that is not on the row (the authorization state, the blocking conflicts,
the review) the operation passes in: the guards stay pure.
"""

from __future__ import annotations

from django.utils.translation import gettext

from steward.changes.choices import CANCELLABLE_STATUSES, ChangeType, Outcome, Risk, Status
from steward.core.errors import ValidationError
from steward.core.workflow import TransitionTable

PLANS = ("implementation_plan", "backout_plan", "test_plan", "communication_plan")


def _refuse(message: str, fields: dict[str, str]) -> ValidationError:
    return ValidationError(message, {k: [v] for k, v in fields.items()})


def authorize_problems(change, *, has_scope: bool) -> dict[str, str]:
    """What entering Authorize still needs (``{field: problem}``; empty: nothing)."""
    missing = {}
    if change.type == ChangeType.NORMAL:
        for plan in PLANS:
            if not (getattr(change, plan) or "").strip():
                missing[plan] = "required before authorization"
    if not has_scope:
        missing["cis"] = "at least one CI or service is required before authorization"
    return missing


def require_ready_for_authorization(*, change=None, has_scope: bool = False, **_) -> None:
    if change is None:
        return
    missing = authorize_problems(change, has_scope=has_scope)
    if missing:
        raise _refuse(
            gettext("Before authorization the change needs: %(missing)s.")
            % {"missing": ", ".join(_say(k) for k in missing)},
            missing,
        )


def schedule_problems(change, *, authorized: bool, blocking_conflicts: int) -> dict[str, str]:
    """What entering Scheduled still needs."""
    missing = {}
    if not authorized:
        missing["approvals"] = "the authorization is not complete"
    if change.planned_start is None or change.planned_end is None:
        missing["planned_start"] = "a planned window is required to schedule"
    if blocking_conflicts:
        missing["conflicts"] = (
            f"{blocking_conflicts} conflict(s) not overridden by the change manager"
        )
    return missing


def require_ready_to_schedule(
    *, change=None, authorized: bool = False, blocking_conflicts: int = 0, **_
) -> None:
    if change is None:
        return
    missing = schedule_problems(
        change, authorized=authorized, blocking_conflicts=blocking_conflicts
    )
    if missing:
        raise _refuse(
            gettext("The change cannot be scheduled yet: %(missing)s.")
            % {"missing": ", ".join(_say(k) for k in missing)},
            missing,
        )


def needs_review(change, outcome: str = "") -> bool:
    """A failed or backed-out, emergency or high-risk change has a post-implementation
    review before it closes."""
    outcome = outcome or change.outcome
    return (
        outcome in (Outcome.FAILED, Outcome.BACKED_OUT)
        or change.type == ChangeType.EMERGENCY
        or change.risk == Risk.HIGH
    )


def require_outcome_and_review(
    *, change=None, outcome: str = "", has_review: bool = False, **_
) -> None:
    if change is None:
        return
    missing = {}
    outcome = outcome or change.outcome
    if not outcome:
        missing["outcome"] = "required to close"
    if needs_review(change, outcome) and not has_review:
        missing["review"] = "a post-implementation review is required for this change"
    if missing:
        raise _refuse(
            gettext("Closing needs: %(missing)s.")
            % {"missing": ", ".join(_say(k) for k in missing)},
            missing,
        )


def require_cancel_reason(*, cancel_reason: str = "", **_) -> None:
    if not (cancel_reason or "").strip():
        raise _refuse(
            gettext("Cancelling needs a reason."), {"cancel_reason": "required to cancel"}
        )


def _say(field: str) -> str:
    """The missing item as people call it."""
    return str(
        {
            "implementation_plan": gettext("the implementation plan"),
            "backout_plan": gettext("the backout plan"),
            "test_plan": gettext("the test plan"),
            "communication_plan": gettext("the communication plan"),
            "cis": gettext("a CI or service"),
            "approvals": gettext("a complete authorization"),
            "planned_start": gettext("a planned window"),
            "conflicts": gettext("its conflicts resolved or overridden"),
            "outcome": gettext("the outcome"),
            "review": gettext("a post-implementation review"),
        }.get(field, field)
    )


CHANGE = TransitionTable(
    "change",
    {
        Status.NEW: {Status.ASSESS, Status.CANCELLED},
        Status.ASSESS: {Status.AUTHORIZE, Status.CANCELLED},
        Status.AUTHORIZE: {Status.SCHEDULED, Status.ASSESS, Status.CANCELLED},
        Status.SCHEDULED: {Status.IMPLEMENT, Status.ASSESS, Status.CANCELLED},
        Status.IMPLEMENT: {Status.REVIEW},
        Status.REVIEW: {Status.CLOSED},
        Status.CLOSED: set(),
        Status.CANCELLED: set(),
    },
    guards={
        (Status.ASSESS, Status.AUTHORIZE): require_ready_for_authorization,
        (Status.AUTHORIZE, Status.SCHEDULED): require_ready_to_schedule,
        (Status.REVIEW, Status.CLOSED): require_outcome_and_review,
        **{(s, Status.CANCELLED): require_cancel_reason for s in CANCELLABLE_STATUSES},
    },
    labels=dict(Status.choices),
)
