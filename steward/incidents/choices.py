"""Enumerations of the incidents app, as string-valued choices (never integers for states)."""

from __future__ import annotations

from django.db import models


class Category(models.TextChoices):
    """What a status means to the SLA clock: running, paused, or stopped."""

    OPEN = "open", "Open"
    PAUSED = "paused", "Paused"
    RESOLVED = "resolved", "Resolved"


class Status(models.TextChoices):
    NEW = "new", "New"
    IN_PROGRESS = "in_progress", "In progress"
    ON_HOLD = "on_hold", "On hold"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"


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
    AWAITING_CALLER = "awaiting_caller", "Awaiting caller"
    AWAITING_VENDOR = "awaiting_vendor", "Awaiting vendor"
    AWAITING_CHANGE = "awaiting_change", "Awaiting change"


class ResolutionCode(models.TextChoices):
    SOLVED = "solved", "Solved (permanently)"
    WORKAROUND = "workaround", "Solved by workaround"
    NOT_REPRODUCIBLE = "not_reproducible", "Not reproducible"
    USER_INSTRUCTION = "user_instruction", "User instructed"
    DUPLICATE = "duplicate", "Duplicate"
    SOLVED_BY_CALLER = "solved_by_caller", "Solved by caller"


class Level(models.IntegerChoices):
    """Impact and urgency: 1 high to 3 low."""

    HIGH = 1, "1 – High"
    MEDIUM = 2, "2 – Medium"
    LOW = 3, "3 – Low"


class Priority(models.IntegerChoices):
    P1 = 1, "P1 – Critical"
    P2 = 2, "P2 – High"
    P3 = 3, "P3 – Moderate"
    P4 = 4, "P4 – Low"
    P5 = 5, "P5 – Planning"


class Visibility(models.TextChoices):
    INTERNAL = "internal", "Work note (internal)"
    PUBLIC = "public", "Reply (visible to the caller)"


class HandoverStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    CANCELLED = "cancelled", "Cancelled"


#: Journal actions on an incident that a requester may read on its timeline. Everything else
#: (work notes, handovers, assignments, priority overrides) is internal to IT.
PUBLIC_ACTIONS = frozenset({"created", "status_changed", "reopened", "replied", "attached"})
