"""Report a problem: a simple incident form for the person themselves, articles suggested
while they type (each opens in the portal's reader, where "This solved it" ends the journey),
and the reader's view counted by knowledge for deflection (a view followed by no incident of
theirs within a day)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from steward.core.errors import DomainError
from steward.core.practices import is_enabled
from steward.portal import operations as ops
from steward.portal.forms import ReportForm
from steward.portal.views.common import page, require, show_error
from steward.services.models import Service

MAX_TEXT = 600
SUGGESTED = 5


def _services(user):
    return Service.objects.for_user(user, "view").order_by("name")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report(request):
    user = request.user
    form = ReportForm(request.POST or None, request.FILES or None, services=_services(user))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                incident = ops.report_problem(
                    user,
                    title=data["title"],
                    description=data["description"],
                    service=data["service"],
                    urgency=data["urgency"],
                    upload=data["file"],
                )
            except DomainError as exc:
                show_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Thank you: %(number)s has been raised. We will keep you posted here.")
                    % {"number": incident.number},
                )
                return redirect("portal:incident", incident.number)
        status = 422
    context = {"form": form, "suggest": is_enabled("knowledge")}
    return page(request, "portal/report.html", context, current="report", status=status)


@login_required
@require_GET
def suggestions(request):
    """The articles matching what the person typed (htmx, while typing): nothing is recorded
    here; opening one is what knowledge counts."""
    require(is_enabled("knowledge"))
    from steward.knowledge import suggest

    text = " ".join(
        request.GET.get(name, "")[:MAX_TEXT] for name in ("title", "description")
    ).strip()
    service = request.GET.get("service", "")
    service_id = int(service) if service.isdigit() and len(service) < 19 else None
    found = (
        suggest.suggest_articles(request.user, text, service_id=service_id, limit=SUGGESTED)
        if text
        else []
    )
    context = {"found": found, "text": text, "oob": True}
    return render(request, "portal/includes/suggestions.html", context)


@login_required
@require_GET
def article(request, number: str):
    """An article in the portal's reader. A requester's view is recorded (deflection)."""
    require(is_enabled("knowledge"))
    from steward.knowledge import operations as knowledge_ops
    from steward.knowledge.choices import PortalEventKind
    from steward.knowledge.models import ArticleRating
    from steward.knowledge.views.articles import article_for, sections

    found = article_for(request.user, number)
    knowledge_ops.record_portal_event(request.user, kind=PortalEventKind.VIEW, article=found)
    context = {
        "article": found,
        "sections": sections(found),
        "rated": ArticleRating.objects.filter(article=found, user=request.user).first(),
    }
    return page(request, "portal/article.html", context, current="knowledge")


@login_required
@require_POST
def solved(request, number: str):
    """ "This solved it": the article is rated helpful, and the person goes home without an
    incident (the view already counts for deflection)."""
    require(is_enabled("knowledge"))
    from steward.knowledge import operations as knowledge_ops
    from steward.knowledge.views.articles import article_for

    found = article_for(request.user, number)
    helped = request.POST.get("helped", "yes") != "no"
    try:
        knowledge_ops.rate_article(request.user, found, helped=helped)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("portal:article", found.number)
    if helped:
        messages.success(request, _("Glad it is solved. Nothing more to do."))
        return redirect("portal:home")
    messages.info(request, _("Sorry it did not help: tell us what goes wrong and we will help."))
    return redirect("portal:report")
