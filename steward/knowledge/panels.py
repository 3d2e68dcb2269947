"""The knowledge panels on other apps' pages (declared in apps.py as detail panels).

On an incident: the linked articles with their kind (reused or created), a small form to
link one, unlink, and, once the incident is resolved without a link, the KCS question "does
an article exist, or should one be created?" with a one-click capture. On a problem: turn
its resolution into an article in one step, or the article that already holds it. IT staff
only: a requester's incident page shows none of this."""

from __future__ import annotations

from steward.incidents.choices import ACTIVE_STATUSES, Status
from steward.knowledge import rules
from steward.knowledge.forms import LinkForm
from steward.knowledge.models import Article, IncidentArticle
from steward.knowledge.suggest import suggest_articles

#: Incident statuses in which the capture question is asked (resolved, with nothing linked).
RESOLVED = frozenset({Status.RESOLVED, Status.CLOSED})
SUGGESTED = 3


def _suggestions(user, incident, linked_ids) -> list:
    """A few articles matching the incident's text (the suggestions' ranking, read through
    the audience rule), to link in one click."""
    text = " ".join(filter(None, [incident.title, incident.description or ""]))[:500]
    found = suggest_articles(user, text, service_id=incident.service_id, limit=SUGGESTED + 2)
    return [s for s in found if s.article.pk not in linked_ids][:SUGGESTED]


def incident_articles(incident, user) -> dict | None:
    if not (user.is_authenticated and rules.may_link(user)):
        return None
    links = list(
        IncidentArticle.objects.filter(incident=incident)
        .filter(article__in=Article.objects.for_user(user, "view"))
        .select_related("article")
        .order_by("linked_at", "id")
    )
    linked_ids = {link.article_id for link in links}
    resolved = incident.status in RESOLVED
    return {
        "incident": incident,
        "links": links,
        "link_form": LinkForm(auto_id="id_kb_%s"),
        "active": incident.status in ACTIVE_STATUSES,
        "ask": not links and (resolved or incident.status in ACTIVE_STATUSES),
        "resolved": resolved,
        "may_create": rules.may_create(user),
        "suggestions": _suggestions(user, incident, linked_ids),
    }


def problem_article(problem, user) -> dict | None:
    if not (user.is_authenticated and user.is_it):
        return None
    articles = list(
        Article.objects.for_user(user, "view").filter(problem=problem).order_by("-id")[:5]
    )
    has_resolution = any(
        (getattr(problem, name, "") or "").strip()
        for name in ("workaround", "fix_description", "statement")
    )
    return {
        "problem": problem,
        "articles": articles,
        "may_create": rules.may_create(user) and has_resolution,
    }
