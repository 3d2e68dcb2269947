"""Flags on articles and the links between incidents and articles."""

from __future__ import annotations

from ninja import Query
from ninja.responses import Status as HttpStatus

from steward.core.api_input import Id, RecordNumber
from steward.core.api_support import ERRORS, PageParams, page_of, paginate, person_brief
from steward.core.errors import NotFound, ValidationError
from steward.knowledge import operations as ops
from steward.knowledge.api.common import article_for, incident_for, router
from steward.knowledge.models import Article, Flag, IncidentArticle
from steward.knowledge.schemas import ArticleLinkIn, FlagIn, FlagOut, FlagResolveIn, LinkOut


def flag_out(f: Flag) -> dict:
    return {
        "id": f.pk,
        "article": f.article_id,
        "reason": f.reason,
        "comment": f.comment,
        "raised_by": person_brief(f.raised_by),
        "created_at": f.created_at,
        "status": f.status,
        "resolved_by": person_brief(f.resolved_by),
        "resolved_at": f.resolved_at,
        "resolution": f.resolution,
    }


def _flags(user, article_id: int):
    article_for(user, article_id)
    return (
        Flag.objects.for_user(user, "view")
        .filter(article_id=article_id)
        .select_related("raised_by", "resolved_by")
    )


@router.get(
    "/articles/{article_id}/flags",
    response={200: page_of(FlagOut), **ERRORS},
    summary="An article's flags, newest first (a requester sees the flags they raised)",
)
def list_flags(request, article_id: Id, page: Query[PageParams]):
    return paginate(_flags(request.auth, article_id).order_by("-id"), page, flag_out)


@router.post(
    "/articles/{article_id}/flags",
    response={201: FlagOut, **ERRORS},
    summary="Flag an article (wrong, outdated, unclear, duplicate): its owner is told",
)
def create_flag(request, article_id: Id, payload: FlagIn):
    actor = request.auth
    article = article_for(actor, article_id)
    flag = ops.flag_article(actor, article, reason=payload.reason, comment=payload.comment)
    return HttpStatus(201, flag_out(flag))


@router.patch(
    "/articles/{article_id}/flags/{flag_id}",
    response={200: FlagOut, **ERRORS},
    summary="Resolve a flag: fixed or dismissed (the owner or a Contributor of the domain)",
)
def resolve_flag(request, article_id: Id, flag_id: Id, payload: FlagResolveIn):
    actor = request.auth
    flag = _flags(actor, article_id).filter(pk=flag_id).first()
    if flag is None:
        raise NotFound(f"Flag {flag_id} not found.")
    flag = ops.resolve_flag(actor, flag, status=payload.status, resolution=payload.resolution)
    return flag_out(flag)


def link_out(link: IncidentArticle, incident=None, article=None) -> dict:
    incident = incident or link.incident
    article = article or link.article
    return {
        "incident": incident.number,
        "article": {"id": article.pk, "number": article.number, "title": article.title},
        "kind": link.kind,
        "linked_by": person_brief(link.linked_by),
        "linked_at": link.linked_at,
    }


@router.get(
    "/incidents/{number}/articles",
    response={200: page_of(LinkOut), **ERRORS},
    summary="The articles linked to an incident (a requester: those they may read)",
)
def list_incident_articles(request, number: RecordNumber, page: Query[PageParams]):
    user = request.auth
    incident = incident_for(user, number)
    qs = (
        IncidentArticle.objects.for_user(user, "view")
        .filter(incident=incident)
        .select_related("article", "linked_by")
        .order_by("id")
    )
    return paginate(qs, page, lambda link: link_out(link, incident=incident))


@router.post(
    "/incidents/{number}/articles",
    response={200: LinkOut, 201: LinkOut, **ERRORS},
    summary="Link an article to an incident (IT staff)",
    description='The answer\'s `kind` is worked out by the server: "reuse" when the article '
    'existed before the incident was opened, "create" when it was written after. 201 for a '
    "new link; 200 with the existing one when it was linked already.",
)
def link_article(request, number: RecordNumber, payload: ArticleLinkIn):
    actor = request.auth
    incident = incident_for(actor, number)
    if not actor.is_it:
        raise NotFound("Not found.")
    article = Article.objects.for_user(actor, "view").filter(pk=payload.article).first()
    if article is None:
        raise ValidationError.field("article", f"article {payload.article} does not exist")
    existed = IncidentArticle.objects.filter(incident=incident, article=article).exists()
    link = ops.link_article(actor, incident, article)
    return HttpStatus(200 if existed else 201, link_out(link, incident=incident, article=article))


@router.delete(
    "/incidents/{number}/articles/{article_id}",
    response={204: None, **ERRORS},
    summary="Unlink an article from an incident (IT staff)",
)
def unlink_article(request, number: RecordNumber, article_id: Id):
    actor = request.auth
    incident = incident_for(actor, number)
    if not actor.is_it:
        raise NotFound("Not found.")
    article = Article.objects.for_user(actor, "view").filter(pk=article_id).first()
    if article is None:
        raise NotFound(f"Article {article_id} not found.")
    ops.unlink_article(actor, incident, article)
    return HttpStatus(204, None)
