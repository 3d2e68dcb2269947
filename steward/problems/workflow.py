"""The problem lifecycle: the transition table and its guards (the only place it is written).

new ──► assessment ──► root_cause_analysis ──► fix_in_progress ──► resolved ──► closed
 │          │                 │  └─────────────────────────────────► resolved (no fix needed)
 └──────────┴─────────────────┴──────────────────┴──► cancelled (with a reason)
resolved ──► fix_in_progress   (the fix did not hold)

Guards: root cause analysis needs a problem owner; a fix needs the root cause recorded;
resolving needs a fix description or a reason why no fix is needed (until the changes practice
exists: then a linked successful change); cancelling needs a reason. The known-error flag is no
transition: ``known_error_problems`` says what setting it needs.
"""

from __future__ import annotations

from django.utils.translation import gettext

from steward.core.errors import ValidationError
from steward.core.workflow import TransitionTable
from steward.problems.choices import KNOWN_ERROR_STATUSES, Status


def _refuse(message: str, fields: dict[str, str]) -> ValidationError:
    return ValidationError(message, {k: [v] for k, v in fields.items()})


def require_owner(*, problem=None, **_) -> None:
    if problem is not None and problem.owner_id is None:
        raise _refuse(
            gettext("Root cause analysis needs a problem owner: name who is accountable first."),
            {"owner": "required for root cause analysis"},
        )


def _root_cause(problem) -> str:
    # a missing one-to-one row raises RelatedObjectDoesNotExist, an AttributeError
    rca = getattr(problem, "rca", None) if problem is not None else None
    return (rca.root_cause or "").strip() if rca is not None else ""


def require_root_cause(*, problem=None, **_) -> None:
    if problem is not None and not _root_cause(problem):
        raise _refuse(
            gettext("A fix needs the root cause: record it in the root cause analysis first."),
            {"rca.root_cause": "required before a fix"},
        )


#: The outcomes of a change that count as the fix being in.
FIXED_BY = ("successful", "successful_with_issues")


def fix_change_problem(change) -> str:
    """Why ``change`` cannot be the fix ('' when it can): closed, with a successful outcome."""
    if change is None:
        return "required to resolve (or no_fix_reason)"
    if change.status != "closed" or change.outcome not in FIXED_BY:
        return f"{change.number} is not closed successful"
    return ""


def require_fix_or_reason(
    *,
    problem=None,
    fix_description: str = "",
    no_fix_reason: str = "",
    fix_change=None,
    changes_on: bool = False,
    **_,
) -> None:
    """With the changes practice on, the fix is a change closed successful; without it, a
    description of the fix. Either way, a reason why no fix is needed does instead."""
    reason = (no_fix_reason or "").strip() or (problem.no_fix_reason if problem else "")
    if reason:
        return
    if changes_on:
        change = fix_change or (problem.fix_change if problem else None)
        problem_with_change = fix_change_problem(change)
        if problem_with_change:
            raise _refuse(
                gettext(
                    "Resolving needs the change that fixed it, closed successful, or the "
                    "reason why no fix is needed."
                ),
                {
                    "fix_change": problem_with_change,
                    "no_fix_reason": "required to resolve (or fix_change)",
                },
            )
        return
    fix = (fix_description or "").strip() or (problem.fix_description if problem else "")
    if not fix:
        raise _refuse(
            gettext(
                "Resolving needs a description of the fix, or the reason why no fix is needed."
            ),
            {
                "fix_description": "required to resolve (or no_fix_reason)",
                "no_fix_reason": "required to resolve (or fix_description)",
            },
        )


def require_cancel_reason(*, cancel_reason: str = "", **_) -> None:
    if not (cancel_reason or "").strip():
        raise _refuse(
            gettext("Cancelling needs a reason."), {"cancel_reason": "required to cancel"}
        )


_BEFORE_RESOLVED = (
    Status.NEW,
    Status.ASSESSMENT,
    Status.ROOT_CAUSE_ANALYSIS,
    Status.FIX_IN_PROGRESS,
)

PROBLEM = TransitionTable(
    "problem",
    {
        Status.NEW: {Status.ASSESSMENT, Status.CANCELLED},
        Status.ASSESSMENT: {Status.ROOT_CAUSE_ANALYSIS, Status.CANCELLED},
        Status.ROOT_CAUSE_ANALYSIS: {Status.FIX_IN_PROGRESS, Status.RESOLVED, Status.CANCELLED},
        Status.FIX_IN_PROGRESS: {Status.RESOLVED, Status.CANCELLED},
        Status.RESOLVED: {Status.CLOSED, Status.FIX_IN_PROGRESS},
        Status.CLOSED: set(),
        Status.CANCELLED: set(),
    },
    guards={
        (Status.ASSESSMENT, Status.ROOT_CAUSE_ANALYSIS): require_owner,
        (Status.ROOT_CAUSE_ANALYSIS, Status.FIX_IN_PROGRESS): require_root_cause,
        (Status.ROOT_CAUSE_ANALYSIS, Status.RESOLVED): require_fix_or_reason,
        (Status.FIX_IN_PROGRESS, Status.RESOLVED): require_fix_or_reason,
        **{(s, Status.CANCELLED): require_cancel_reason for s in _BEFORE_RESOLVED},
    },
    labels=dict(Status.choices),
)


def known_error_problems(problem, *, workaround: str) -> dict[str, str]:
    """What setting the known-error flag still needs (``{field: problem}``; empty: nothing):
    root cause analysis onwards, a recorded root cause and a workaround."""
    missing = {}
    if problem.status not in KNOWN_ERROR_STATUSES:
        missing["status"] = "a known error is set from root cause analysis onwards"
    if not _root_cause(problem):
        missing["rca.root_cause"] = "the root cause must be recorded"
    if not (workaround or "").strip():
        missing["workaround"] = "required for a known error"
    return missing
