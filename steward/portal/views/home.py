"""The portal's home (one search box, the tiles, what is open, the surveys waiting) and its
search over knowledge articles and catalog items."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.views.decorators.http import require_GET

from steward.core.practices import is_enabled
from steward.incidents.choices import ACTIVE_STATUSES
from steward.portal import sources
from steward.portal.views.common import page

MAX_QUERY = 200
RECENT = 6
FOUND = 10


def _open_things(user) -> tuple[int, list]:
    """(how many of my incidents and requested items are open, the most recent few)."""
    incidents = sources.my_incidents(user).filter(status__in=ACTIVE_STATUSES)
    rows = [("incident", i) for i in incidents[:RECENT]]
    count = incidents.count()
    items = sources.my_items(user)
    if items is not None:
        from steward.fulfilment.choices import ACTIVE_ITEM_STATUSES

        items = items.filter(status__in=ACTIVE_ITEM_STATUSES)
        rows += [("item", i) for i in items[:RECENT]]
        count += items.count()
    rows.sort(key=lambda pair: pair[1].updated_at, reverse=True)
    return count, rows[:RECENT]


@login_required
@require_GET
def home(request):
    user = request.user
    count, recent = _open_things(user)
    context = {
        "open_count": count,
        "recent": recent,
        "catalog_on": sources.catalog_on(),
        "approvals": sources.approvals_waiting(user),
        "surveys": sources.open_surveys(user),
        "knowledge_on": is_enabled("knowledge"),
    }
    return page(request, "portal/home.html", context, current="home")


def search_items(user, text: str, limit: int = FOUND) -> list:
    """Catalog items ``user`` may order whose name, summary or category holds ``text``."""
    items = sources.catalog_items(user)
    if items is None or not text:
        return []
    match = Q()
    for word in text.split()[:6]:
        match &= (
            Q(name__icontains=word)
            | Q(summary__icontains=word)
            | Q(category__name__icontains=word)
            | Q(service__name__icontains=word)
        )
    return list(items.filter(match)[:limit])


def search_articles(user, text: str, limit: int = FOUND) -> list:
    """Live articles ``user`` may read that match ``text``, best first (knowledge's ranking)."""
    if not text or not is_enabled("knowledge"):
        return []
    from steward.knowledge import suggest

    return suggest.suggest_articles(user, text, limit=limit)


@login_required
@require_GET
def search(request):
    """``?q=``: the articles and the catalog items that match. A requester's search is recorded
    by knowledge (self-service measures) when submitted, not while typing."""
    user = request.user
    text = " ".join(request.GET.get("q", "").split())[:MAX_QUERY]
    articles = search_articles(user, text)
    items = search_items(user, text)
    if text and is_enabled("knowledge"):
        from steward.knowledge import operations as knowledge_ops
        from steward.knowledge.choices import PortalEventKind

        knowledge_ops.record_portal_event(user, kind=PortalEventKind.SEARCH, query=text)
    context = {"q": text, "articles": articles, "items": items, "catalog_on": sources.catalog_on()}
    return page(request, "portal/search.html", context, current="home")
