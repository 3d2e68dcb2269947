"""The problem pages: the list (queues), a problem (its root cause analysis, linked incidents
with their counts per service and week, known error and workaround, lifecycle and history), new
(directly or from incidents) and edit, the trends report, and "Apply workaround" from an
incident's page. Thin: read through ``for_user``, ask ``rules`` which parts to show, call an
operation, show its error. Only IT staff: anyone else is answered 404."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from steward.changes.models import ChangeRequest
from steward.core import journal, practices
from steward.core.errors import DomainError, StaleVersion
from steward.core.errors import ValidationError as DomainValidationError
from steward.core.registry import detail_panels
from steward.incidents import lookups
from steward.incidents.models import Incident
from steward.people import conflicts
from steward.people.forms import add_domain_error
from steward.problems import charts, lists, queries, rules
from steward.problems import operations as ops
from steward.problems.choices import Status
from steward.problems.forms import (
    FilterForm,
    LinkForm,
    MoveForm,
    ProblemForm,
    RcaForm,
    TrendForm,
    WorkaroundForm,
)
from steward.problems.models import Problem
from steward.problems.workflow import PROBLEM

PAGE_SIZE = 50
LINKED_SHOWN = 100
MATCHING_SHOWN = 5


def _staff(request):
    if not rules.may_view(request.user):
        raise Http404
    return request.user


def _problem(request, number: str) -> Problem:
    problem = queries.problem_for(_staff(request), number)
    if problem is None:
        raise Http404
    return problem


def _incidents(user, numbers: list[str]) -> tuple[list[Incident], list[str]]:
    found = {
        i.number: i
        for i in Incident.objects.for_user(user, "view")
        .filter(number__in=numbers)
        .select_related("service", "affected_ci", "category", "owning_group")
    }
    return [found[n] for n in numbers if n in found], [n for n in numbers if n not in found]


@login_required
def problem_list(request):
    user = _staff(request)
    form = FilterForm(request.GET or None)
    filters = form.filters()
    problems = queries.with_relations(lists.filtered(user, SimpleNamespace(**filters)))
    counts = lists.queue_counts(user)
    context = {
        "form": form,
        "queue": filters["queue"],
        "queues": {k: (label, counts.get(k)) for k, label in lists.QUEUES.items()},
        "page_obj": Paginator(problems, PAGE_SIZE).get_page(request.GET.get("page")),
        "results_template": "problems/_results.html",
    }
    partial = request.htmx.target == "results"
    return render(request, "problems/_results.html" if partial else "problems/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def problem_create(request):
    user = _staff(request)
    if request.method == "POST":
        form = ProblemForm(request.POST, user=user)
        if form.is_valid():
            incidents, missing = _incidents(user, form.cleaned_data["incidents"])
            if missing:
                form.add_error(
                    "incidents",
                    _("No such incident: %(numbers)s") % {"numbers": ", ".join(missing)},
                )
            else:
                try:
                    problem = ops.create_problem(user, incidents=incidents, **form.values())
                except DomainError as exc:
                    add_domain_error(form, exc)
                else:
                    messages.success(
                        request, _("Problem %(number)s raised.") % {"number": problem.number}
                    )
                    return redirect(problem)
    else:
        initial = {"impact": 2, "urgency": 2}
        numbers = [n.strip().upper() for n in request.GET.getlist("incident") if n.strip()]
        # the incident queue's selection ("<id>:<version>" per incident, its bulk bar's form)
        picked = [v.partition(":")[0] for v in request.GET.getlist("pick")]
        picked = [int(pk) for pk in picked if pk.isdigit() and len(pk) < 19][:200]
        if picked:
            numbers += list(
                Incident.objects.for_user(user, "view")
                .filter(pk__in=picked)
                .order_by("id")
                .values_list("number", flat=True)
            )
        incidents, _missing = _incidents(user, list(dict.fromkeys(numbers))[:200])
        if incidents:
            first = incidents[0]
            initial |= {
                "incidents": " ".join(i.number for i in incidents),
                "title": first.title,
                "owning_group": first.owning_group_id,
                "services": sorted({i.service_id for i in incidents if i.service_id}),
                "cis": sorted({i.affected_ci_id for i in incidents if i.affected_ci_id}),
                "category": next((i.category_id for i in incidents if i.category_id), None),
            }
        form = ProblemForm(user=user, initial=initial)
    return render(request, "problems/form.html", {"form": form, "problem": None})


@login_required
@require_POST
def from_incidents(request):
    """The incident queue's bulk action "Open a problem from these": the new problem form,
    filled in from the ticked incidents (which it links when saved). Nothing is written here."""
    _staff(request)
    picks = [v for v in request.POST.getlist("pick") if v][:200]
    if not picks:
        messages.error(request, _("Tick the incidents to open a problem from, first."))
        back = request.POST.get("back", "")
        safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
        return redirect(back if safe and back.startswith("/") else "incidents:list")
    return redirect(f"{reverse('problems:create')}?{urlencode([('pick', v) for v in picks])}")


@login_required
@require_http_methods(["GET", "POST"])
def problem_edit(request, number: str):
    problem = _problem(request, number)
    user = request.user
    if not rules.may_edit(user, problem):
        raise Http404
    conflict, status = None, 200
    if request.method == "POST":
        form = ProblemForm(request.POST, user=user, problem=problem)
        if form.is_valid():
            try:
                ops.update_problem(
                    user, problem, version=form.cleaned_data["version"] or 0, **form.values()
                )
            except StaleVersion as exc:
                conflict, status = conflicts.stale_edit(form, problem, exc.current), 409
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Saved."))
                return redirect(problem)
        else:
            status = 422
    else:
        form = ProblemForm(
            user=user,
            problem=problem,
            initial={
                "title": problem.title,
                "statement": problem.statement,
                "owning_group": problem.owning_group_id,
                "owner": problem.owner_id,
                "impact": problem.impact,
                "urgency": problem.urgency,
                "services": [s.pk for s in problem.services.all()],
                "cis": [c.pk for c in problem.cis.all()],
                "category": problem.category_id,
                "known_error": problem.known_error,
                "workaround": problem.workaround,
                "version": problem.version,
                "seen": conflicts.last_seen(problem),
            },
        )
    context = {"form": form, "problem": problem, "conflict": conflict}
    return render(request, "problems/form.html", context, status=status)


def _detail_context(request, problem: Problem, **extra) -> dict:
    user = request.user
    actions = rules.allowed_actions(user, problem)
    rca = queries.rca_of(problem)
    breakdown = queries.incident_breakdown(problem)
    moves = [(to, PROBLEM.labels[to]) for to in PROBLEM.allowed(problem.status)]
    context = {
        "problem": problem,
        "actions": actions,
        "rca": rca,
        "moves": [(to, label) for to, label in moves if f"to:{to}" in actions],
        "move_form": MoveForm(initial={"version": problem.version}),
        "rca_form": RcaForm(initial=RcaForm.initial_for(problem, rca)),
        "link_form": LinkForm(),
        "linked": list(queries.linked_incidents(problem)[:LINKED_SHOWN]),
        "breakdown": breakdown,
        "services_chart": charts.services_chart(breakdown["services"]),
        "weeks_chart": charts.weeks_chart(breakdown["weeks"]),
        "use": queries.workaround_use(problem),
        "resolvable": ops.resolvable(problem).count() if "resolve_incidents" in actions else 0,
        "history": journal.history(problem),
        "Status": Status,
        # while the changes practice is on, a fix is the change that made it
        "changes_on": practices.is_enabled("changes"),
        # what other practices add to a problem (knowledge: its article)
        "panels": detail_panels(problem, user),
    }
    context.update(extra)
    return context


@login_required
def problem_detail(request, number: str):
    problem = _problem(request, number)
    return render(request, "problems/detail.html", _detail_context(request, problem))


def _error_page(request, number, exc, **forms):
    problem = _problem(request, number)
    context = _detail_context(request, problem, error=exc.message, **forms)
    return render(request, "problems/detail.html", context, status=exc.status)


def _fix_change(user, number: str):
    """The change named as the fix, among those ``user`` sees; a number that names none is
    refused on its field."""
    number = number.strip().upper()
    if not number:
        return None
    change = ChangeRequest.objects.for_user(user, "view").filter(number=number).first()
    if change is None:
        raise DomainValidationError.field(
            "fix_change", _("There is no change %(number)s.") % {"number": number}
        )
    return change


@login_required
@require_POST
def problem_move(request, number: str):
    problem = _problem(request, number)
    form = MoveForm(request.POST)
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    try:
        ops.transition(
            request.user,
            problem,
            data["to"],
            version=data["version"],
            fix_description=data.get("fix_description") or "",
            fix_change=_fix_change(request.user, data.get("fix_change") or ""),
            no_fix_reason=data.get("no_fix_reason") or "",
            cancel_reason=data.get("cancel_reason") or "",
            comment=data.get("comment") or "",
        )
    except DomainError as exc:
        form = MoveForm(request.POST)
        form.is_valid()
        add_domain_error(form, exc)
        return _error_page(request, number, exc, move_form=form)
    return redirect(problem)


@login_required
@require_POST
def problem_rca(request, number: str):
    problem = _problem(request, number)
    form = RcaForm(request.POST)
    if form.is_valid():
        try:
            ops.record_rca(
                request.user, problem, version=form.cleaned_data["version"], **form.values()
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            return _error_page(request, number, exc, rca_form=form)
        messages.success(request, _("Root cause analysis saved."))
        return redirect(problem)
    context = _detail_context(request, problem, rca_form=form)
    return render(request, "problems/detail.html", context, status=422)


@login_required
@require_POST
def problem_link(request, number: str):
    problem = _problem(request, number)
    form = LinkForm(request.POST)
    if form.is_valid():
        incidents, missing = _incidents(request.user, form.cleaned_data["numbers"])
        if missing:
            form.add_error(
                "numbers", _("No such incident: %(numbers)s") % {"numbers": ", ".join(missing)}
            )
        else:
            try:
                ops.link_incidents(request.user, problem, incidents)
            except DomainError as exc:
                add_domain_error(form, exc)
                return _error_page(request, number, exc, link_form=form)
            return redirect(problem)
    context = _detail_context(request, problem, link_form=form)
    return render(request, "problems/detail.html", context, status=422)


@login_required
@require_POST
def problem_resolve_incidents(request, number: str):
    problem = _problem(request, number)
    try:
        done = ops.resolve_incidents(request.user, problem)
    except DomainError as exc:
        return _error_page(request, number, exc)
    messages.success(
        request,
        _("%(count)d linked incidents resolved; each caller is told.") % {"count": len(done)},
    )
    return redirect(problem)


@login_required
@require_POST
def apply_workaround(request, incident_number: str):
    user = _staff(request)
    incident = (
        Incident.objects.for_user(user, "view").filter(number=incident_number.upper()).first()
    )
    form = WorkaroundForm(request.POST)
    if incident is None or not form.is_valid():
        raise Http404
    problem = queries.problem_for(user, form.cleaned_data["problem"])
    if problem is None:
        raise Http404
    try:
        ops.apply_workaround(user, incident, problem, visibility=form.cleaned_data["visibility"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The workaround of %(number)s is on the incident.") % {"number": problem.number},
        )
    return redirect(incident)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@login_required
def trends(request):
    _staff(request)
    form = TrendForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    end_day = data.get("end") or today
    start_day = data.get("start") or end_day - dt.timedelta(days=30)
    if start_day > end_day:
        start_day, end_day = end_day, start_day
    end = _day_start(end_day + dt.timedelta(days=1))
    start = _day_start(start_day)
    min_count = data.get("min_count") or 3
    days = data.get("days") or 30
    report = queries.trends(start, end)
    recurring = queries.recurring(end, min_count=min_count, days=days)
    for group in recurring:
        query = "&".join(f"incident={n}" for n in group.numbers[:200])
        group.create_url = f"{reverse('problems:create')}?{query}"
    if not request.GET:
        form = TrendForm(
            initial={"start": start_day, "end": end_day, "min_count": min_count, "days": days}
        )
    context = {
        "form": form,
        "report": report,
        "recurring": recurring,
        "start_day": start_day,
        "end_day": end_day,
        "previous_days": (end - start).days,
        "min_count": min_count,
        "days": days,
    }
    return render(request, "problems/trends.html", context)


@login_required
def known_errors_matching(request):
    """The published known errors matching a service, CI or category, as a fragment: what the
    incident form shows while an incident is being raised (``?service=&ci=&category=``, as
    its fields are filled in; htmx swaps it in). Nothing for anyone but IT staff."""
    if not rules.may_view(request.user):
        return render(request, "problems/includes/known_errors_matching.html", {"found": []})
    ids = {}
    for name in ("service", "ci", "category"):
        value = request.GET.get(name, "")
        ids[name] = int(value) if value.isdigit() and len(value) < 19 else None
    if ids["ci"] is None and request.GET.get("affected_ci"):
        # the incident form's field: a CI's name, or "name [#id]" from its suggestions
        try:
            ci = lookups.resolve_ci(request.user, request.GET["affected_ci"][:300])
        except ValidationError:
            ci = None
        ids["ci"] = ci.pk if ci is not None else None
    found = []
    if any(ids.values()):
        found = list(
            queries.with_relations(queries.known_errors(request.user, **ids))[:MATCHING_SHOWN]
        )
    return render(request, "problems/includes/known_errors_matching.html", {"found": found})
