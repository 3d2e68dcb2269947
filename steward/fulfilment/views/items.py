"""The requested-items pages (IT staff): the queue with its named queues and counts, filters,
sort headers, pages and a CSV export; one requested item (its answers, status, approval flow,
tasks, conversation, files, history and service level, with the actions ``rules`` allows);
and one request (REQ) with its items. Thin: read through ``lists``/``for_user``, write through
``fulfilment.operations``."""

from __future__ import annotations

import csv
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from steward.approvals import queries as approval_queries
from steward.core.errors import DomainError
from steward.fulfilment import answers, lists, rules
from steward.fulfilment import operations as ops
from steward.fulfilment.attachments import serve_attachment
from steward.fulfilment.choices import ACTIVE_TASK_STATUSES, ItemStatus, Visibility
from steward.fulfilment.forms import CancelForm, CommentForm, ItemAssignForm, ItemFilterForm
from steward.fulfilment.models import (
    Request,
    RequestAttachment,
    RequestComment,
    RequestedItem,
)
from steward.fulfilment.views.common import (
    PAGE_SIZE,
    clean_number,
    history,
    one,
    staff,
)
from steward.people.forms import add_domain_error
from steward.slm.queries import clocks_for

RECORD_TYPE = "fulfilment.requesteditem"


def _listed(request):
    """The queue, the filter form, the sort and the rows of the list page (and its CSV)."""
    user = request.user
    queue = request.GET.get("queue")
    queue = queue if queue in lists.ITEM_QUEUES else next(iter(lists.ITEM_QUEUES))
    form = ItemFilterForm(request.GET or None, user=user, statuses=ItemStatus.choices)
    data = form.data_or_empty()
    sort = request.GET.get("sort")
    sort = sort if sort in lists.ITEM_SORTS else lists.DEFAULT_ITEM_SORT
    filters = SimpleNamespace(
        queue=queue,
        q=(data.get("q") or "").strip() or None,
        status=data.get("status") or "",
        service=data["service"].pk if data.get("service") else None,
        group=data["group"].pk if data.get("group") else None,
        sort=sort,
    )
    rows = lists.items_filtered(user, filters).select_related(
        "catalog_item", "requested_for", "owning_group", "assignee", "service"
    )
    return queue, form, sort, rows


@login_required
@require_GET
def item_list(request):
    user = staff(request)
    queue, form, sort, rows = _listed(request)
    counts = lists.item_queue_counts(user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "queue": queue,
        "queues": {k: (label, counts.get(k)) for k, label in lists.ITEM_QUEUES.items()},
        "sort": sort,
        "page_obj": page,
        "now": timezone.now(),
        "results_template": "fulfilment/_item_results.html",
        "export_query": request.GET.urlencode(),
        "may_keep_catalog": rules.may_keep_catalog(user),
    }
    partial = request.htmx.target == "results"
    template = "fulfilment/_item_results.html" if partial else "fulfilment/item_list.html"
    return render(request, template, context)


class _Echo:
    def write(self, value):
        return value


def _cell(value) -> str:
    """A cell a spreadsheet will not run: text starting with = + - @ is quoted with '."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


CSV_LIMIT = 50_000


@login_required
@require_GET
def item_export(request):
    """The list as filtered, as CSV (at most CSV_LIMIT rows), streamed."""
    staff(request)
    _queue, _form, _sort, rows = _listed(request)
    header = [
        _("Number"),
        _("Request"),
        _("Item"),
        _("Status"),
        _("Requested for"),
        _("Service"),
        _("Group"),
        _("Assignee"),
        _("Due"),
        _("Created"),
    ]

    def lines():
        writer = csv.writer(_Echo())
        yield writer.writerow(header)
        for item in rows.select_related("request").iterator(chunk_size=500):
            yield writer.writerow(
                [
                    _cell(item.number),
                    _cell(item.request.number),
                    _cell(item.catalog_item.name),
                    _cell(item.get_status_display()),
                    _cell(item.requested_for.display_name),
                    _cell(item.service.name),
                    _cell(item.owning_group.name),
                    _cell(item.assignee.display_name if item.assignee else ""),
                    _cell(item.due_at.isoformat() if item.due_at else ""),
                    _cell(item.created_at.isoformat()),
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="requested-items.csv"'
    return response


# --- one item -----------------------------------------------------------------------------------


def item_for(user, number: str) -> RequestedItem:
    return one(
        RequestedItem.objects.for_user(user, "view").select_related(
            "catalog_item",
            "request",
            "owning_group",
            "assignee",
            "service",
            "requested_for",
            "opened_by",
            "organization",
        ),
        number=clean_number(number),
    )


def _attachment_url(item, attachment) -> str:
    from django.urls import reverse

    return reverse("requests:attachment", args=[item.number, attachment.pk])


FLOW_TEMPLATE = "approvals/includes/flow.html"


def _flow(item) -> tuple[list, str | None]:
    """The approval flow of ``item`` (every round's steps with their approvers) and the
    approvals app's template that shows it (None: this page lists the steps itself)."""
    flow = list(approval_queries.flow(RECORD_TYPE, item.pk))
    try:
        get_template(FLOW_TEMPLATE)
    except TemplateDoesNotExist:
        return flow, None
    return flow, FLOW_TEMPLATE


def _slas(item) -> list[dict]:
    return clocks_for(RECORD_TYPE, item.pk)


def _detail_context(request, item, **forms) -> dict:
    user = request.user
    actions = rules.item_actions(user, item)
    tasks = list(item.tasks.select_related("group", "assignee").order_by("stage", "id"))
    closed = sum(1 for t in tasks if t.status not in ACTIVE_TASK_STATUSES)
    comments = list(
        RequestComment.objects.for_user(user, "view")
        .filter(item=item)
        .select_related("author")
        .order_by("-id")
    )
    attachments = list(
        RequestAttachment.objects.for_user(user, "view")
        .filter(item=item)
        .select_related("uploaded_by")
        .order_by("id")
    )
    flow, flow_template = _flow(item)
    decidable = [
        step for step in flow if step.state == "pending" and approval_queries.eligible(user, step)
    ]
    comment_form = forms.get("comment_form") or CommentForm()
    if "note" not in actions:
        comment_form.fields["visibility"].choices = [(Visibility.PUBLIC, Visibility.PUBLIC.label)]
        comment_form.initial["visibility"] = Visibility.PUBLIC
    context = {
        "item": item,
        "actions": actions,
        "answers": answers.in_words(item, user, file_url=lambda a: _attachment_url(item, a)),
        "flow": flow,
        "flow_template": flow_template,
        "decidable": decidable,
        "tasks": tasks,
        "tasks_closed": closed,
        "comments": comments,
        "attachments": attachments,
        "slas": _slas(item),
        "history": history(item),
        "siblings": list(
            item.request.items.exclude(pk=item.pk).select_related("catalog_item").order_by("id")
        ),
        "assign_form": forms.get("assign_form")
        or ItemAssignForm(
            group=item.owning_group,
            initial={
                "group": item.owning_group_id,
                "assignee": item.assignee_id,
                "version": item.version,
            },
        ),
        "comment_form": comment_form,
        "cancel_form": forms.get("cancel_form") or CancelForm(initial={"version": item.version}),
        "now": timezone.now(),
        "Visibility": Visibility,
    }
    return context


@login_required
@require_GET
def item_detail(request, number: str):
    user = staff(request)
    item = item_for(user, number)
    return render(request, "fulfilment/item_detail.html", _detail_context(request, item))


def _again(request, item, exc, **forms):
    """The item's page again with the operation's refusal (its status code)."""
    item = item_for(request.user, item.number)
    context = _detail_context(request, item, **forms)
    context["error"] = exc.message
    return render(request, "fulfilment/item_detail.html", context, status=exc.status)


@login_required
@require_POST
def item_assign(request, number: str):
    user = staff(request)
    item = item_for(user, number)
    if "assign" not in rules.item_actions(user, item):
        raise Http404
    form = ItemAssignForm(request.POST, group=item.owning_group)
    if not form.is_valid():
        return _again(request, item, _invalid(_("Choose someone of the group.")), assign_form=form)
    try:
        ops.assign_item(
            user,
            item,
            group=form.cleaned_data["group"],
            assignee=form.cleaned_data["assignee"],
            version=form.cleaned_data["version"],
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return _again(request, item, exc, assign_form=form)
    messages.success(request, _("Assigned."))
    return redirect(item)


@login_required
@require_POST
def item_comment(request, number: str):
    user = staff(request)
    item = item_for(user, number)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _again(request, item, _invalid(_("Write the comment.")), comment_form=form)
    try:
        ops.add_comment(
            user,
            item,
            body=form.cleaned_data["body"],
            visibility=form.cleaned_data["visibility"],
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return _again(request, item, exc, comment_form=form)
    if form.cleaned_data["visibility"] == Visibility.PUBLIC:
        messages.success(request, _("Your reply has been sent to the requester."))
    else:
        messages.success(request, _("Work note added."))
    return redirect(item)


@login_required
@require_POST
def item_cancel(request, number: str):
    user = staff(request)
    item = item_for(user, number)
    if "cancel" not in rules.item_actions(user, item):
        raise Http404
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _again(request, item, _invalid(_("Say why it is cancelled.")), cancel_form=form)
    try:
        ops.cancel_item(
            user, item, reason=form.cleaned_data["reason"], version=form.cleaned_data["version"]
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return _again(request, item, exc, cancel_form=form)
    messages.success(request, _("%(number)s has been cancelled.") % {"number": item.number})
    return redirect(item)


@login_required
@require_POST
def item_attach(request, number: str):
    user = staff(request)
    item = item_for(user, number)
    upload = request.FILES.get("file")
    visibility = request.POST.get("visibility") or Visibility.INTERNAL
    if upload is None:
        messages.error(request, _("Choose a file to attach."))
        return redirect(item)
    try:
        ops.add_attachment(user, item, upload, visibility=visibility)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The file has been attached."))
    return redirect(item)


@login_required
@require_GET
def attachment_download(request, number: str, pk: int):
    """The file, after the same permission check as the API (always a download)."""
    staff(request)
    visible = RequestAttachment.objects.for_user(request.user, "view").filter(
        pk=pk, item__number=clean_number(number)
    )
    if not (request.user.is_authenticated and visible.exists()):
        raise Http404
    try:
        return serve_attachment(request.user, pk)
    except DomainError as exc:
        raise Http404 from exc


def _invalid(message: str) -> DomainError:
    from steward.core.errors import ValidationError

    return ValidationError(message, {})


# --- one request --------------------------------------------------------------------------------


@login_required
@require_GET
def request_detail(request, number: str):
    user = staff(request)
    order = one(
        Request.objects.for_user(user, "view").select_related(
            "requested_for", "opened_by", "organization"
        ),
        number=clean_number(number),
    )
    items = list(
        order.items.select_related("catalog_item", "owning_group", "assignee").order_by("id")
    )
    context = {"order": order, "items": items, "history": history(order), "now": timezone.now()}
    return render(request, "fulfilment/request_detail.html", context)
