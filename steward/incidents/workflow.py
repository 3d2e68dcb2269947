"""The incident lifecycle: the transition table and its guards (the only place it is written).

new ──► in_progress ──► on_hold ──► in_progress
 │          │  └──────► resolved ──► closed
 │          │              └──────► in_progress   (reopen: reopen_count + 1)
 └──────────┴──► cancelled
"""

from __future__ import annotations

from django.utils.translation import gettext

from steward.core.errors import ValidationError
from steward.core.workflow import TransitionTable
from steward.incidents.choices import HoldReason, ResolutionCode, Status


def require_resolution(*, resolution_code: str = "", resolution_notes: str = "", **_) -> None:
    problems = {}
    if not resolution_code:
        problems["resolution_code"] = ["required to resolve"]
    elif resolution_code not in ResolutionCode.values:
        problems["resolution_code"] = [f"must be one of {', '.join(ResolutionCode.values)}"]
    if not (resolution_notes or "").strip():
        problems["resolution_notes"] = ["required to resolve"]
    if problems:
        raise ValidationError(
            "Resolving needs a resolution code and notes: "
            + "; ".join(f"{k}: {v[0]}" for k, v in problems.items()),
            problems,
        )


def require_hold_reason(*, hold_reason: str = "", **_) -> None:
    if not hold_reason:
        raise ValidationError.field(
            "hold_reason", f"required to put on hold: one of {', '.join(HoldReason.values)}"
        )
    if hold_reason not in HoldReason.values:
        raise ValidationError.field("hold_reason", f"must be one of {', '.join(HoldReason.values)}")


def require_review_if_major(*, incident=None, **_) -> None:
    """A major incident cannot close before its post-incident review is recorded."""
    from steward.incidents.models import MajorIncident

    if (
        incident is not None
        and MajorIncident.objects.filter(incident=incident, review__isnull=True).exists()
    ):
        raise ValidationError(
            gettext("A major incident closes only after its post-incident review is recorded."),
            {"to": ["a major incident closes only after its post-incident review is recorded"]},
        )


INCIDENT = TransitionTable(
    "incident",
    {
        Status.NEW: {Status.IN_PROGRESS, Status.CANCELLED},
        Status.IN_PROGRESS: {Status.ON_HOLD, Status.RESOLVED, Status.CANCELLED},
        Status.ON_HOLD: {Status.IN_PROGRESS},
        Status.RESOLVED: {Status.CLOSED, Status.IN_PROGRESS},
        Status.CLOSED: set(),
        Status.CANCELLED: set(),
    },
    guards={
        (Status.IN_PROGRESS, Status.RESOLVED): require_resolution,
        (Status.IN_PROGRESS, Status.ON_HOLD): require_hold_reason,
        (Status.RESOLVED, Status.CLOSED): require_review_if_major,
    },
    labels=dict(Status.choices),
)

#: resolved → in_progress is a reopen: it counts, and the caller may do it.
REOPEN = (Status.RESOLVED, Status.IN_PROGRESS)
