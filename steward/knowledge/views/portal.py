"""The portal's knowledge: requesters (and staff) search the articles they may read and rate
them. A requester's search is recorded (``record_portal_event``) so that the measures can
tell a search followed by no ticket within a day (self-service success)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from steward.core.errors import DomainError
from steward.knowledge import operations as ops
from steward.knowledge import suggest
from steward.knowledge.choices import PortalEventKind
from steward.knowledge.models import Article

MAX_QUERY = 200
SHOWN = 10


@login_required
@require_GET
def search(request):
    """``?q=`` → the articles the person may read that match, best first. While the person
    types (htmx, ``live=1``) only the results are answered and nothing is recorded; a
    submitted search is recorded for requesters."""
    user = request.user
    text = request.GET.get("q", "").strip()[:MAX_QUERY]
    results = suggest.suggest_articles(user, text, limit=SHOWN) if text else []
    live = request.GET.get("live") == "1" and request.htmx
    if text and not live:
        ops.record_portal_event(user, kind=PortalEventKind.SEARCH, query=text)
    context = {"q": text, "results": results}
    if live:
        return render(request, "knowledge/portal_results.html", context)
    return render(request, "knowledge/portal.html", context)


@login_required
@require_POST
def rate(request, number: str):
    """A reader says whether the article helped (``helped`` yes or no, ``comment``)."""
    user = request.user
    article = Article.objects.for_user(user, "view").filter(number=number.upper()).first()
    if article is None:
        raise Http404
    helped = request.POST.get("helped")
    try:
        ops.rate_article(
            user,
            article,
            helped={"yes": True, "no": False}.get(helped, helped),
            comment=request.POST.get("comment", ""),
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Thank you: your rating has been recorded."))
    return redirect(article.get_absolute_url())
