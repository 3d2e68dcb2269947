"""The knowledge app's tables (one module per subject, re-exported here)."""

from steward.knowledge.models.activity import (
    ArticleEmbedding,
    ArticleRating,
    Flag,
    IncidentArticle,
    PortalEvent,
)
from steward.knowledge.models.articles import Article, ArticleVersion, requester_filter
from steward.knowledge.models.licences import CoachReview, Licence

__all__ = [
    "Article",
    "ArticleEmbedding",
    "ArticleRating",
    "ArticleVersion",
    "CoachReview",
    "Flag",
    "IncidentArticle",
    "Licence",
    "PortalEvent",
    "requester_filter",
]
