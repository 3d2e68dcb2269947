"""The article pages: the list (queues and filters, IT staff; a requester is sent to the
portal's search), an article (its KCS sections, state, links, ratings, open flags and the
buttons ``rules.allowed_actions`` offers), new, edit (with the version it was read at: a stale
save shows who changed what) and the state changes (confidence, audience).

Thin: read through ``for_user``, ask ``rules`` which parts to show, call an operation, show
its error beside the fields it names."""

from __future__ import annotations

import re
from types import SimpleNamespace
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.html import linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from steward.core import journal
from steward.core.errors import DomainError, StaleVersion
from steward.knowledge import lists, rules
from steward.knowledge import operations as ops
from steward.knowledge.choices import Audience, Confidence, FlagStatus, PortalEventKind
from steward.knowledge.forms import (
    ArticleForm,
    AudienceForm,
    ConfidenceForm,
    FilterForm,
    FlagForm,
    ResolveFlagForm,
)
from steward.knowledge.models import Article, ArticleRating, Flag, IncidentArticle
from steward.knowledge.workflow import ARTICLE
from steward.people import conflicts
from steward.people.forms import add_domain_error

PAGE_SIZE = 50
LINKS_SHOWN = 20


def staff(request):
    """IT staff only: anyone else is answered 404."""
    if not (request.user.is_authenticated and request.user.is_it):
        raise Http404
    return request.user


def article_for(user, number: str) -> Article:
    """The article ``number`` as ``user`` may read it, or 404."""
    article = (
        Article.objects.for_user(user, "view")
        .filter(number=number.upper()[:16])
        .select_related("owner", "created_by", "category", "created_from", "problem")
        .first()
    )
    if article is None:
        raise Http404
    return article


@login_required
def article_list(request):
    user = request.user
    if not user.is_it:
        # requesters search the portal: the external articles, with deflection counted (the
        # portal's own page when the portal is installed, else knowledge's)
        query = {"q": request.GET["q"][:100]} if request.GET.get("q") else {}
        try:
            url = reverse("portal:knowledge")
        except NoReverseMatch:
            url = reverse("knowledge:portal")
        return redirect(f"{url}?{urlencode(query)}" if query else url)
    form = FilterForm(request.GET or None, user=user)
    filters = form.filters()
    articles = lists.filtered(user, SimpleNamespace(**filters))
    articles = articles.select_related("owner", "category").annotate(
        citations=Count("incident_links", distinct=True)
    )
    counts = lists.queue_counts(user)
    context = {
        "form": form,
        "queue": filters["queue"],
        "queues": {k: (label, counts.get(k)) for k, label in lists.QUEUES.items()},
        "page_obj": Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page")),
        "results_template": "knowledge/_results.html",
        "may_create": rules.may_create(user),
        "may_grant": rules.may_grant_licences(user),
        "is_coach": rules.is_coach(user),
    }
    partial = request.htmx.target == "results"
    return render(request, "knowledge/_results.html" if partial else "knowledge/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def article_create(request):
    user = staff(request)
    if request.method == "POST":
        form = ArticleForm(request.POST, user=user)
        if form.is_valid():
            try:
                article = ops.create_article(user, **form.values())
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(
                    request, _("Article %(number)s created.") % {"number": article.number}
                )
                return redirect(article)
        status = 422
    else:
        form = ArticleForm(user=user, initial={"language": "en"})
        status = 200
    return render(request, "knowledge/form.html", {"form": form, "article": None}, status=status)


BLOCK_TAGS = re.compile(r"<(p|ul|ol|pre|table|h3|h4|blockquote)[\s>]", re.IGNORECASE)


def sections(article) -> list[tuple[str, str, str]]:
    """The KCS sections that say something, as ``(key, label, html)``: the stored text is
    sanitised again on the way out (the allow-list of the operations) and plain text keeps
    its paragraphs and line breaks."""
    out = []
    labels = {
        "issue": _("Issue"),
        "environment": _("Environment"),
        "resolution": _("Resolution"),
        "cause": _("Cause"),
    }
    for key, label in labels.items():
        text = ops.sanitize(getattr(article, key, ""))
        if not text:
            continue
        html = text if BLOCK_TAGS.search(text) else linebreaks(text, autoescape=False)
        out.append((key, label, mark_safe(html)))  # sanitised by nh3 just above
    return out


def _rating_summary(article) -> dict:
    row = ArticleRating.objects.filter(article=article).aggregate(
        yes=Count("pk", filter=Q(helped=True)), no=Count("pk", filter=Q(helped=False))
    )
    return {"helped": row["yes"], "not_helped": row["no"], "total": row["yes"] + row["no"]}


def _staff_context(request, article, **extra) -> dict:
    user = request.user
    actions = rules.allowed_actions(user, article)
    moves = [
        (to, ARTICLE.labels[to])
        for to in sorted(ARTICLE.allowed(article.confidence))
        if f"to_{to}" in actions
    ]
    links = (
        IncidentArticle.objects.filter(article=article)
        .select_related("incident")
        .order_by("-linked_at")
    )
    flags = list(
        Flag.objects.filter(article=article, status=FlagStatus.OPEN)
        .select_related("raised_by")
        .order_by("created_at")
    )
    context = {
        "article": article,
        "sections": sections(article),
        "actions": actions,
        "moves": moves,
        "confidence_form": ConfidenceForm(initial={"version": article.version}),
        "audience_form": AudienceForm(
            initial={
                "version": article.version,
                "audience": article.audience,
                "organizations": [o.pk for o in article.organizations.all()],
            }
        ),
        "flag_form": FlagForm(),
        "resolve_form": ResolveFlagForm(),
        "services": list(article.services.all()),
        "ci_classes": list(article.ci_classes.all()),
        "organizations": list(article.organizations.all()),
        "citations": links.count(),
        "links": list(links[:LINKS_SHOWN]),
        "ratings": _rating_summary(article),
        "flags": flags,
        "reviews": list(article.reviews.select_related("coach").order_by("-id")[:5]),
        "version_count": article.versions.count(),
        "history": journal.history(article),
        "Confidence": Confidence,
        "Audience": Audience,
    }
    context.update(extra)
    return context


def _requester_context(request, article, **extra) -> dict:
    user = request.user
    mine = ArticleRating.objects.filter(article=article, user=user).first()
    return {
        "article": article,
        "sections": sections(article),
        "actions": rules.allowed_actions(user, article),
        "my_rating": mine,
        "flag_form": FlagForm(),
        **extra,
    }


@login_required
def article_detail(request, number: str):
    article = article_for(request.user, number)
    if not request.user.is_it:
        # a requester reads the current text only; the view counts for deflection
        ops.record_portal_event(request.user, kind=PortalEventKind.VIEW, article=article)
        return render(request, "knowledge/detail_reader.html", _requester_context(request, article))
    return render(request, "knowledge/detail.html", _staff_context(request, article))


def error_page(request, article, exc, **forms):
    """The article page again with the operation's refusal (its status code)."""
    if not request.user.is_it:
        context = _requester_context(request, article, error=exc.message, **forms)
        return render(request, "knowledge/detail_reader.html", context, status=exc.status)
    context = _staff_context(request, article, error=exc.message, **forms)
    return render(request, "knowledge/detail.html", context, status=exc.status)


@login_required
@require_http_methods(["GET", "POST"])
def article_edit(request, number: str):
    user = staff(request)
    article = article_for(user, number)
    if not rules.may_edit(user, article):
        raise Http404
    conflict, status = None, 200
    if request.method == "POST":
        form = ArticleForm(request.POST, user=user, article=article)
        if form.is_valid():
            try:
                ops.update_article(
                    user, article, version=form.cleaned_data["version"] or 0, **form.values()
                )
            except StaleVersion as exc:
                article.refresh_from_db()
                conflict, status = conflicts.stale_edit(form, article, exc.current), 409
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Saved."))
                return redirect(article)
        else:
            status = 422
    else:
        initial = ArticleForm.initial_for(article) | {"seen": conflicts.last_seen(article)}
        form = ArticleForm(user=user, article=article, initial=initial)
    context = {"form": form, "article": article, "conflict": conflict}
    return render(request, "knowledge/form.html", context, status=status)


@login_required
@require_POST
def article_state(request, number: str):
    """Confidence (validate, archive, restore...) or audience (publish to customers or the
    public, or make it internal again), whichever the form posts."""
    user = staff(request)
    article = article_for(user, number)
    if "audience" in request.POST:
        form = AudienceForm(request.POST)
        if not form.is_valid():
            return error_page(
                request, article, _invalid(_("Choose who reads it.")), audience_form=form
            )
        data = form.cleaned_data
        try:
            ops.set_audience(
                user,
                article,
                data["audience"],
                version=data["version"],
                organizations=list(data["organizations"]),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            return error_page(request, article, exc, audience_form=form)
        messages.success(
            request,
            _("Audience changed: %(audience)s.") % {"audience": Audience(data["audience"]).label},
        )
        return redirect(article)
    form = ConfidenceForm(request.POST)
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    try:
        ops.set_confidence(
            user, article, data["confidence"], version=data["version"], comment=data["comment"]
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return error_page(request, article, exc, confidence_form=form)
    messages.success(
        request,
        _("Confidence changed: %(label)s.") % {"label": Confidence(data["confidence"]).label},
    )
    return redirect(article)


def _invalid(message: str) -> DomainError:
    from steward.core.errors import ValidationError

    return ValidationError(message, {})
