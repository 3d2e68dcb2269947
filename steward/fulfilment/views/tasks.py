"""The fulfilment task pages (IT staff): the task queue (my tasks, my groups' tasks and the
other named queues of ``lists``, with counts), and one task: start it, close it complete or
incomplete with notes, assign it to a member of its group — the buttons ``rules`` allows."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from steward.core.errors import DomainError, ValidationError
from steward.fulfilment import lists, rules
from steward.fulfilment import operations as ops
from steward.fulfilment.choices import TaskOutcome, TaskStatus
from steward.fulfilment.forms import AssignForm, CloseTaskForm, TaskFilterForm, VersionOnly
from steward.fulfilment.models import FulfilmentTask
from steward.fulfilment.views.common import PAGE_SIZE, clean_number, history, one, staff
from steward.people.forms import add_domain_error


@login_required
@require_GET
def task_list(request):
    user = staff(request)
    queue = request.GET.get("queue")
    queue = queue if queue in lists.TASK_QUEUES else next(iter(lists.TASK_QUEUES))
    form = TaskFilterForm(request.GET or None, user=user, statuses=TaskStatus.choices)
    data = form.data_or_empty()
    sort = request.GET.get("sort")
    sort = sort if sort in lists.TASK_SORTS else lists.DEFAULT_TASK_SORT
    filters = SimpleNamespace(
        queue=queue,
        q=(data.get("q") or "").strip() or None,
        status=data.get("status") or "",
        group=data["group"].pk if data.get("group") else None,
        sort=sort,
    )
    rows = lists.tasks_filtered(user, filters).select_related(
        "item__catalog_item", "item__requested_for", "group", "assignee"
    )
    counts = lists.task_queue_counts(user)
    context = {
        "form": form,
        "queue": queue,
        "queues": {k: (label, counts.get(k)) for k, label in lists.TASK_QUEUES.items()},
        "sort": sort,
        "page_obj": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "results_template": "fulfilment/_task_results.html",
        "may_keep_catalog": rules.may_keep_catalog(user),
    }
    partial = request.htmx.target == "results"
    template = "fulfilment/_task_results.html" if partial else "fulfilment/task_list.html"
    return render(request, template, context)


def task_for(user, number: str) -> FulfilmentTask:
    return one(
        FulfilmentTask.objects.for_user(user, "view").select_related(
            "item__catalog_item", "item__requested_for", "item__request", "group", "assignee"
        ),
        number=clean_number(number),
    )


def _context(request, task, **forms) -> dict:
    user = request.user
    siblings = list(
        task.item.tasks.exclude(pk=task.pk).select_related("group").order_by("stage", "id")
    )
    return {
        "task": task,
        "item": task.item,
        "actions": rules.task_actions(user, task),
        "siblings": siblings,
        "history": history(task),
        "start_form": VersionOnly(initial={"version": task.version}),
        "close_form": forms.get("close_form") or CloseTaskForm(initial={"version": task.version}),
        "assign_form": forms.get("assign_form")
        or AssignForm(
            group=task.group, initial={"assignee": task.assignee_id, "version": task.version}
        ),
        "error": forms.get("error"),
    }


@login_required
@require_GET
def task_detail(request, number: str):
    user = staff(request)
    task = task_for(user, number)
    return render(request, "fulfilment/task_detail.html", _context(request, task))


def _again(request, number, exc, **forms):
    task = task_for(request.user, number)
    context = _context(request, task, error=exc.message, **forms)
    return render(request, "fulfilment/task_detail.html", context, status=exc.status)


@login_required
@require_POST
def task_action(request, number: str, action: str):
    """start, close or assign, whichever the form posts."""
    user = staff(request)
    task = task_for(user, number)
    if action not in rules.task_actions(user, task):
        raise Http404
    if action == "start":
        form = VersionOnly(request.POST)
        form.is_valid()
        try:
            ops.start_task(user, task, version=form.cleaned_data.get("version"))
        except DomainError as exc:
            return _again(request, number, exc)
        messages.success(request, _("%(number)s started.") % {"number": task.number})
        return redirect(task)
    if action == "close":
        form = CloseTaskForm(request.POST)
        if not form.is_valid():
            problem = ValidationError(_("The task was not closed: see below."), {})
            return _again(request, number, problem, close_form=form)
        data = form.cleaned_data
        try:
            ops.close_task(
                user,
                task,
                outcome=data["outcome"],
                notes=data.get("notes") or "",
                version=data.get("version"),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            return _again(request, number, exc, close_form=form)
        if data["outcome"] == TaskOutcome.COMPLETE:
            messages.success(request, _("%(number)s closed complete.") % {"number": task.number})
        else:
            messages.success(request, _("%(number)s closed incomplete.") % {"number": task.number})
        return redirect(task)
    if action == "assign":
        form = AssignForm(request.POST, group=task.group)
        if not form.is_valid():
            problem = ValidationError(_("Choose someone of the group."), {})
            return _again(request, number, problem, assign_form=form)
        try:
            ops.assign(
                user,
                task,
                assignee=form.cleaned_data["assignee"],
                version=form.cleaned_data.get("version"),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            return _again(request, number, exc, assign_form=form)
        messages.success(request, _("Assigned."))
        return redirect(task)
    raise Http404
