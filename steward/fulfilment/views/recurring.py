"""The recurring requests (IT staff): each with its cadence, its next run and its last runs;
who manages one (its creator, administrators) pauses and resumes it. The periodic job raises
the requests (``fulfilment.jobs.run_recurring``); these pages set one up, read and toggle."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from steward.core.errors import DomainError
from steward.fulfilment import operations as ops
from steward.fulfilment import rules
from steward.fulfilment.forms import RecurringForm, RecurringToggleForm
from steward.fulfilment.models import RecurringRequest, RecurringRun
from steward.fulfilment.views.common import PAGE_SIZE, one, staff
from steward.people.forms import add_domain_error

RUNS_SHOWN = 3


@login_required
@require_GET
def recurring_list(request):
    user = staff(request)
    rows = (
        RecurringRequest.objects.for_user(user, "view")
        .select_related("catalog_item", "requested_for", "created_by")
        .order_by("-is_active", "next_run_at", "id")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    ids = [r.pk for r in page.object_list]
    runs: dict[int, list] = {}
    for run in (
        RecurringRun.objects.filter(recurring_id__in=ids)
        .select_related("request")
        .order_by("-run_at", "-id")
    ):
        shown = runs.setdefault(run.recurring_id, [])
        if len(shown) < RUNS_SHOWN:
            shown.append(run)
    for r in page.object_list:
        r.recent_runs = runs.get(r.pk, [])
        r.may_manage = rules.may_manage_recurring(user, r)
    context = {
        "page_obj": page,
        "may_keep_catalog": rules.may_keep_catalog(user),
        "may_create": rules.may_manage_recurring(user),
    }
    return render(request, "fulfilment/recurring_list.html", context)


@login_required
@require_POST
def recurring_toggle(request, pk: int):
    """Pause (or resume) a recurring request."""
    user = staff(request)
    recurring = one(RecurringRequest.objects.for_user(user, "view"), pk=pk)
    if not rules.may_manage_recurring(user, recurring):
        raise Http404
    form = RecurringToggleForm(request.POST)
    if not form.is_valid():
        raise Http404
    active = form.cleaned_data["is_active"]
    try:
        ops.update_recurring(
            user, recurring, version=form.cleaned_data.get("version"), is_active=active
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if active:
            messages.success(request, _("The recurring request runs again."))
        else:
            messages.success(request, _("The recurring request is paused."))
    return redirect("requests:recurring")


def _place(form, exc: DomainError) -> None:
    """The operation's error beside its field; ``answers.<key>`` beside the answers."""
    answers = {k: v for k, v in exc.fields.items() if k.startswith("answers.")}
    for name, problems in answers.items():
        for problem in problems:
            form.add_error("answers", f"{name.removeprefix('answers.')}: {problem}")
    rest = {k: v for k, v in exc.fields.items() if k not in answers}
    if rest or not answers:
        add_domain_error(form, type(exc)(exc.message, rest))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def recurring_new(request):
    user = staff(request)
    if not rules.may_manage_recurring(user):
        raise Http404
    status = 200
    if request.method == "POST":
        form = RecurringForm(request.POST, user=user)
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                ops.create_recurring(
                    user,
                    catalog_item=data["catalog_item"],
                    requested_for=data["requested_for"],
                    answers=data["answers"],
                    cadence=data["cadence"],
                    interval=data["interval"],
                    next_run_at=data["next_run_at"],
                    quantity=data["quantity"],
                    name=data.get("name") or "",
                )
            except DomainError as exc:
                _place(form, exc)
                status = exc.status
            else:
                messages.success(request, _("The recurring request has been set up."))
                return redirect("requests:recurring")
    else:
        form = RecurringForm(user=user)
    return render(request, "fulfilment/recurring_form.html", {"form": form}, status=status)
