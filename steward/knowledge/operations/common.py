"""Shared pieces of the knowledge operations: the fields the journal follows, the HTML
allow-list, the row lock and the refusals every writer makes."""

from __future__ import annotations

import html

import nh3
from django.utils.translation import gettext as _

from steward.core import clock, journal
from steward.core.errors import NotFound, PermissionDenied, StaleVersion, ValidationError
from steward.knowledge import rules
from steward.knowledge.choices import CONTENT_FIELDS
from steward.knowledge.models import Article

#: The article fields the journal follows (content, state and metadata).
FIELDS = [
    *CONTENT_FIELDS,
    "language",
    "category",
    "owner",
    "confidence",
    "audience",
]

#: Text fields that hold formatted text (HTML, cleaned to the allow-list on every write).
RICH_FIELDS = ("issue", "environment", "resolution", "cause")
#: Text fields that are plain text (shown escaped; tags are refused nowhere, just inert).
PLAIN_FIELDS = ("title", "keywords")

#: What an article's text may contain: structure and emphasis, links to the web. No scripts,
#: styles, event handlers, forms or frames: a reader's browser runs nothing from an article.
ALLOWED_TAGS = {
    "a",
    "b",
    "blockquote",
    "br",
    "code",
    "em",
    "h3",
    "h4",
    "hr",
    "i",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan"}, "th": {"colspan"}}
URL_SCHEMES = {"http", "https", "mailto"}


def sanitize(text: str | None) -> str:
    """The article text as stored: HTML cleaned to the allow-list (nh3), outer blanks
    removed. Cleaning is idempotent, so an unchanged text compares equal after a round trip."""
    if not text:
        return ""
    return nh3.clean(
        str(text),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    ).strip()


def as_text(html_text: str) -> str:
    """Stored article HTML as the history shows it: the words, without tags or entities
    (the timeline escapes what it shows, so "&gt;" would be read as such)."""
    return html.unescape(nh3.clean(html_text or "", tags=set())).strip()


def snapshot(article) -> dict:
    """``journal.snapshot`` of the article's journaled fields, its rich text as words."""
    values = journal.snapshot(article, FIELDS)
    for name in RICH_FIELDS:
        if isinstance(values.get(name), str):
            values[name] = as_text(values[name])
    return values


def clean_field(name: str, value) -> str:
    """One content field as stored: rich fields sanitised, plain fields stripped."""
    if name in RICH_FIELDS:
        return sanitize(value)
    return (value or "").strip()


def moment(at=None):
    """The time an operation records: the one given, else now (simulated in the demo)."""
    return at if at is not None else clock.now()


def invalid(name: str, message, problem: str | None = None) -> ValidationError:
    """A refusal about one field: a sentence for people, the short problem for the API."""
    return ValidationError(str(message), {name: [problem or str(message)]})


def refuse(message, field: str, problem: str) -> PermissionDenied:
    return PermissionDenied(str(message), {field: [problem]})


def not_found() -> NotFound:
    return NotFound(_("Article not found."))


def require_visible(actor, article: Article) -> None:
    """An article the person may not read is answered as if there were none."""
    if actor is not None and not rules.may_view(actor, article):
        raise not_found()


def require_staff(actor) -> None:
    if not rules.is_staff(actor):
        raise refuse(
            _("Only IT staff work on knowledge articles."), "user", "requesters may not do this"
        )


def locked(article: Article) -> Article:
    """Re-read the article under a row lock (PostgreSQL; SQLite's write lock serializes)."""
    fresh = Article.objects.select_for_update().get(pk=article.pk)
    for f in Article._meta.concrete_fields:
        setattr(article, f.attname, getattr(fresh, f.attname))
    for name in ("owner", "category", "created_by", "created_from", "problem"):
        field = Article._meta.get_field(name)
        if field.is_cached(article):
            cached = field.get_cached_value(article)
            if getattr(cached, "pk", None) != getattr(article, field.attname):
                field.delete_cached_value(article)
    article.__dict__.pop("_service_ids", None)
    return article


def check_version(record, version: int | None) -> None:
    """A write names the version it read: a stale one changes nothing (409)."""
    if version is not None and version != record.version:
        raise StaleVersion(version, record.version)


def names(rows) -> list[str]:
    return sorted(str(r) for r in rows)
