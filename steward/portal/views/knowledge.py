"""The portal's knowledge: the articles a requester may read, searched in their own words
(results while they type, the submitted search recorded by knowledge for the self-service
measures), and without a search the newest answers. Every article opens in the portal's
reader (``portal:article``), never in the staff pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from steward.core.practices import is_enabled
from steward.portal.views.common import page, require

MAX_QUERY = 200
SHOWN = 10


@login_required
@require_GET
def knowledge(request):
    """``?q=``: the articles that match, best first; ``live=1`` (htmx, while typing): only the
    results, nothing recorded. Without ``q``: the newest answers the person may read."""
    require(is_enabled("knowledge"))
    from steward.knowledge import operations as knowledge_ops
    from steward.knowledge import suggest
    from steward.knowledge.choices import PortalEventKind
    from steward.knowledge.models import Article

    user = request.user
    text = " ".join(request.GET.get("q", "").split())[:MAX_QUERY]
    live = request.GET.get("live") == "1" and request.htmx
    context = {"q": text, "results": [], "newest": []}
    if text:
        context["results"] = suggest.suggest_articles(user, text, limit=SHOWN)
        if not live:
            knowledge_ops.record_portal_event(user, kind=PortalEventKind.SEARCH, query=text)
    elif not live:
        context["newest"] = list(
            Article.objects.for_user(user, "view")
            .live()
            .exclude(published_at=None)
            .order_by("-published_at", "-id")
            .only("number", "title", "issue", "published_at")[:SHOWN]
        )
    if live:
        return render(request, "portal/includes/knowledge_results.html", context)
    return page(request, "portal/knowledge.html", context, current="knowledge")
