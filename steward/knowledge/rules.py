"""Who may do what to an article: the one place that answers it (KCS licences).

- Every member of IT takes part: without a licence they act as a **Candidate** everywhere
  (create articles, edit their own while WIP or Not validated, flag anything).
- A **Contributor** in a domain (a service, a category, or every domain) edits others'
  articles there, validates internal ones, archives and restores them, and fixes flags.
- A **Publisher** in a domain also makes articles external (customers, public) and internal
  again.
- Administrators act as Publishers in every domain (a new installation works before anyone
  is licensed) and grant licences, as does the knowledge process owner.
- A **coach** (a licence with ``coach``) reviews Candidates' articles in the domain, never
  their own.
- Requesters read what their audience allows, rate it and flag it; nothing else.

``user`` ``None`` is the system (commands, jobs, importers) and may do everything. An
article's domains are its services and its category; a new article's are what the form
proposes (``domains_of``)."""

from __future__ import annotations

from steward.knowledge.choices import (
    EXTERNAL_AUDIENCES,
    Confidence,
    LicenceLevel,
    level_rank,
)

CANDIDATE = level_rank(LicenceLevel.CANDIDATE)
CONTRIBUTOR = level_rank(LicenceLevel.CONTRIBUTOR)
PUBLISHER = level_rank(LicenceLevel.PUBLISHER)


def is_staff(user) -> bool:
    return user is None or user.is_it


def licences_of(user) -> list:
    """The person's licences, read once per request (cached on the user object)."""
    cached = getattr(user, "_knowledge_licences", None)
    if cached is None:
        from steward.knowledge.models import Licence

        cached = list(
            Licence.objects.filter(user=user).values("level", "service_id", "category_id", "coach")
        )
        user._knowledge_licences = cached
    return cached


def forget_licences(user) -> None:
    """Drop the cached licences (after a grant in the same request)."""
    if user is not None and hasattr(user, "_knowledge_licences"):
        del user._knowledge_licences


def domains_of(article) -> tuple[frozenset[int], int | None]:
    """(service ids, category id) of a saved article; unsaved ones carry
    ``_proposed_services`` set by the operation that creates them."""
    proposed = getattr(article, "_proposed_services", None)
    if proposed is not None:
        services = frozenset(proposed)
    elif article.pk is None:
        services = frozenset()
    else:
        cached = getattr(article, "_service_ids", None)
        if cached is None:
            cached = frozenset(article.services.values_list("pk", flat=True))
            article._service_ids = cached
        services = cached
    return services, article.category_id


def _matches(licence: dict, services: frozenset[int], category: int | None) -> bool:
    if licence["service_id"] is None and licence["category_id"] is None:
        return True
    if licence["service_id"] is not None:
        return licence["service_id"] in services
    return licence["category_id"] == category


def level_for(user, article) -> int:
    """The licence rank that applies to ``article``: 0 for requesters, at least Candidate for
    IT staff, Publisher for administrators and the system."""
    if user is None or user.is_admin:
        return PUBLISHER
    if not user.is_it:
        return 0
    services, category = domains_of(article)
    best = CANDIDATE
    for licence in licences_of(user):
        if _matches(licence, services, category):
            best = max(best, level_rank(licence["level"]))
    return best


def is_coach_for(user, article) -> bool:
    if user is None or user.is_admin:
        return True
    if not user.is_it:
        return False
    services, category = domains_of(article)
    return any(lic["coach"] and _matches(lic, services, category) for lic in licences_of(user))


def is_coach(user) -> bool:
    """Coaches somewhere (the coach queue is theirs)."""
    return (
        user is not None
        and user.is_it
        and (user.is_admin or any(lic["coach"] for lic in licences_of(user)))
    )


def _is_own(user, article) -> bool:
    return user is not None and user.pk in (article.owner_id, article.created_by_id)


def may_view(user, article) -> bool:
    """Reads go through ``Article.objects.for_user``; this answers for one loaded row."""
    from steward.knowledge.models import Article

    if user is None or user.is_it:
        return True
    return Article.objects.for_user(user, "view").filter(pk=article.pk).exists()


def may_create(user) -> bool:
    return is_staff(user)


def may_edit(user, article) -> bool:
    """Contributors edit any article of their domain; a Candidate their own while it is WIP or
    Not validated (a validated article changes only under a Contributor's eye)."""
    if not is_staff(user):
        return False
    level = level_for(user, article)
    if level >= CONTRIBUTOR:
        return True
    return _is_own(user, article) and article.confidence in (
        Confidence.WIP,
        Confidence.NOT_VALIDATED,
    )


def may_set_confidence(user, article, target: str) -> bool:
    """Validate, archive and restore: Contributors (Publishers for an external article);
    moving between WIP and Not validated: whoever may edit it."""
    if not is_staff(user):
        return False
    level = level_for(user, article)
    needed = PUBLISHER if article.audience in EXTERNAL_AUDIENCES else CONTRIBUTOR
    if target in (Confidence.WIP, Confidence.NOT_VALIDATED) and article.confidence in (
        Confidence.WIP,
        Confidence.NOT_VALIDATED,
    ):
        return may_edit(user, article)
    return level >= needed


def may_set_audience(user, article, audience: str) -> bool:
    """Making an article external, changing its customers, or making it internal again:
    Publishers."""
    return is_staff(user) and level_for(user, article) >= PUBLISHER


def may_flag(user, article) -> bool:
    """Every reader may flag what they read."""
    return user is None or (user.is_authenticated and may_view(user, article))


def may_resolve_flag(user, article) -> bool:
    """The article owner, or a Contributor of its domain."""
    if not is_staff(user):
        return False
    return _is_own(user, article) or level_for(user, article) >= CONTRIBUTOR


def may_rate(user, article) -> bool:
    return user is not None and user.is_authenticated and may_view(user, article)


def may_link(user) -> bool:
    """Linking an article to an incident: IT staff (who work the incident)."""
    return is_staff(user)


def may_review(user, article) -> bool:
    """A coach of the article's domain reviews a Candidate's article; never their own."""
    return is_coach_for(user, article) and not (
        user is not None and user.pk == article.created_by_id
    )


def may_grant_licences(user) -> bool:
    """Administrators and the knowledge process owner."""
    if user is None:
        return True
    if not user.is_it:
        return False
    if user.is_admin:
        return True
    from steward.ownership.models import Process

    return Process.objects.filter(key="knowledge", owner=user).exists()


def may_view_metrics(user) -> bool:
    return is_staff(user)


def allowed_actions(user, article) -> frozenset[str]:
    """What the article page offers this person."""
    actions = set()
    if may_edit(user, article):
        actions.add("edit")
    from steward.knowledge.workflow import ARTICLE

    for target in ARTICLE.allowed(article.confidence):
        if may_set_confidence(user, article, target):
            actions.add(f"to_{target}")
    if article.confidence == Confidence.VALIDATED and may_set_audience(
        user, article, article.audience
    ):
        actions.add("audience")
    if may_flag(user, article):
        actions.add("flag")
    if may_rate(user, article) and not is_staff(user):
        actions.add("rate")
    if may_resolve_flag(user, article):
        actions.add("resolve_flags")
    if may_review(user, article):
        actions.add("review")
    return frozenset(actions)
