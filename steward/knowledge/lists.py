"""The article lists, defined once for the pages and the API: the named queues (with their
counts), the filters and the sorts. Everything is decided in SQL, through
``Article.objects.for_user`` (the audience rule), so a page of a list costs the same few
statements however many articles there are."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from steward.knowledge import rules, search
from steward.knowledge.choices import (
    LIVE_CONFIDENCES,
    Confidence,
    FlagStatus,
    LicenceLevel,
)
from steward.knowledge.models import Article, CoachReview, Flag, Licence
from steward.people.choices import Role
from steward.people.models import UserRole

#: The queues of the list page (its tabs, in order).
QUEUES = {
    "all": _("All articles"),
    "mine": _("Mine"),
    "drafts": _("Drafts"),
    "flagged": _("Flagged"),
    "coach": _("To coach"),
}

#: Sorts by name: each a tuple of orderings ending in the id, so ties are broken the same way
#: and a descending sort is the exact reverse of the ascending one.
SORTS = {
    "updated": ("updated_at", "id"),
    "-updated": ("-updated_at", "-id"),
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
    "citations": ("citation_count", "id"),
    "-citations": ("-citation_count", "-id"),
}
DEFAULT_SORT = "-updated"

DRAFT_CONFIDENCES = (Confidence.WIP, Confidence.NOT_VALIDATED)
ABOVE_CANDIDATE = (LicenceLevel.CONTRIBUTOR, LicenceLevel.PUBLISHER)


def _service_ids(article_ref):
    """The services of the article ``article_ref`` points at (a subquery)."""
    return Article.services.through.objects.filter(article_id=article_ref).values("service_id")


def _domain_q(licence: dict) -> Q:
    """The articles in one licence's domain."""
    if licence["service_id"] is not None:
        return Q(
            pk__in=Article.services.through.objects.filter(service_id=licence["service_id"]).values(
                "article_id"
            )
        )
    if licence["category_id"] is not None:
        return Q(category_id=licence["category_id"])
    return Q()


def _domains_q(licences) -> Q | None:
    """The articles in any of ``licences``' domains (None: no domain at all)."""
    result = None
    for licence in licences:
        q = _domain_q(licence)
        if not q:
            return Q()
        result = q if result is None else result | q
    return result


def _contributor_domains(user) -> Q | None:
    if user.is_admin:
        return Q()
    return _domains_q(lic for lic in rules.licences_of(user) if lic["level"] in ABOVE_CANDIDATE)


def _coached_domains(user) -> Q | None:
    if user.is_admin:
        return Q()
    return _domains_q(lic for lic in rules.licences_of(user) if lic["coach"])


def candidate_authored() -> Q:
    """Articles whose author is a Candidate for them: no Contributor or Publisher licence in
    any of the article's domains, and not an administrator (who acts as a Publisher)."""
    above = Licence.objects.filter(user=OuterRef("created_by"), level__in=ABOVE_CANDIDATE).filter(
        Q(service__isnull=True, category__isnull=True)
        | Q(category_id=OuterRef("category_id"))
        | Q(service_id__in=_service_ids(OuterRef(OuterRef("pk"))))
    )
    admin = UserRole.objects.filter(user=OuterRef("created_by"), role=Role.ADMIN)
    return ~Exists(above) & ~Exists(admin) & Q(created_by__is_superuser=False)


def queue_q(user, key: str) -> Q:
    """The articles of queue ``key`` for ``user`` (a Q over the articles they may see)."""
    live = Q(confidence__in=sorted(LIVE_CONFIDENCES))
    if not user.is_it:
        return Q() if key == "all" else Q(pk__in=[])
    if key == "mine":
        return live & (Q(owner=user.pk) | Q(created_by=user.pk))
    if key == "drafts":
        return Q(confidence__in=DRAFT_CONFIDENCES)
    if key == "flagged":
        open_flags = Exists(Flag.objects.filter(article=OuterRef("pk"), status=FlagStatus.OPEN))
        resolvable = Q(owner=user.pk) | Q(created_by=user.pk)
        domains = _contributor_domains(user)
        if domains is not None:
            resolvable |= domains
        return open_flags & resolvable
    if key == "coach":
        domains = _coached_domains(user)
        if domains is None:
            return Q(pk__in=[])
        reviewed = Exists(
            CoachReview.objects.filter(article=OuterRef("pk"), revision=OuterRef("revision"))
        )
        return live & domains & ~Q(created_by=user.pk) & ~reviewed & candidate_authored()
    return Q()


def queue_counts(user) -> dict[str, int]:
    """The count of every queue, in one statement."""
    qs = Article.objects.for_user(user, "view").order_by()
    if not user.is_it:
        return {"all": qs.count()}
    return qs.aggregate(**{k: Count("pk", filter=queue_q(user, k)) for k in QUEUES})


def filtered(user, filters):
    """The articles ``user`` may see, narrowed by ``filters`` (an ``ArticleFilters`` or any
    object with the same attributes: queue, confidence, audience, service, category,
    language, q, sort), ordered."""
    qs = Article.objects.for_user(user, "view")
    get = lambda name: getattr(filters, name, None)  # noqa: E731
    if get("queue"):
        qs = qs.filter(queue_q(user, get("queue")))
    if get("confidence"):
        qs = qs.filter(confidence=get("confidence"))
    if get("audience"):
        qs = qs.filter(audience=get("audience"))
    if get("service"):
        qs = qs.filter(
            pk__in=Article.services.through.objects.filter(service_id=get("service")).values(
                "article_id"
            )
        )
    if get("category"):
        qs = qs.filter(category_id=get("category"))
    if get("language"):
        qs = qs.filter(language=get("language"))
    if get("q") and get("q").strip():
        qs = search.text_filter(qs, get("q"))
    sort = get("sort") or DEFAULT_SORT
    order = SORTS.get(sort, SORTS[DEFAULT_SORT])
    if "citations" in sort:
        qs = qs.alias(citation_count=Count("incident_links", distinct=True))
    return qs.order_by(*order)
