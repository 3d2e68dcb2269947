"""The register's pages: the list, an item (its progress chart, actions, votes, comments and
history), new and edit. Thin: read through ``for_user``, ask ``rules`` which buttons to show,
call an operation, show its error."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from steward.core import journal
from steward.core.errors import DomainError, StaleVersion
from steward.improvement import charts, lists, queries, rules
from steward.improvement import operations as ops
from steward.improvement.forms import (
    ActionForm,
    CommentForm,
    FilterForm,
    ItemForm,
    MoveForm,
    initial_from_item,
    initial_from_query,
)
from steward.improvement.models import Action, ImprovementItem, Vote
from steward.people import conflicts
from steward.people.forms import add_domain_error
from steward.people.models import Organization, SupportGroup, User
from steward.services.models import Service

PAGE_SIZE = 50


@login_required
def item_list(request):
    visible = ImprovementItem.objects.for_user(request.user, "view")
    owners = User.objects.filter(pk__in=visible.values("owner_id")).order_by(
        "first_name", "last_name", "username"
    )
    form = FilterForm(request.GET or None, user=request.user, owners=owners)
    sort = lists.clean_sort(request.GET.get("sort"))
    items = (
        lists.filter_items(visible, user=request.user, **form.filters())
        .select_related("owner", "service")
        .order_by(*lists.ordering(sort))
    )
    context = {
        "form": form,
        "sort": sort,
        "page_obj": Paginator(items, PAGE_SIZE).get_page(request.GET.get("page")),
        "results_template": "improvement/_results.html",
    }
    partial = request.htmx.target == "results"
    return render(
        request, "improvement/_results.html" if partial else "improvement/list.html", context
    )


def _item(request, number: str) -> ImprovementItem:
    voted = Vote.objects.filter(item=OuterRef("pk"), voter=request.user)
    visible = (
        ImprovementItem.objects.for_user(request.user, "view")
        .select_related("owner", "proposer", "service")
        .prefetch_related(
            Prefetch("actions", queryset=Action.objects.select_related("owner").order_by("id"))
        )
        .annotate(voted=Exists(voted))
    )
    return get_object_or_404(visible, number=number)


@login_required
@require_http_methods(["GET", "POST"])
def item_new(request):
    if not rules.may_propose(request.user):
        raise DjangoPermissionDenied
    if request.method == "POST":
        form = ItemForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                item = ops.propose(request.user, **form.values())
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(
                    request, _("Improvement %(number)s proposed.") % {"number": item.number}
                )
                return redirect(item)
    else:
        form = ItemForm(user=request.user, initial=initial_from_query(request.GET))
    return render(request, "improvement/form.html", {"form": form, "item": None})


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, number: str):
    item = _item(request, number)
    if not rules.may_edit(request.user, item):
        raise DjangoPermissionDenied
    conflict, status = None, 200
    if request.method == "POST":
        form = ItemForm(request.POST, user=request.user, item=item, initial=initial_from_item(item))
        if form.is_valid():
            try:
                ops.update(
                    request.user, item, version=form.cleaned_data["version"] or 0, **form.values()
                )
            except StaleVersion as exc:
                conflict, status = conflicts.stale_edit(form, item, exc.current), 409
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(item)
    else:
        initial = initial_from_item(item) | {"seen": conflicts.last_seen(item)}
        form = ItemForm(user=request.user, item=item, initial=initial)
    context = {"form": form, "item": item, "conflict": conflict}
    return render(request, "improvement/form.html", context, status=status)


def _filter_labels(filters: dict) -> list[tuple[str, str]]:
    """The KPI's filters as people read them: (what, which)."""
    models = {
        "service": (Service, _("Service")),
        "group": (SupportGroup, _("Group")),
        "organization": (Organization, _("Organization")),
    }
    out = []
    for key, value in (filters or {}).items():
        if key == "priority":
            out.append((_("Priority"), f"P{value}"))
        elif key in models:
            model, label = models[key]
            name = model.objects.filter(pk=value).values_list("name", flat=True).first()
            out.append((label, name or str(value)))
    return out


def _detail_context(request, item, **extra) -> dict:
    user = request.user
    actions = rules.allowed_actions(user, item)
    progress = chart = None
    if "progress" in actions and item.kpi_key:
        try:
            progress = queries.progress(item)
        except DomainError:
            progress = None
        if progress is not None:
            chart = charts.progress_chart(progress)
    moves = rules.moves(user, item)
    context = {
        "item": item,
        "actions": actions,
        "moves": moves,
        "progress": progress,
        "chart": chart,
        "move_form": MoveForm(initial={"version": item.version}),
        "comment_form": CommentForm(),
        "action_form": ActionForm() if "manage_actions" in actions else None,
        "comments": item.comments.select_related("author").order_by("id"),
        "history": journal.history(item),
        "filter_labels": _filter_labels(item.kpi_filters),
        "kpi_name": getattr(queries.kpi_of(item.kpi_key), "name", ""),
        "closing": any(to == "closed" for to, _label in moves),
        "may_tick": {a.pk for a in item.actions.all() if rules.may_update_action(user, a)},
    }
    context.update(extra)
    return context


@login_required
def item_detail(request, number: str):
    item = _item(request, number)
    return render(request, "improvement/detail.html", _detail_context(request, item))


def _error_page(request, item, exc, **forms):
    context = _detail_context(request, item, error=exc.message, **forms)
    return render(request, "improvement/detail.html", context, status=exc.status)


@login_required
@require_POST
def item_move(request, number: str):
    item = _item(request, number)
    form = MoveForm(request.POST)
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    try:
        ops.transition(
            request.user,
            item,
            to=data["to"],
            version=data["version"],
            outcome=data.get("outcome") or "",
            reason=data.get("reason") or "",
        )
    except DomainError as exc:
        form = MoveForm(request.POST)
        form.is_valid()
        add_domain_error(form, exc)
        return _error_page(request, _item(request, number), exc, move_form=form)
    return redirect(item)


@login_required
@require_POST
def item_vote(request, number: str):
    item = _item(request, number)
    try:
        if item.voted:
            ops.withdraw_vote(request.user, item)
        else:
            ops.vote(request.user, item)
    except DomainError as exc:
        return _error_page(request, item, exc)
    return redirect(item)


@login_required
@require_POST
def item_comment(request, number: str):
    item = _item(request, number)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            ops.comment(request.user, item, body=form.cleaned_data["body"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect(item)
    context = _detail_context(request, item, comment_form=form)
    return render(request, "improvement/detail.html", context, status=422)


@login_required
@require_POST
def action_add(request, number: str):
    item = _item(request, number)
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            ops.add_action(request.user, item, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect(item)
    context = _detail_context(request, item, action_form=form)
    return render(request, "improvement/detail.html", context, status=422)


@login_required
@require_POST
def action_done(request, number: str, pk: int):
    item = _item(request, number)
    action = get_object_or_404(Action.objects.select_related("item"), item=item, pk=pk)
    try:
        ops.update_action(request.user, action, done=not action.done)
    except DomainError as exc:
        return _error_page(request, item, exc)
    return redirect(item)
