"""Enumerations of the changes app, as string-valued choices (never integers for states).

Schema names in the API document are global: each class is named for changes
(``ChangeStatus``, not ``Status``) and aliased for the app's own code."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeType(models.TextChoices):
    STANDARD = "standard", _("Standard")
    NORMAL = "normal", _("Normal")
    EMERGENCY = "emergency", _("Emergency")


class ChangeStatus(models.TextChoices):
    NEW = "new", _("New")
    ASSESS = "assess", _("Assess")
    AUTHORIZE = "authorize", _("Authorize")
    SCHEDULED = "scheduled", _("Scheduled")
    IMPLEMENT = "implement", _("Implement")
    REVIEW = "review", _("Review")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


Status = ChangeStatus

#: Statuses in which the change is still going on.
ACTIVE_STATUSES = frozenset(
    {
        Status.NEW,
        Status.ASSESS,
        Status.AUTHORIZE,
        Status.SCHEDULED,
        Status.IMPLEMENT,
        Status.REVIEW,
    }
)
FINAL_STATUSES = frozenset({Status.CLOSED, Status.CANCELLED})
#: "Cancelled from any state before Implement".
CANCELLABLE_STATUSES = frozenset({Status.NEW, Status.ASSESS, Status.AUTHORIZE, Status.SCHEDULED})
#: The changes a planned window conflicts with: every change not cancelled or closed (a draft
#: in New counts too: conflicts are best found early).
CONFLICTING_STATUSES = ACTIVE_STATUSES
#: What may still be edited (plans, window, CIs): before implementation starts.
EDITABLE_STATUSES = CANCELLABLE_STATUSES


class ChangeRisk(models.TextChoices):
    LOW = "low", _("Low")
    MODERATE = "moderate", _("Moderate")
    HIGH = "high", _("High")


Risk = ChangeRisk

#: Risks in order, lowest first: the higher of two is the one later in this tuple.
RISK_ORDER = (Risk.LOW, Risk.MODERATE, Risk.HIGH)


def higher_risk(a: str, b: str) -> str:
    return max(a, b, key=RISK_ORDER.index)


class ChangeImpact(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class ChangeOutcome(models.TextChoices):
    SUCCESSFUL = "successful", _("Successful")
    WITH_ISSUES = "successful_with_issues", _("Successful with issues")
    FAILED = "failed", _("Failed")
    BACKED_OUT = "backed_out", _("Backed out")


Outcome = ChangeOutcome

#: The success score of each outcome (issue 18: +3 successful, -2 with issues, -5 failed);
#: a backed-out change counts as failed.
OUTCOME_SCORE = {
    Outcome.SUCCESSFUL: 3,
    Outcome.WITH_ISSUES: -2,
    Outcome.FAILED: -5,
    Outcome.BACKED_OUT: -5,
}
#: And for each incident the change caused, by the incident's priority (P1, P2, P3).
CAUSED_INCIDENT_SCORE = {1: -10, 2: -5, 3: -2}


class AuthorityLevel(models.TextChoices):
    """Who authorizes a change of a type and risk (admin data: ``AuthorityRule``)."""

    NONE = "none", _("Pre-authorized (no approval)")
    PEER = "peer", _("Peer review")
    CHANGE_MANAGER = "change_manager", _("The change manager")
    BOARD = "board", _("A change board (CAB)")


class ApprovalDecision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class WindowKind(models.TextChoices):
    MAINTENANCE = "maintenance", _("Maintenance window")
    BLACKOUT = "blackout", _("Blackout period")


class ConflictKind(models.TextChoices):
    CI_BUSY = "ci_busy", _("CI in another change")
    RELATED_CI_BUSY = "related_ci_busy", _("Related CI in another scheduled change")
    OUTSIDE_WINDOW = "outside_window", _("Outside the CI's maintenance window")
    IN_BLACKOUT = "in_blackout", _("Inside a blackout period")
    RELATED_OUTSIDE_WINDOW = (
        "related_outside_window",
        _("A related CI outside its maintenance window"),
    )
    RELATED_IN_BLACKOUT = "related_in_blackout", _("A related CI inside a blackout period")
    IMPLEMENTER_BUSY = "implementer_busy", _("Implementer double-booked")


class RiskRuleKind(models.TextChoices):
    """The conditions a risk rule may test (each sets a minimum risk when it holds)."""

    SERVICE_CRITICALITY = (
        "service_criticality",
        _("Affects a service of this criticality or more critical"),
    )
    NO_RECENT_SUCCESS = "no_recent_success", _("A CI without a successful change in this many days")
    OUTAGE_EXPECTED = "outage_expected", _("An outage is expected")
