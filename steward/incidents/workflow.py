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
        if "resolution_code" in problems and "resolution_notes" in problems:
            message = gettext(
                "Resolving needs a resolution code and notes: choose a code and "
                "write what was done."
            )
        elif "resolution_notes" in problems:
            message = gettext("Resolving needs notes: write what was done.")
        elif resolution_code:
            message = gettext("Choose one of the resolution codes offered.")
        else:
            message = gettext("Resolving needs a resolution code: choose one.")
        raise ValidationError(message, problems)


def require_hold_reason(*, hold_reason: str = "", **_) -> None:
    choices = ", ".join(HoldReason.values)
    if not hold_reason:
        raise ValidationError(
            gettext("Say what the incident waits for to put it on hold."),
            {"hold_reason": [f"required to put on hold: one of {choices}"]},
        )
    if hold_reason not in HoldReason.values:
        raise ValidationError(
            gettext("Choose one of the hold reasons offered."),
            {"hold_reason": [f"must be one of {choices}"]},
        )


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
