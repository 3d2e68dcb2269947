"""Flag it or fix it: any reader flags an article (wrong, outdated, unclear, duplicate) with a
comment; the flags wait in the queue of the article's owner and of the Contributors of its
domain, who resolve them as fixed or dismissed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from steward.core.errors import DomainError
from steward.knowledge import operations as ops
from steward.knowledge import rules
from steward.knowledge.choices import FlagStatus
from steward.knowledge.forms import FlagForm, ResolveFlagForm
from steward.knowledge.models import Article, Flag
from steward.knowledge.views.articles import article_for, error_page, staff
from steward.people.forms import add_domain_error

SHOWN = 200


def flags_for(user):
    """The open flags ``user`` may resolve, oldest first: on articles they own or created,
    or where they are a Contributor of the domain."""
    rows = (
        Flag.objects.for_user(user, "view")
        .filter(status=FlagStatus.OPEN, article__in=Article.objects.for_user(user, "view"))
        .select_related("article", "article__owner", "raised_by")
        .order_by("created_at", "id")
    )
    return [f for f in rows[: SHOWN * 5] if rules.may_resolve_flag(user, f.article)][:SHOWN]


@login_required
def flag_queue(request):
    user = staff(request)
    return render(
        request,
        "knowledge/flags.html",
        {"flags": flags_for(user), "resolve_form": ResolveFlagForm()},
    )


@login_required
@require_POST
def flag_create(request, number: str):
    article = article_for(request.user, number)
    form = FlagForm(request.POST)
    if not form.is_valid():
        from steward.core.errors import ValidationError

        exc = ValidationError(_("Say what is wrong with the article."), {"reason": ["required"]})
        return error_page(request, article, exc, flag_form=form)
    try:
        ops.flag_article(request.user, article, **form.cleaned_data)
    except DomainError as exc:
        add_domain_error(form, exc)
        return error_page(request, article, exc, flag_form=form)
    messages.success(request, _("Thank you: the article's owner will look at your flag."))
    return redirect(article)


@login_required
@require_POST
def flag_resolve(request, pk: int):
    user = staff(request)
    flag = (
        Flag.objects.for_user(user, "view")
        .filter(pk=pk, article__in=Article.objects.for_user(user, "view"))
        .select_related("article")
        .first()
    )
    if flag is None:
        raise Http404
    form = ResolveFlagForm(request.POST)
    back = request.POST.get("back") == "article"
    if form.is_valid():
        try:
            ops.resolve_flag(user, flag, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Flag on %(number)s resolved: %(status)s.")
                % {
                    "number": flag.article.number,
                    "status": FlagStatus(form.cleaned_data["status"]).label,
                },
            )
    else:
        messages.error(request, _("Choose fixed or dismissed."))
    return redirect(flag.article if back else "knowledge:flags")
