"""What people do with articles besides writing them: flag them and resolve the flags, link
them to incidents (reuse or create, decided by the timestamps), rate them, review them as a
coach, and the portal's searches and views (for deflection)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from steward.core import journal
from steward.core.errors import Conflict, NotFound
from steward.core.texts import Text
from steward.incidents.models import Incident
from steward.knowledge import rules
from steward.knowledge.choices import (
    FlagReason,
    FlagStatus,
    LinkKind,
    PortalEventKind,
    QualityCriterion,
    Recommendation,
)
from steward.knowledge.models import (
    Article,
    ArticleRating,
    CoachReview,
    Flag,
    IncidentArticle,
    PortalEvent,
)
from steward.knowledge.operations.common import (
    invalid,
    moment,
    not_found,
    refuse,
    require_staff,
    require_visible,
)
from steward.notifications.operations import notify

#: The flag reasons as the owner's notification says them (each reader's language).
REASON_WORDS = {
    FlagReason.WRONG: gettext_noop("wrong"),
    FlagReason.OUTDATED: gettext_noop("outdated"),
    FlagReason.UNCLEAR: gettext_noop("unclear"),
    FlagReason.DUPLICATE: gettext_noop("a duplicate"),
}


def _person(actor):
    return actor if getattr(actor, "pk", None) else None


def _one_of(name: str, value, choices) -> None:
    if value not in choices.values:
        raise invalid(
            name,
            _("Unknown %(field)s %(value)s.") % {"field": name, "value": repr(value)},
            f"must be one of {', '.join(choices.values)}",
        )


# --- flags -------------------------------------------------------------------------------------


@transaction.atomic
def flag_article(actor, article: Article, *, reason, comment="") -> Flag:
    """Flag it (KCS: flag it or fix it): the article is wrong, outdated, unclear or a
    duplicate. The flag goes to the owner's queue, and the owner is told."""
    require_visible(actor, article)
    if not rules.may_flag(actor, article):
        raise not_found()
    _one_of("reason", reason, FlagReason)
    comment = (comment or "").strip()
    flag = Flag.objects.create(
        article=article,
        reason=reason,
        comment=comment,
        raised_by=actor,
        created_at=moment(),
    )
    journal.record(actor, article, "flagged", {"reason": [None, reason]}, comment=comment)
    owner = article.owner
    notify(
        actor,
        [owner],
        subject=Text(
            gettext_noop("Article %(number)s was flagged: %(title)s"),
            number=article.number,
            title=article.title,
        ),
        body=Text(
            gettext_noop("%(name)s flagged it as %(reason)s. %(comment)s"),
            name=actor.display_name if actor is not None else "Steward",
            reason=Text(REASON_WORDS[reason]),
            comment=comment,
        ),
        link=article.get_absolute_url(),
        record=article,
    )
    return flag


@transaction.atomic
def resolve_flag(actor, flag: Flag, *, status, resolution="") -> Flag:
    """Close a flag as fixed (the article was corrected) or dismissed; the owner or a
    Contributor of the article's domain does it. The person who raised it is told."""
    article = flag.article
    require_visible(actor, article)
    if not rules.may_resolve_flag(actor, article):
        raise refuse(
            _("Only the article's owner or a Contributor of its domain resolves its flags."),
            "status",
            "not licensed to resolve flags of this article",
        )
    if status not in (FlagStatus.FIXED, FlagStatus.DISMISSED):
        raise invalid(
            "status",
            _("A flag is resolved as fixed or dismissed."),
            "must be fixed or dismissed",
        )
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    if flag.status != FlagStatus.OPEN:
        raise Conflict(
            _("This flag was already resolved."), {"status": [f"is already {flag.status}"]}
        )
    resolution = (resolution or "").strip()
    flag.status = status
    flag.resolution = resolution
    flag.resolved_by = _person(actor)
    flag.resolved_at = moment()
    flag.save(update_fields=["status", "resolution", "resolved_by", "resolved_at"])
    journal.record(
        actor,
        article,
        "flag_resolved",
        {"flag_status": [FlagStatus.OPEN, status]},
        comment=resolution,
    )
    if flag.raised_by_id and flag.raised_by.is_it:
        notify(
            actor,
            [flag.raised_by],
            subject=Text(
                gettext_noop("Your flag on article %(number)s was resolved"),
                number=article.number,
            ),
            body=resolution or article.title,
            link=article.get_absolute_url(),
            record=article,
        )
    return flag


# --- links to incidents ---------------------------------------------------------------------------


def link_kind(article: Article, incident: Incident) -> str:
    """Reuse when the article existed before the incident was opened, else create."""
    return LinkKind.REUSE if article.created_at < incident.created_at else LinkKind.CREATE


@transaction.atomic
def link_article(actor, incident: Incident, article: Article, *, at=None) -> IncidentArticle:
    """Link an article to an incident; the server decides whether it was reused or created
    from it. Linking twice returns the existing link unchanged. Journaled on both records
    (the incident's timeline shows it)."""
    if not rules.may_link(actor):
        raise refuse(
            _("Only IT staff link articles to incidents."), "article", "may not link articles"
        )
    require_visible(actor, article)
    kind = link_kind(article, incident)
    link, made = IncidentArticle.objects.get_or_create(
        incident=incident,
        article=article,
        defaults={"kind": kind, "linked_by": _person(actor), "linked_at": moment(at)},
    )
    if not made:
        return link
    journal.record(
        actor,
        article,
        "article_linked",
        {"incident": [None, incident.number], "kind": [None, kind]},
    )
    journal.record(
        actor, incident, "article_linked", {"article": [None, article.number], "kind": [None, kind]}
    )
    return link


@transaction.atomic
def unlink_article(actor, incident: Incident, article: Article) -> None:
    """Remove an article's link to an incident (linked by mistake). Journaled on both."""
    if not rules.may_link(actor):
        raise refuse(
            _("Only IT staff link articles to incidents."), "article", "may not unlink articles"
        )
    link = IncidentArticle.objects.filter(incident=incident, article=article).first()
    if link is None:
        raise NotFound(
            _("%(article)s is not linked to %(incident)s.")
            % {"article": article.number, "incident": incident.number},
            {"article": ["not linked to this incident"]},
        )
    kind = link.kind
    link.delete()
    journal.record(
        actor,
        article,
        "article_unlinked",
        {"incident": [incident.number, None], "kind": [kind, None]},
    )
    journal.record(
        actor,
        incident,
        "article_unlinked",
        {"article": [article.number, None], "kind": [kind, None]},
    )


# --- ratings, reviews, portal events --------------------------------------------------------------


@transaction.atomic
def rate_article(actor, article: Article, *, helped, comment="") -> ArticleRating:
    """A reader says whether the article helped (rating again replaces the earlier one)."""
    require_visible(actor, article)
    if not rules.may_rate(actor, article):
        raise not_found()
    if not isinstance(helped, bool):
        raise invalid("helped", _("Say whether it helped: yes or no."), "must be true or false")
    comment = (comment or "").strip()[:500]
    rating, _made = ArticleRating.objects.update_or_create(
        article=article,
        user=actor,
        defaults={"helped": helped, "comment": comment, "created_at": moment()},
    )
    journal.record(actor, article, "rated", {"helped": [None, helped]}, comment=comment)
    return rating


@transaction.atomic
def review_article(
    actor, article: Article, *, defects, comment="", recommendation=Recommendation.KEEP
) -> CoachReview:
    """A coach reviews a Candidate's article at its current revision with the quality
    checklist: the criteria it fails (its defects), a comment and a recommendation for the
    author's licence. The Article Quality Index is computed from these reviews."""
    require_staff(actor)
    require_visible(actor, article)
    if not rules.may_review(actor, article):
        raise refuse(
            _("Only a coach of the article's domain reviews it, and never their own."),
            "defects",
            "not a coach for this article",
        )
    defects = list(dict.fromkeys(defects or ()))
    unknown = [d for d in defects if d not in QualityCriterion.values]
    if unknown:
        raise invalid(
            "defects",
            _("Unknown checklist criteria: %(names)s.") % {"names": ", ".join(map(str, unknown))},
            f"each must be one of {', '.join(QualityCriterion.values)}",
        )
    _one_of("recommendation", recommendation, Recommendation)
    comment = (comment or "").strip()
    review = CoachReview.objects.create(
        article=article,
        revision=article.revision,
        coach=actor,
        author=article.created_by,
        defects=defects,
        comment=comment,
        recommendation=recommendation,
        created_at=moment(),
    )
    journal.record(
        actor,
        article,
        "reviewed",
        {"defects": [None, defects], "recommendation": [None, recommendation]},
        comment=comment,
    )
    return review


def record_portal_event(actor, *, kind, article=None, query="", at=None) -> PortalEvent | None:
    """A requester searched the knowledge or read an article in the portal. Not journaled
    (a page view). Staff searches and views are not deflection: nothing is written for them
    (None)."""
    if actor is None or not actor.is_authenticated or actor.is_it:
        return None
    _one_of("kind", kind, PortalEventKind)
    if article is not None:
        require_visible(actor, article)
    return PortalEvent.objects.create(
        user=actor,
        kind=kind,
        article=article,
        query=(query or "").strip()[:200],
        at=moment(at),
    )
