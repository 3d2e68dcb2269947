"""Enumerations of the problems app, as string-valued choices (never integers for states)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProblemStatusCategory(models.TextChoices):
    """What a status means: work going on, or done. (Named for the API document, whose
    schema names are global: incidents have a ``Category`` too.)"""

    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


Category = ProblemStatusCategory


class ProblemStatus(models.TextChoices):
    NEW = "new", _("New")
    ASSESSMENT = "assessment", _("Assessment")
    ROOT_CAUSE_ANALYSIS = "root_cause_analysis", _("Root cause analysis")
    FIX_IN_PROGRESS = "fix_in_progress", _("Fix in progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


Status = ProblemStatus

#: The category of every status.
STATUS_CATEGORY: dict[str, str] = {
    Status.NEW: Category.OPEN,
    Status.ASSESSMENT: Category.OPEN,
    Status.ROOT_CAUSE_ANALYSIS: Category.OPEN,
    Status.FIX_IN_PROGRESS: Category.OPEN,
    Status.RESOLVED: Category.RESOLVED,
    Status.CLOSED: Category.RESOLVED,
    Status.CANCELLED: Category.RESOLVED,
}

#: Statuses in which work on the problem is still going on.
ACTIVE_STATUSES = frozenset(s for s, c in STATUS_CATEGORY.items() if c == Category.OPEN)
#: No more changes.
FINAL_STATUSES = frozenset({Status.CLOSED, Status.CANCELLED})
#: "From root cause analysis onwards": where the known-error flag may be set.
KNOWN_ERROR_STATUSES = frozenset(
    {Status.ROOT_CAUSE_ANALYSIS, Status.FIX_IN_PROGRESS, Status.RESOLVED}
)
#: Where a published known error is offered to agents (a closed problem's is retired).
PUBLISHED_STATUSES = KNOWN_ERROR_STATUSES


def status_category(status: str) -> str:
    return STATUS_CATEGORY[status]


class RcaMethod(models.TextChoices):
    FIVE_WHYS = "five_whys", _("5 whys")
    FISHBONE = "fishbone", _("Fishbone (causes by category)")
    TIMELINE = "timeline", _("Timeline / causal chain")


class CauseCategory(models.TextChoices):
    PEOPLE = "people", _("People")
    PROCESS = "process", _("Process")
    TECHNOLOGY = "technology", _("Technology")
    SUPPLIER = "supplier", _("Supplier")
    ENVIRONMENT = "environment", _("Environment")


class LinkVia(models.TextChoices):
    """How an incident came to be linked to a problem."""

    CREATED_FROM = "created_from", _("Problem raised from it")
    LINKED = "linked", _("Linked")
    WORKAROUND = "workaround", _("Workaround applied")
