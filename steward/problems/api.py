"""The problems API: problems (create, list, read, change with a version, lifecycle, root cause
analysis, linked incidents, bulk resolution), the known error database, applying a workaround
to an incident, and the trends report. IT staff only: to anyone else every address answers 404,
as for something that does not exist."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status as HttpStatus

from steward.changes.models import ChangeRequest
from steward.core.api_input import RecordNumber
from steward.core.api_support import (
    ERRORS,
    PageParams,
    named_ref,
    page_of,
    paginate,
    person_brief,
    ref_or_422,
    visible_ref,
    visible_refs,
)
from steward.core.errors import NotFound, ValidationError
from steward.incidents.models import Incident, IncidentCategory
from steward.people.models import SupportGroup, User
from steward.problems import lists, queries, rules
from steward.problems import operations as ops
from steward.problems.choices import STATUS_CATEGORY
from steward.problems.models import Problem
from steward.problems.schemas import (
    KnownErrorFilters,
    KnownErrorOut,
    LinkIn,
    ProblemCreate,
    ProblemFilters,
    ProblemOut,
    ProblemTransitionIn,
    ProblemUpdate,
    RcaIn,
    ResolvedIncidentsOut,
    ResolveIncidentsIn,
    TrendFilters,
    TrendsOut,
    WorkaroundIn,
    WorkaroundUseOut,
)
from steward.services.models import ConfigurationItem, Service

router = Router(tags=["problems"])


def _staff(request):
    """Problem management is IT's: anyone else finds nothing here."""
    if not rules.may_view(request.auth):
        raise NotFound("Not found.")
    return request.auth


def rca_out(problem: Problem) -> dict | None:
    rca = queries.rca_of(problem)
    if rca is None:
        return None
    return {
        "method": rca.method,
        "whys": rca.whys,
        "causes": rca.causes,
        "root_cause": rca.root_cause,
        "contributing_factors": rca.contributing_factors,
        "evidence": rca.evidence,
        "recorded_by": person_brief(rca.recorded_by),
        "updated_at": rca.updated_at,
    }


def problem_out(p: Problem, counts: dict | None = None) -> dict:
    counts = counts or queries.counts([p])[p.pk]
    return {
        "number": p.number,
        "title": p.title,
        "statement": p.statement,
        "services": [named_ref(s) for s in p.services.all()],
        "cis": [named_ref(c) for c in p.cis.all()],
        "category": named_ref(p.category),
        "owner": person_brief(p.owner),
        "owning_group": named_ref(p.owning_group),
        "impact": p.impact,
        "urgency": p.urgency,
        "priority": p.priority,
        "status": p.status,
        "status_category": STATUS_CATEGORY[p.status],
        "known_error": p.known_error,
        "workaround": p.workaround,
        "fix_description": p.fix_description,
        "fix_change": p.fix_change.number if p.fix_change_id else None,
        "no_fix_reason": p.no_fix_reason,
        "cancel_reason": p.cancel_reason,
        "rca": rca_out(p),
        "incident_count": counts["incidents"],
        "workaround_uses": counts["uses"],
        "created_at": p.created_at,
        "updated_at": p.updated_at,
        "known_error_at": p.known_error_at,
        "root_cause_at": p.root_cause_at,
        "resolved_at": p.resolved_at,
        "closed_at": p.closed_at,
        "version": p.version,
    }


def fix_change_for(actor, number: str | None):
    """The change a resolution names, among those ``actor`` sees (else 422 on fix_change)."""
    if not number:
        return None
    change = ChangeRequest.objects.for_user(actor, "view").filter(number=number.upper()).first()
    if change is None:
        raise ValidationError.field(
            "fix_change", _("There is no change %(number)s.") % {"number": number.upper()}
        )
    return change


def problem_for(user, number: str) -> Problem:
    problem = queries.problem_for(user, number)
    if problem is None:
        raise NotFound(f"Problem {number} not found.")
    return problem


def fresh_out(user, problem: Problem) -> dict:
    return problem_out(problem_for(user, problem.number))


def incidents_for(user, numbers: list[str], field: str) -> list[Incident]:
    wanted = list(dict.fromkeys(n.upper() for n in numbers))
    found = {
        i.number: i
        for i in Incident.objects.for_user(user, "view")
        .filter(number__in=wanted)
        .select_related("service", "affected_ci", "category", "owning_group")
    }
    missing = [n for n in wanted if n not in found]
    if missing:
        raise ValidationError.field(field, f"incidents {', '.join(missing)} do not exist")
    return [found[n] for n in wanted]


def _refs(actor, data: dict) -> dict:
    """Turn the ids of a body into rows (a missing or invisible one: 422 naming the field)."""
    out = {}
    if "owning_group" in data:
        out["owning_group"] = visible_ref(
            SupportGroup.objects, actor, "owning_group", data["owning_group"], "group"
        )
    if "owner" in data:
        out["owner"] = visible_ref(User.objects, actor, "owner", data["owner"], "user")
    if "category" in data:
        out["category"] = ref_or_422(
            IncidentCategory.objects, "category", data["category"], "category"
        )
    if "services" in data:
        out["services"] = visible_refs(
            Service.objects, actor, "services", data["services"], "services"
        )
    if "cis" in data:
        out["cis"] = visible_refs(
            ConfigurationItem.objects, actor, "cis", data["cis"], "configuration items"
        )
    return out


# --- problems -----------------------------------------------------------------------------------


@router.post("/problems", response={201: ProblemOut, **ERRORS}, summary="Raise a problem")
def create_problem(request, payload: ProblemCreate):
    actor = _staff(request)
    data = payload.dict()
    incidents = incidents_for(actor, data.pop("incidents"), "incidents")
    refs = _refs(actor, data)
    group = refs.pop("owning_group")
    if group is None:
        if not incidents:
            raise ValidationError.field(
                "owning_group", "required (or give incidents: the first one's group owns it)"
            )
        group = incidents[0].owning_group
    problem = ops.create_problem(
        actor,
        title=data["title"],
        statement=data["statement"],
        owning_group=group,
        impact=data["impact"],
        urgency=data["urgency"],
        incidents=incidents,
        **refs,
    )
    return HttpStatus(201, fresh_out(actor, problem))


@router.get("/problems", response={200: page_of(ProblemOut), **ERRORS}, summary="List problems")
def list_problems(request, filters: Query[ProblemFilters], page: Query[PageParams]):
    actor = _staff(request)
    result = paginate(queries.with_relations(lists.filtered(actor, filters)), page)
    counts = queries.counts(result["items"])
    result["items"] = [problem_out(p, counts[p.pk]) for p in result["items"]]
    return result


@router.get(
    "/problems/trends",
    response={200: TrendsOut, **ERRORS},
    summary="Trends: top services, CIs and categories, and recurring incidents",
    description="Incidents by count and by hours in the period (default: the last 30 days) "
    "beside the previous period of the same length, and the incidents of one CI and category "
    "raised at least min_count times in days days before `to`, not yet linked to a problem.",
)
def trends(request, filters: Query[TrendFilters]):
    _staff(request)
    end = filters.to or timezone.now()
    start = filters.from_ or end - dt.timedelta(days=30)
    if start >= end:
        raise ValidationError.field("from", "must be before to")
    if end - start > dt.timedelta(days=3660):
        raise ValidationError.field("from", "the period is at most ten years long")
    report = queries.trends(start, end)
    row = lambda r: {  # noqa: E731
        "id": r.key,
        "name": r.name,
        "count": r.count,
        "hours": r.hours,
        "previous_count": r.previous_count,
        "previous_hours": r.previous_hours,
        "change": r.change,
    }
    return {
        "from": report["from"],
        "to": report["to"],
        "previous_from": report["previous_from"],
        "previous_to": report["previous_to"],
        "services": [row(r) for r in report["services"]],
        "cis": [row(r) for r in report["cis"]],
        "categories": [row(r) for r in report["categories"]],
        "recurring": [
            {
                "ci": {"id": g.ci_id, "name": g.ci},
                "category": {"id": g.category_id, "name": g.category},
                "count": g.count,
                "incidents": g.numbers,
                "first": g.first,
                "last": g.last,
            }
            for g in queries.recurring(end, min_count=filters.min_count, days=filters.days)
        ],
    }


@router.get("/problems/{number}", response={200: ProblemOut, **ERRORS}, summary="One problem")
def get_problem(request, number: RecordNumber):
    actor = _staff(request)
    return problem_out(problem_for(actor, number))


@router.patch(
    "/problems/{number}",
    response={200: ProblemOut, **ERRORS},
    summary="Change a problem (its known error and workaround too)",
)
def update_problem(request, number: RecordNumber, payload: ProblemUpdate):
    actor = _staff(request)
    problem = problem_for(actor, number)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    for name in ("title", "owning_group", "impact", "urgency", "services", "cis", "known_error"):
        if name in data and data[name] is None:
            raise ValidationError.field(name, "cannot be null")
    for name in ("statement", "workaround"):
        if name in data and data[name] is None:
            data[name] = ""
    data.update(_refs(actor, data))
    ops.update_problem(actor, problem, version=version, **data)
    return fresh_out(actor, problem)


@router.post(
    "/problems/{number}/transitions",
    response={200: ProblemOut, **ERRORS},
    summary="Move a problem through its lifecycle",
)
def transition(request, number: RecordNumber, payload: ProblemTransitionIn):
    actor = _staff(request)
    problem = problem_for(actor, number)
    ops.transition(
        actor,
        problem,
        payload.to,
        version=payload.version,
        fix_description=payload.fix_description or "",
        fix_change=fix_change_for(actor, payload.fix_change),
        no_fix_reason=payload.no_fix_reason or "",
        cancel_reason=payload.cancel_reason or "",
        comment=payload.comment or "",
    )
    return fresh_out(actor, problem)


@router.put(
    "/problems/{number}/rca",
    response={200: ProblemOut, **ERRORS},
    summary="Record the root cause analysis (replaces it whole)",
)
def record_rca(request, number: RecordNumber, payload: RcaIn):
    actor = _staff(request)
    problem = problem_for(actor, number)
    data = payload.dict()
    ops.record_rca(
        actor,
        problem,
        version=data["version"],
        method=data["method"],
        whys=data["whys"],
        causes={str(k): v for k, v in data["causes"].items()},
        root_cause=data["root_cause"],
        contributing_factors=data["contributing_factors"],
        evidence=data["evidence"],
    )
    return fresh_out(actor, problem)


@router.post(
    "/problems/{number}/incidents",
    response={200: ProblemOut, **ERRORS},
    summary="Link incidents to a problem",
)
def link_incidents(request, number: RecordNumber, payload: LinkIn):
    actor = _staff(request)
    problem = problem_for(actor, number)
    ops.link_incidents(actor, problem, incidents_for(actor, payload.numbers, "numbers"))
    return fresh_out(actor, problem)


@router.post(
    "/problems/{number}/resolve-incidents",
    response={200: ResolvedIncidentsOut, **ERRORS},
    summary="The fix is in: resolve the linked open incidents",
    description="Resolves the problem's linked open incidents (all, or `numbers`) with the "
    "problem's fix; each caller is told once, in their own language.",
)
def resolve_incidents(request, number: RecordNumber, payload: ResolveIncidentsIn):
    actor = _staff(request)
    problem = problem_for(actor, number)
    done = ops.resolve_incidents(actor, problem, numbers=payload.numbers, version=payload.version)
    return {"problem": problem.number, "resolved": [i.number for i in done]}


# --- the known error database -------------------------------------------------------------------


@router.get(
    "/known-errors",
    response={200: page_of(KnownErrorOut), **ERRORS},
    summary="Published known errors matching a service, CI or category",
)
def known_errors(request, filters: Query[KnownErrorFilters], page: Query[PageParams]):
    actor = _staff(request)
    qs = queries.known_errors(
        actor, service=filters.service, ci=filters.ci, category=filters.category, q=filters.q or ""
    )
    result = paginate(queries.with_relations(qs), page)
    counts = queries.counts(result["items"])
    result["items"] = [
        {
            "problem": p.number,
            "title": p.title,
            "workaround": p.workaround,
            "status": p.status,
            "priority": p.priority,
            "services": [named_ref(s) for s in p.services.all()],
            "cis": [named_ref(c) for c in p.cis.all()],
            "category": named_ref(p.category),
            "workaround_uses": counts[p.pk]["uses"],
            "known_error_at": p.known_error_at,
        }
        for p in result["items"]
    ]
    return result


@router.post(
    "/incidents/{number}/workaround",
    response={201: WorkaroundUseOut, **ERRORS},
    summary="Apply a known error's workaround to an incident",
    description="Links the incident to the problem, adds the workaround as a work note "
    "(internal) or a reply to the caller (public), and records the use.",
)
def apply_workaround(request, number: RecordNumber, payload: WorkaroundIn):
    actor = _staff(request)
    incident = Incident.objects.for_user(actor, "view").filter(number=number.upper()).first()
    if incident is None:
        raise NotFound(f"Incident {number} not found.")
    problem = queries.problem_for(actor, payload.problem)
    if problem is None:
        raise ValidationError.field("problem", f"problem {payload.problem} does not exist")
    use = ops.apply_workaround(
        actor, incident, problem, visibility=payload.visibility, version=payload.version
    )
    return HttpStatus(
        201,
        {
            "problem": problem.number,
            "incident": incident.number,
            "visibility": use.visibility,
            "used_by": person_brief(use.used_by),
            "used_at": use.used_at,
        },
    )
