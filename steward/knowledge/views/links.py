"""Knowledge in the flow of incidents and problems: link an article to an incident (the
server decides whether it was reused or created from it), unlink it, and one-click capture of
a WIP article from an incident or from a problem's resolution. Posted from the panels on the
incident and problem pages (``knowledge.panels``); each answers by going back there, except a
capture, which opens the new article's edit form to complete it."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from steward.core.errors import DomainError
from steward.incidents.models import Incident
from steward.knowledge import operations as ops
from steward.knowledge import rules
from steward.knowledge.choices import LinkKind
from steward.knowledge.forms import LinkForm
from steward.knowledge.models import Article
from steward.knowledge.views.articles import staff

ARTICLE_NUMBER = re.compile(r"^KB\d{1,12}$", re.IGNORECASE)


def _incident(user, number: str) -> Incident:
    if not rules.may_link(user):
        raise Http404
    incident = Incident.objects.for_user(user, "view").filter(number=number.upper()[:16]).first()
    if incident is None:
        raise Http404
    return incident


def find_article(user, text: str) -> tuple[Article | None, list[Article]]:
    """The article named by ``text`` (its number, or the only live article whose text
    matches), else None and the first few candidates."""
    text = text.strip()
    readable = Article.objects.for_user(user, "view")
    if ARTICLE_NUMBER.match(text):
        return readable.filter(number=text.upper()).first(), []
    from steward.knowledge import search

    found = list(search.text_filter(readable.live(), text).order_by("-id")[:6])
    exact = [a for a in found if a.title.strip().lower() == text.lower()]
    if len(exact) == 1:
        return exact[0], []
    if len(found) == 1:
        return found[0], []
    return None, found[:5]


@login_required
@require_POST
def link(request, number: str):
    user = staff(request)
    incident = _incident(user, number)
    form = LinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Name the article: its number or words from its title."))
        return redirect(incident)
    article, candidates = find_article(user, form.cleaned_data["article"])
    if article is None:
        if candidates:
            messages.error(
                request,
                _("Several articles match; link one by its number: %(numbers)s")
                % {"numbers": ", ".join(f"{a.number} ({a.title})" for a in candidates)},
            )
        else:
            messages.error(
                request,
                _("No article matches “%(text)s”.") % {"text": form.cleaned_data["article"]},
            )
        return redirect(incident)
    try:
        row = ops.link_article(user, incident, article)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(number)s linked (%(kind)s).")
            % {"number": article.number, "kind": LinkKind(row.kind).label.lower()},
        )
    return redirect(incident)


@login_required
@require_POST
def unlink(request, number: str, article: int):
    user = staff(request)
    incident = _incident(user, number)
    found = Article.objects.for_user(user, "view").filter(pk=article).first()
    if found is None:
        raise Http404
    try:
        ops.unlink_article(user, incident, found)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(number)s unlinked.") % {"number": found.number})
    return redirect(incident)


@login_required
@require_POST
def capture(request, number: str):
    """One click: a WIP article prefilled from the incident, linked to it; its edit form
    opens to complete it."""
    user = staff(request)
    incident = _incident(user, number)
    try:
        article = ops.capture_from_incident(user, incident)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(incident)
    messages.success(
        request,
        _("Article %(number)s created from %(incident)s: complete it and save.")
        % {"number": article.number, "incident": incident.number},
    )
    return redirect("knowledge:edit", article.number)


@login_required
@require_POST
def capture_problem(request, number: str):
    user = staff(request)
    from steward.problems import queries

    problem = queries.problem_for(user, number)
    if problem is None or not rules.may_create(user):
        raise Http404
    try:
        article = ops.capture_from_problem(user, problem)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(problem)
    messages.success(
        request,
        _("Article %(number)s created from %(problem)s: complete it and save.")
        % {"number": article.number, "problem": problem.number},
    )
    return redirect("knowledge:edit", article.number)
