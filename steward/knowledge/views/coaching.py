"""Coaching: the coach's queue (Candidates' articles not yet reviewed at their current
version, in the domains they coach) and the review form (the quality checklist, a comment and
a recommendation for the author's licence)."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from steward.core.errors import DomainError
from steward.knowledge import lists, rules
from steward.knowledge import operations as ops
from steward.knowledge.forms import ReviewForm
from steward.knowledge.views.articles import article_for, sections, staff
from steward.people.forms import add_domain_error

SHOWN = 100


@login_required
def coach_queue(request):
    user = staff(request)
    if not rules.is_coach(user):
        raise Http404
    articles = lists.filtered(user, SimpleNamespace(queue="coach", sort="created"))
    articles = articles.select_related("owner", "created_by", "category")[:SHOWN]
    return render(request, "knowledge/coach.html", {"articles": articles})


@login_required
@require_http_methods(["GET", "POST"])
def review(request, number: str):
    user = staff(request)
    article = article_for(user, number)
    if not rules.may_review(user, article):
        raise Http404
    status = 200
    if request.method == "POST":
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                ops.review_article(user, article, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(
                    request, _("Review of %(number)s saved.") % {"number": article.number}
                )
                return redirect("knowledge:coach" if rules.is_coach(user) else article)
        else:
            status = 422
    else:
        form = ReviewForm()
    previous = list(article.reviews.select_related("coach").order_by("-id")[:5])
    context = {
        "article": article,
        "sections": sections(article),
        "form": form,
        "previous": previous,
    }
    return render(request, "knowledge/review.html", context, status=status)
