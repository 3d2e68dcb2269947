"""Domain operations of the knowledge app: the only code that writes articles, their
versions, flags, links, ratings, reviews, licences and portal events. Each runs in one
transaction, checks ``rules.py`` and the workflow, and writes the journal. Callers import
this package (``from steward.knowledge import operations as ops``)."""

from steward.knowledge.operations.activity import (
    flag_article,
    link_article,
    link_kind,
    rate_article,
    record_portal_event,
    resolve_flag,
    review_article,
    unlink_article,
)
from steward.knowledge.operations.articles import (
    EDITABLE,
    capture_from_incident,
    capture_from_problem,
    create_article,
    set_audience,
    set_confidence,
    update_article,
)
from steward.knowledge.operations.common import FIELDS, sanitize
from steward.knowledge.operations.licences import change_licence, grant_licence, revoke_licence

__all__ = [
    "EDITABLE",
    "FIELDS",
    "capture_from_incident",
    "capture_from_problem",
    "change_licence",
    "create_article",
    "flag_article",
    "grant_licence",
    "link_article",
    "link_kind",
    "rate_article",
    "record_portal_event",
    "resolve_flag",
    "review_article",
    "revoke_licence",
    "sanitize",
    "set_audience",
    "set_confidence",
    "unlink_article",
    "update_article",
]
