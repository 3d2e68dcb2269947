"""Articles: list (queues, filters, ``?q=`` search, ``?suggest_for=`` suggestions), create,
read, change with a version, state transitions, and the versions."""

from __future__ import annotations

from ninja import Query
from ninja.responses import Status as HttpStatus

from steward.core.api_input import Id
from steward.core.api_support import ERRORS, PageParams, page_of, paginate, person_brief
from steward.core.errors import NotFound, ValidationError
from steward.knowledge import lists, suggest
from steward.knowledge import operations as ops
from steward.knowledge.api.common import (
    article_for,
    article_out_for,
    articles_for,
    fresh_out,
    incident_ref,
    problem_ref,
    refs,
    router,
)
from steward.knowledge.models import Article, ArticleVersion
from steward.knowledge.schemas import (
    ArticleCreate,
    ArticleFilters,
    ArticleForAudience,
    ArticleOut,
    ArticlePage,
    ArticleStateIn,
    ArticleUpdate,
    ArticleVersionOut,
)
from steward.people.models import Organization

#: Suggestions answer a person typing: a handful, never a page of hundreds.
MAX_SUGGESTIONS = 20


def _suggestions(user, filters: ArticleFilters, page: PageParams) -> dict:
    found = suggest.suggest_articles(
        user,
        filters.suggest_for,
        service_id=filters.service,
        limit=min(page.offset + page.limit, MAX_SUGGESTIONS),
    )
    chosen = found[page.offset : page.offset + page.limit]
    rows = {a.pk: a for a in articles_for(user).filter(pk__in=[s.article.pk for s in chosen])}
    items = [
        article_out_for(user, rows[s.article.pk], s.score) for s in chosen if s.article.pk in rows
    ]
    return {"count": len(found), "limit": page.limit, "offset": page.offset, "items": items}


@router.get(
    "/articles",
    response={200: ArticlePage, **ERRORS},
    summary="List articles",
    description="Items are ArticleOut for IT staff, RequesterArticleOut for requesters (who "
    "read validated articles for the public or for their organisation). `q` narrows the list "
    "to articles holding every word; `suggest_for` answers the best matches of typed text "
    f"instead (at most {MAX_SUGGESTIONS}, ranked, `score` set).",
)
def list_articles(request, filters: Query[ArticleFilters], page: Query[PageParams]):
    user = request.auth
    if filters.suggest_for is not None and filters.suggest_for.strip():
        return _suggestions(user, filters, page)
    qs = lists.filtered(user, filters)
    result = paginate(articles_for(user, qs), page)
    result["items"] = [article_out_for(user, a) for a in result["items"]]
    return result


@router.post(
    "/articles",
    response={201: ArticleOut, **ERRORS},
    summary="Write an article (IT staff; it starts WIP and internal)",
)
def create_article(request, payload: ArticleCreate):
    actor = request.auth
    if not actor.is_it:
        raise NotFound("Not found.")
    data = payload.dict()
    found = refs(actor, data)
    article = ops.create_article(
        actor,
        title=data["title"],
        issue=data["issue"],
        environment=data["environment"],
        resolution=data["resolution"],
        cause=data["cause"],
        keywords=data["keywords"],
        language=data["language"],
        services=found.get("services", ()),
        ci_classes=found.get("ci_classes", ()),
        category=found.get("category"),
        owner=found.get("owner"),
        created_from=incident_ref(actor, "created_from", data["created_from"]),
        problem=problem_ref(actor, "problem", data["problem"]),
    )
    return HttpStatus(201, fresh_out(actor, article))


@router.get(
    "/articles/{article_id}",
    response={200: ArticleForAudience, **ERRORS},
    summary="One article",
    description="ArticleOut for IT staff; RequesterArticleOut (its text) for requesters.",
)
def get_article(request, article_id: Id):
    return article_out_for(request.auth, article_for(request.auth, article_id))


@router.patch(
    "/articles/{article_id}",
    response={200: ArticleOut, **ERRORS},
    summary="Edit an article (every edit that changes something is a new version)",
)
def update_article(request, article_id: Id, payload: ArticleUpdate):
    actor = request.auth
    article = article_for(actor, article_id)
    if not actor.is_it:
        raise NotFound("Not found.")
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    summary = data.pop("summary", "")
    for name in ("environment", "resolution", "cause", "keywords"):
        if name in data and data[name] is None:
            data[name] = ""  # null clears a text
    for name in ("title", "issue", "language", "owner", "services", "ci_classes"):
        if name in data and data[name] is None:
            raise ValidationError.field(name, "cannot be null")
    data.update(refs(actor, data))
    ops.update_article(actor, article, version=version, summary=summary, **data)
    return fresh_out(actor, article)


@router.post(
    "/articles/{article_id}/state",
    response={200: ArticleOut, **ERRORS},
    summary="Move an article: its confidence, or its audience",
    description='`{"confidence": ..., "version": ...}` (wip, not_validated, validated, '
    'archived) or `{"audience": ..., "organizations": [...], "version": ...}` (internal, '
    "customers, public: Publishers; external needs validated).",
)
def change_state(request, article_id: Id, payload: ArticleStateIn):
    actor = request.auth
    article = article_for(actor, article_id)
    if not actor.is_it:
        raise NotFound("Not found.")
    if (payload.confidence is None) == (payload.audience is None):
        raise ValidationError.field("confidence", "give either confidence or audience")
    if payload.confidence is not None:
        if payload.organizations:
            raise ValidationError.field("organizations", "only with audience")
        ops.set_confidence(
            actor, article, payload.confidence, version=payload.version, comment=payload.comment
        )
    else:
        if payload.comment:
            raise ValidationError.field("comment", "only with confidence")
        organizations = list(Organization.objects.filter(pk__in=payload.organizations))
        missing = sorted(set(payload.organizations) - {o.pk for o in organizations})
        if missing:
            raise ValidationError.field("organizations", f"organizations {missing} do not exist")
        ops.set_audience(
            actor, article, payload.audience, version=payload.version, organizations=organizations
        )
    return fresh_out(actor, article)


def version_out(v: ArticleVersion) -> dict:
    return {
        "revision": v.revision,
        "author": person_brief(v.author),
        "created_at": v.created_at,
        "summary": v.summary,
        "title": v.title,
        "issue": v.issue,
        "environment": v.environment,
        "resolution": v.resolution,
        "cause": v.cause,
        "keywords": v.keywords,
        "confidence": v.confidence,
        "audience": v.audience,
    }


def _versions(user, article_id: int):
    """The versions of an article ``user`` reads (requesters: none, the current text only)."""
    if not Article.objects.for_user(user, "view").filter(pk=article_id).exists():
        raise NotFound(f"Article {article_id} not found.")
    return (
        ArticleVersion.objects.for_user(user, "view")
        .filter(article_id=article_id)
        .select_related("author")
    )


@router.get(
    "/articles/{article_id}/versions",
    response={200: page_of(ArticleVersionOut), **ERRORS},
    summary="An article's versions, oldest first (IT staff; a requester reads none)",
)
def list_versions(request, article_id: Id, page: Query[PageParams]):
    qs = _versions(request.auth, article_id).order_by("revision")
    return paginate(qs, page, version_out)


@router.get(
    "/articles/{article_id}/versions/{revision}",
    response={200: ArticleVersionOut, **ERRORS},
    summary="One version of an article",
)
def get_version(request, article_id: Id, revision: Id):
    row = _versions(request.auth, article_id).filter(revision=revision).first()
    if row is None:
        raise NotFound(f"Version {revision} of article {article_id} not found.")
    return version_out(row)
