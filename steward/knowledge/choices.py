"""Enumerations of the knowledge app, as string-valued choices.

Schema names in the API document are global: each class is named for knowledge
(``ArticleConfidence``, not ``Confidence``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleConfidence(models.TextChoices):
    """KCS confidence: how far the organisation trusts what the article says."""

    WIP = "wip", _("Work in progress")
    NOT_VALIDATED = "not_validated", _("Not validated")
    VALIDATED = "validated", _("Validated")
    ARCHIVED = "archived", _("Archived")


Confidence = ArticleConfidence

#: Confidences in which an article is offered while people work (suggestions, search):
#: an archived article is kept and linkable from history, never suggested.
LIVE_CONFIDENCES = frozenset({Confidence.WIP, Confidence.NOT_VALIDATED, Confidence.VALIDATED})


class ArticleAudience(models.TextChoices):
    """KCS visibility: who may read the article."""

    INTERNAL = "internal", _("Internal (IT staff)")
    CUSTOMERS = "customers", _("Customers of given organisations")
    PUBLIC = "public", _("Public (every requester)")


Audience = ArticleAudience

#: Audiences a requester may read (subject to confidence and, for customers, organisation).
EXTERNAL_AUDIENCES = frozenset({Audience.CUSTOMERS, Audience.PUBLIC})


class LicenceLevel(models.TextChoices):
    """KCS licences, lowest first (``LEVEL_ORDER``)."""

    CANDIDATE = "candidate", _("Candidate")
    CONTRIBUTOR = "contributor", _("Contributor")
    PUBLISHER = "publisher", _("Publisher")


LEVEL_ORDER = (LicenceLevel.CANDIDATE, LicenceLevel.CONTRIBUTOR, LicenceLevel.PUBLISHER)


def level_rank(level: str | None) -> int:
    """0 for no licence, 1 candidate, 2 contributor, 3 publisher."""
    return LEVEL_ORDER.index(level) + 1 if level in LEVEL_ORDER else 0


class FlagReason(models.TextChoices):
    WRONG = "wrong", _("Wrong")
    OUTDATED = "outdated", _("Outdated")
    UNCLEAR = "unclear", _("Unclear")
    DUPLICATE = "duplicate", _("Duplicate")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FIXED = "fixed", _("Fixed")
    DISMISSED = "dismissed", _("Dismissed")


class LinkKind(models.TextChoices):
    """Whether an incident reused an article that existed before it, or the article was
    created from the incident (worked out by the server from the timestamps)."""

    REUSE = "reuse", _("Reused")
    CREATE = "create", _("Created")


class PortalEventKind(models.TextChoices):
    """What a requester did in the portal's knowledge (for deflection and self-service
    success: an event followed by no incident of theirs within 24 hours)."""

    SEARCH = "search", _("Searched")
    VIEW = "view", _("Viewed an article")


class Recommendation(models.TextChoices):
    """A coach's recommendation after reviewing a Candidate's article."""

    KEEP = "keep", _("Keep coaching")
    CONTRIBUTOR = "contributor", _("Promote to Contributor")
    PUBLISHER = "publisher", _("Promote to Publisher")


class QualityCriterion(models.TextChoices):
    """The coach's checklist (the KCS Article Quality Index criteria). Each has a weight in
    ``QUALITY_WEIGHTS``; AQI = 100 * (1 - sum(weight * defects) / (reviews * sum(weights)))."""

    UNIQUE = "unique", _("Unique: not a duplicate of another article")
    COMPLETE = "complete", _("Complete: issue, environment and resolution filled in")
    CLEAR = "clear", _("Content clear and concise")
    TITLE = "title", _("Title reflects the issue in the customer's words")
    METADATA = "metadata", _("Services, CI classes and keywords correct")
    LINKS = "links", _("Links valid")


QUALITY_WEIGHTS = {
    QualityCriterion.UNIQUE: 3,
    QualityCriterion.COMPLETE: 3,
    QualityCriterion.CLEAR: 2,
    QualityCriterion.TITLE: 2,
    QualityCriterion.METADATA: 1,
    QualityCriterion.LINKS: 1,
}

#: The fields of an article that make up a version (every edit writes all of them).
CONTENT_FIELDS = ("title", "issue", "environment", "resolution", "cause", "keywords")
