"""Enumerations of the incidents app, as string-valued choices (never integers for states)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """What a status means to the SLA clock: running, paused, or stopped."""

    OPEN = "open", _("Open")
    PAUSED = "paused", _("Paused")
    RESOLVED = "resolved", _("Resolved")


class Status(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    ON_HOLD = "on_hold", _("On hold")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


#: The category of every status; the SLA clock reads this.
STATUS_CATEGORY: dict[str, str] = {
    Status.NEW: Category.OPEN,
    Status.IN_PROGRESS: Category.OPEN,
    Status.ON_HOLD: Category.PAUSED,
    Status.RESOLVED: Category.RESOLVED,
    Status.CLOSED: Category.RESOLVED,
    Status.CANCELLED: Category.RESOLVED,
}

#: Statuses in which work is still going on (open or paused).
ACTIVE_STATUSES = frozenset(s for s, c in STATUS_CATEGORY.items() if c != Category.RESOLVED)
#: No more changes, notes or attachments.
FINAL_STATUSES = frozenset({Status.CLOSED, Status.CANCELLED})


def status_category(status: str) -> str:
    return STATUS_CATEGORY[status]


class HoldReason(models.TextChoices):
    AWAITING_CALLER = "awaiting_caller", _("Awaiting caller")
    AWAITING_VENDOR = "awaiting_vendor", _("Awaiting vendor")
    AWAITING_CHANGE = "awaiting_change", _("Awaiting change")


class ResolutionCode(models.TextChoices):
    SOLVED = "solved", _("Solved (permanently)")
    WORKAROUND = "workaround", _("Solved by workaround")
    NOT_REPRODUCIBLE = "not_reproducible", _("Not reproducible")
    USER_INSTRUCTION = "user_instruction", _("User instructed")
    DUPLICATE = "duplicate", _("Duplicate")
    SOLVED_BY_CALLER = "solved_by_caller", _("Solved by caller")


class Level(models.IntegerChoices):
    """Impact and urgency: 1 high to 3 low."""

    HIGH = 1, _("1 – High")
    MEDIUM = 2, _("2 – Medium")
    LOW = 3, _("3 – Low")


class Priority(models.IntegerChoices):
    P1 = 1, _("P1 – Critical")
    P2 = 2, _("P2 – High")
    P3 = 3, _("P3 – Moderate")
    P4 = 4, _("P4 – Low")
    P5 = 5, _("P5 – Planning")


class Visibility(models.TextChoices):
    INTERNAL = "internal", _("Work note (internal)")
    PUBLIC = "public", _("Reply (visible to the caller)")


class HandoverStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class UpdateKind(models.TextChoices):
    """The moment of a major incident's stakeholder update: its template."""

    INITIAL = "initial", _("Initial")
    PROGRESS = "progress", _("Progress")
    RESOLVED = "resolved", _("Resolved")


class Channel(models.TextChoices):
    """How an audience of a major incident's communication plan hears an update."""

    IN_APP = "in_app", _("In app")
    EMAIL = "email", _("E-mail")
    BOTH = "both", _("In app and e-mail")
    NONE = "none", _("Not told")


#: The update cadence a new major incident starts with, by priority (minutes).
DEFAULT_CADENCE = {1: 30, 2: 60}
#: ... and for every other priority.
FALLBACK_CADENCE = 120
#: The cadences the page offers (any whole number of minutes in range is accepted).
CADENCE_CHOICES = (15, 30, 60, 120, 240)
CADENCE_MIN, CADENCE_MAX = 5, 1440


def default_cadence(priority: int) -> int:
    """Minutes between a major incident's updates: 30 for P1, 60 for P2, else 120."""
    return DEFAULT_CADENCE.get(priority, FALLBACK_CADENCE)


#: Journal actions on an incident that a requester may read on its timeline. Everything else
#: (work notes, handovers, assignments, priority overrides) is internal to IT.
PUBLIC_ACTIONS = frozenset({"created", "status_changed", "reopened", "replied", "attached"})
