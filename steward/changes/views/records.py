"""The list of changes (queues, filters, sorts), a change's page, and the change form: new
(normal or emergency, or standard from a template) and edit, with the plans and the risk
questionnaire."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from steward.changes import lists, queries, rules
from steward.changes import operations as ops
from steward.changes.authorization import authorization
from steward.changes.choices import (
    AuthorityLevel,
    ChangeType,
    Status,
)
from steward.changes.forms import (
    ChangeForm,
    DecisionForm,
    FilterForm,
    LinkIncidentForm,
    MoveForm,
    OverrideForm,
    ReviewForm,
    ci_line,
)
from steward.changes.models import ChangeTemplate
from steward.changes.views.common import change_or_404, staff
from steward.changes.workflow import CHANGE, needs_review
from steward.core import journal
from steward.core.errors import DomainError, StaleVersion
from steward.people import conflicts
from steward.people.forms import add_domain_error

PAGE_SIZE = 50


@login_required
def change_list(request):
    user = staff(request)
    form = FilterForm(request.GET or None)
    filters = form.filters()
    changes = queries.with_conflict_flag(
        queries.with_relations(lists.filtered(user, SimpleNamespace(**filters)))
    )
    counts = lists.queue_counts(user)
    context = {
        "form": form,
        "queue": filters["queue"],
        "queues": {k: (label, counts.get(k)) for k, label in lists.QUEUES.items()},
        "page_obj": Paginator(changes, PAGE_SIZE).get_page(request.GET.get("page")),
        "results_template": "changes/_results.html",
        "templates": ChangeTemplate.objects.filter(is_active=True).order_by("name"),
    }
    partial = request.htmx.target == "results"
    return render(request, "changes/_results.html" if partial else "changes/list.html", context)


def _template(user, request) -> ChangeTemplate | None:
    pk = request.POST.get("template") or request.GET.get("template") or ""
    if not pk:
        return None
    if not (pk.isdigit() and len(pk) < 19):
        return None
    return (
        ChangeTemplate.objects.for_user(user, "view")
        .filter(pk=int(pk), is_active=True)
        .select_related("owning_group")
        .prefetch_related("services", "cis")
        .first()
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_create(request):
    user = staff(request)
    template = _template(user, request)
    if request.method == "POST":
        form = ChangeForm(request.POST, user=user, template=template)
        if form.is_valid():
            values = form.values()
            if template is not None:
                values["type"] = ChangeType.STANDARD
                values["template"] = template
            try:
                change = ops.create_change(user, answers=form.answers() or None, **values)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(
                    request, _("Change %(number)s raised.") % {"number": change.number}
                )
                return redirect(change)
    else:
        initial = {"type": request.GET.get("type") or ChangeType.NORMAL, "owner": user.pk}
        if template is not None:
            initial |= {
                "title": template.name,
                "description": template.description,
                "owning_group": template.owning_group_id,
                "services": [s.pk for s in template.services.all()],
                "cis": "\n".join(ci_line(c) for c in template.cis.all()),
            }
        form = ChangeForm(user=user, template=template, initial=initial)
    context = {
        "form": form,
        "change": None,
        "template": template,
        "templates": ChangeTemplate.objects.filter(is_active=True).order_by("name"),
    }
    return render(request, "changes/form.html", context, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def change_edit(request, number: str):
    change = change_or_404(request, number)
    user = request.user
    if not rules.may_edit(user, change):
        messages.error(request, _("A change is no longer edited once implementation started."))
        return redirect(change)
    answers = {a.question_id: a.answer_id for a in queries.risk_answers(change)}
    conflict, status = None, 200
    if request.method == "POST":
        form = ChangeForm(request.POST, user=user, change=change, answers=answers)
        if form.is_valid():
            fields = form.values()
            if form.questions:
                fields["answers"] = form.answers()
            try:
                ops.update_change(user, change, version=form.cleaned_data["version"] or 0, **fields)
            except StaleVersion as exc:
                conflict, status = conflicts.stale_edit(form, change, exc.current), 409
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Saved."))
                return redirect(change)
        else:
            status = 422
    else:
        initial = {
            name: getattr(change, name)
            for name in (
                "title",
                "description",
                "reason",
                "planned_start",
                "planned_end",
                "implementation_plan",
                "backout_plan",
                "test_plan",
                "communication_plan",
                "impact",
                "outage_expected",
                "outage_minutes",
            )
        }
        initial |= {
            "owning_group": change.owning_group_id,
            "owner": change.owner_id,
            "implementer": change.implementer_id,
            "services": [s.pk for s in change.services.all()],
            "cis": "\n".join(ci_line(c) for c in change.cis.all()),
            "version": change.version,
            "seen": conflicts.last_seen(change),
        }
        initial |= {f"risk_{q}": a for q, a in answers.items()}
        form = ChangeForm(user=user, change=change, answers=answers, initial=initial)
    context = {"form": form, "change": change, "template": change.template, "conflict": conflict}
    return render(request, "changes/form.html", context, status=status)


def _moves(change, auth, conflict_rows) -> list[dict]:
    """The lifecycle's next steps from here, each with what its guard would still refuse
    (asked of the guard itself, so the page says it beside the button before anyone presses
    it). Cancelling and closing are asked for their reason and outcome in their own forms."""
    context = {
        "change": change,
        "has_scope": bool(change.services.all() or change.cis.all()),
        "authorized": auth.complete,
        "blocking_conflicts": sum(1 for c in conflict_rows if not c.covered),
    }
    out = []
    back = {Status.ASSESS} if change.status != Status.NEW else set()
    steps = sorted(CHANGE.allowed(change.status), key=lambda s: (s in back, s == Status.CANCELLED))
    for to in steps:
        refusal = ""
        if to in (Status.AUTHORIZE, Status.SCHEDULED):
            try:
                CHANGE.check(change.status, to, **context)
            except DomainError as exc:
                refusal = exc.message
        out.append({"to": to, "label": CHANGE.labels[to], "refusal": refusal})
    return out


def detail_context(request, change, **extra) -> dict:
    actions = rules.allowed_actions(request.user, change)
    auth = authorization(change)
    conflict_rows = queries.conflicts_of(change)
    review = queries.review_of(change)
    blocking = [c for c in conflict_rows if not c.covered]
    context = {
        "change": change,
        "actions": actions,
        "auth": auth,
        "auth_label": AuthorityLevel(auth.level).label,
        "may_decide": "approve" in actions,
        "may_edit": "edit" in actions,
        "may_override": "override_conflicts" in actions and bool(blocking),
        "may_review": "review" in actions,
        "flow": queries.approval_flow(change),
        "answers": queries.risk_answers(change),
        "risk_reasons": queries.risk_reasons(change),
        "conflicts": conflict_rows,
        "blocking": blocking,
        "impact": queries.impact_preview(change),
        "caused": queries.caused_incidents(change),
        "review": review,
        "needs_review": needs_review(change) and change.status in (Status.IMPLEMENT, Status.REVIEW),
        "moves": [m for m in _moves(change, auth, conflict_rows) if f"to:{m['to']}" in actions],
        "move_form": MoveForm(initial={"version": change.version}),
        "decision_form": DecisionForm(initial={"version": change.version}),
        "override_form": OverrideForm(initial={"version": change.version}),
        "review_form": ReviewForm(initial=ReviewForm.initial_for(change, review)),
        "link_form": LinkIncidentForm(),
        "history": journal.history(change),
        "Status": Status,
    }
    context.update(extra)
    return context


@login_required
def change_detail(request, number: str):
    change = change_or_404(request, number)
    return render(request, "changes/detail.html", detail_context(request, change))
