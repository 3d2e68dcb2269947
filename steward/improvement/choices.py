"""Statuses and outcomes of an improvement item (the only place they are listed)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImprovementStatus(models.TextChoices):
    """Named for the practice: the OpenAPI document names enums by class, across apps."""

    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    IN_PROGRESS = "in_progress", _("In progress")
    BENEFITS_REVIEW = "benefits_review", _("Benefits review")
    CLOSED = "closed", _("Closed")


Status = ImprovementStatus


class Outcome(models.TextChoices):
    ACHIEVED = "achieved", _("Outcome achieved")
    NOT_ACHIEVED = "not_achieved", _("Outcome not achieved")
    ABANDONED = "abandoned", _("Abandoned")


#: open: waiting or being worked; resolved: final (no SLA clock: the category is for lists).
STATUS_CATEGORY = {
    Status.PROPOSED: "open",
    Status.APPROVED: "open",
    Status.IN_PROGRESS: "open",
    Status.BENEFITS_REVIEW: "open",
    Status.CLOSED: "resolved",
}

#: Statuses in which the item is committed to: it must have an owner (else an ownership gap)
#: and its baseline is frozen.
COMMITTED_STATUSES = (Status.APPROVED, Status.IN_PROGRESS, Status.BENEFITS_REVIEW)
OPEN_STATUSES = (Status.PROPOSED, *COMMITTED_STATUSES)
