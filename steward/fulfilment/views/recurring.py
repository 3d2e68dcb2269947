"""The recurring requests (IT staff): each with its cadence, its next run and its last runs;
who manages one (its creator, administrators) pauses and resumes it. The periodic job raises
the requests (``fulfilment.jobs.run_recurring``); these pages set one up, read and toggle."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from steward.core.errors import DomainError
from steward.fulfilment import forms_runtime, rules
from steward.fulfilment import operations as ops
from steward.fulfilment.choices import FieldType
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


#: The prefix of the item's questions on the page (question names are lower case, digits and
#: ``_``, so they never meet the recurring form's own fields).
ANSWER_PREFIX = "answer"


def _questions(catalog_item, user, data=None):
    """The item's order form for its answers, without its file questions: a recurring request
    carries no file (the operation refuses one)."""
    form = forms_runtime.OrderForm(catalog_item, user, data=data, prefix=ANSWER_PREFIX)
    for d in form.definitions:
        if d.type == FieldType.ATTACHMENT:
            del form.fields[d.name]
    return form


def _item_named(form, raw):
    """The catalog item ``raw`` names if the person may use it (the form's choices), else None
    (the form says why when it is validated)."""
    if raw in (None, ""):
        return None
    try:
        return form.fields["catalog_item"].clean(raw)
    except ValidationError:
        return None


def _place(form, questions, exc: DomainError) -> None:
    """The operation's error beside its field; ``answers.<key>`` beside that question."""
    rest = {}
    for key, problems in exc.fields.items():
        name = key.removeprefix("answers.")
        target = questions if questions is not None and name in questions.fields else None
        if key.startswith("answers.") and target is not None:
            for problem in problems:
                target.add_error(name, problem)
        else:
            rest[key] = problems
    if rest or not exc.fields:
        add_domain_error(form, type(exc)(exc.message, rest))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def recurring_new(request):
    """Two steps on one page: the catalog item first (GET ``?catalog_item=``), then the
    schedule with that item's own questions (its order form, visible-if included)."""
    user = staff(request)
    if not rules.may_manage_recurring(user):
        raise Http404
    status = 200
    data = request.POST if request.method == "POST" else None
    if data is not None:
        form = RecurringForm(data, user=user)
        catalog_item = _item_named(form, data.get("catalog_item"))
    else:
        chosen = request.GET.get("catalog_item")
        form = RecurringForm(user=user, initial={"catalog_item": chosen} if chosen else None)
        catalog_item = _item_named(form, chosen)
    questions = _questions(catalog_item, user, data) if catalog_item is not None else None
    if data is not None:
        status = 422
        valid = form.is_valid()
        answers_valid = questions is not None and questions.is_valid()
        if valid and answers_valid:
            cleaned = form.cleaned_data
            try:
                ops.create_recurring(
                    user,
                    catalog_item=cleaned["catalog_item"],
                    requested_for=cleaned["requested_for"],
                    answers=questions.answers,
                    cadence=cleaned["cadence"],
                    interval=cleaned["interval"],
                    next_run_at=cleaned["next_run_at"],
                    quantity=cleaned["quantity"],
                    name=cleaned.get("name") or "",
                )
            except DomainError as exc:
                _place(form, questions, exc)
                status = exc.status
            else:
                messages.success(request, _("The recurring request has been set up."))
                return redirect("requests:recurring")
    context = {
        "form": form,
        "catalog_item": catalog_item,
        "questions": questions,
        "has_files": catalog_item is not None
        and any(d.type == FieldType.ATTACHMENT for d in questions.definitions),
    }
    return render(request, "fulfilment/recurring_form.html", context, status=status)
