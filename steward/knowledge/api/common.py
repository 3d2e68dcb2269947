"""What the knowledge API's modules share: the router, the article as each audience reads
it, and looking up articles, incidents and references (a missing or invisible one answers
exactly like one that does not exist)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _
from ninja import Router

from steward.core.api_support import (
    named_ref,
    person_brief,
    ref_or_422,
    visible_ref,
    visible_refs,
)
from steward.core.errors import NotFound, ValidationError
from steward.incidents.models import Incident, IncidentCategory
from steward.knowledge.choices import FlagStatus
from steward.knowledge.models import Article
from steward.people.models import Organization, User
from steward.problems.models import Problem
from steward.services.models import CIClass, Service

router = Router(tags=["knowledge"])


def with_relations(qs):
    """Everything an answer names, in a fixed number of statements whatever the page size."""
    return qs.select_related("owner", "created_by", "category", "created_from", "problem")


def staff_counts(qs):
    return qs.annotate(
        citation_total=Count("incident_links", distinct=True),
        open_flag_total=Count("flags", filter=Q(flags__status=FlagStatus.OPEN), distinct=True),
    )


def prefetched(qs):
    return qs.prefetch_related(
        Prefetch("services", queryset=Service.objects.order_by("name")),
        Prefetch("ci_classes", queryset=CIClass.objects.order_by("name")),
        Prefetch("organizations", queryset=Organization.objects.order_by("name")),
    )


def articles_for(user, qs=None):
    """Articles ``user`` reads, with what their audience's answer needs."""
    qs = qs if qs is not None else Article.objects.for_user(user, "view")
    if user.is_it:
        return prefetched(staff_counts(with_relations(qs)))
    return qs


def article_for(user, article_id: int) -> Article:
    """The article ``article_id`` as ``user`` reads it (404 when they may not)."""
    article = articles_for(user).filter(pk=article_id).first()
    if article is None:
        raise NotFound(_("Article %(id)s not found.") % {"id": article_id})
    return article


def article_out(a: Article, score: float | None = None) -> dict:
    """An article as IT staff read it."""
    citations = getattr(a, "citation_total", None)
    open_flags = getattr(a, "open_flag_total", None)
    return {
        "id": a.pk,
        "number": a.number,
        "url": a.get_absolute_url(),
        "title": a.title,
        "issue": a.issue,
        "environment": a.environment,
        "resolution": a.resolution,
        "cause": a.cause,
        "keywords": a.keywords,
        "language": a.language,
        "confidence": a.confidence,
        "audience": a.audience,
        "organizations": [named_ref(o) for o in a.organizations.all()],
        "services": [named_ref(s) for s in a.services.all()],
        "ci_classes": [named_ref(c) for c in a.ci_classes.all()],
        "category": named_ref(a.category),
        "owner": person_brief(a.owner),
        "created_by": person_brief(a.created_by),
        "created_from": a.created_from.number if a.created_from_id else None,
        "problem": a.problem.number if a.problem_id else None,
        "revision": a.revision,
        "citations": citations if citations is not None else a.incident_links.count(),
        "open_flags": open_flags
        if open_flags is not None
        else a.flags.filter(status=FlagStatus.OPEN).count(),
        "score": score,
        "validated_at": a.validated_at,
        "published_at": a.published_at,
        "archived_at": a.archived_at,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
        "version": a.version,
    }


def requester_article_out(a: Article, score: float | None = None) -> dict:
    """An article as a requester reads it: its text only."""
    return {
        "id": a.pk,
        "number": a.number,
        "title": a.title,
        "issue": a.issue,
        "environment": a.environment,
        "resolution": a.resolution,
        "cause": a.cause,
        "keywords": a.keywords,
        "language": a.language,
        "score": score,
        "updated_at": a.updated_at,
    }


def article_out_for(user, a: Article, score: float | None = None) -> dict:
    return article_out(a, score) if user.is_it else requester_article_out(a, score)


def fresh_out(user, article: Article) -> dict:
    return article_out_for(user, article_for(user, article.pk))


def incident_for(user, number: str) -> Incident:
    incident = Incident.objects.for_user(user, "view").filter(number=number.upper()).first()
    if incident is None:
        raise NotFound(_("Incident %(number)s not found.") % {"number": number})
    return incident


def incident_ref(user, field: str, number: str | None) -> Incident | None:
    if number is None:
        return None
    incident = Incident.objects.for_user(user, "view").filter(number=number.upper()).first()
    if incident is None:
        raise ValidationError.field(
            field, _("There is no incident %(number)s.") % {"number": number.upper()}
        )
    return incident


def problem_ref(user, field: str, number: str | None) -> Problem | None:
    if number is None:
        return None
    problem = Problem.objects.for_user(user, "view").filter(number=number.upper()).first()
    if problem is None:
        raise ValidationError.field(
            field, _("There is no problem %(number)s.") % {"number": number.upper()}
        )
    return problem


def refs(actor, data: dict) -> dict:
    """Turn the ids of a body into rows (a missing or invisible one: 422 naming the field)."""
    out = {}
    if "services" in data and data["services"] is not None:
        out["services"] = visible_refs(
            Service.objects, actor, "services", data["services"], "services"
        )
    if "ci_classes" in data and data["ci_classes"] is not None:
        found = {c.pk: c for c in CIClass.objects.filter(pk__in=data["ci_classes"])}
        missing = [pk for pk in data["ci_classes"] if pk not in found]
        if missing:
            raise ValidationError.field(
                "ci_classes", _("CI classes %(pks)s do not exist") % {"pks": missing}
            )
        out["ci_classes"] = [found[pk] for pk in dict.fromkeys(data["ci_classes"])]
    if "category" in data:
        pk = data["category"]
        out["category"] = (
            None
            if pk is None
            else ref_or_422(IncidentCategory.objects.all(), "category", pk, "category")
        )
    if "owner" in data and data["owner"] is not None:
        out["owner"] = visible_ref(User.objects, actor, "owner", data["owner"], "user")
    return out
