"""Ownership API: processes, their activities and RACI matrices, ownership gaps.

IT staff read everything here; requesters see none of it (403 on the gap views, empty lists and
404s elsewhere). Administrators and a process's owner edit a process and its matrix.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router
from ninja.responses import Status

from steward.core.api_input import Id
from steward.core.api_support import (
    ERRORS,
    PageParams,
    page_of,
    paginate,
    person_brief,
    visible_ref,
    visible_refs,
)
from steward.core.errors import PermissionDenied, ValidationError
from steward.core.operations import get_visible, require_admin
from steward.ownership import gaps as gap_registry
from steward.ownership import operations as ops
from steward.ownership import validation
from steward.ownership.choices import Severity
from steward.ownership.exports import raci_csv
from steward.ownership.models import Activity, Process, RaciAssignment
from steward.ownership.schemas import (
    ActivityCreate,
    ActivityOut,
    ActivityRaciWrite,
    GapFilters,
    GapList,
    MineOut,
    ProcessCreate,
    ProcessFilters,
    ProcessOut,
    ProcessUpdate,
    RaciOut,
    RaciWrite,
    ValidationOut,
)
from steward.people.models import SupportGroup, User

router = Router(tags=["ownership"])


def _brief(p: Process) -> dict:
    return {"id": p.pk, "key": p.key, "name": p.name}


def process_out(p: Process) -> dict:
    return {
        "id": p.pk,
        "key": p.key,
        "name": p.name,
        "description": p.description,
        "owner": person_brief(p.owner),
        "managers": [person_brief(m) for m in p.managers.all()],
        "activity_count": p.activity_count,
        "version": p.version,
    }


def _processes():
    return (
        Process.objects.select_related("owner")
        .prefetch_related(Prefetch("managers", queryset=User.objects.order_by("username")))
        .annotate(activity_count=Count("activities", distinct=True))
    )


def _visible_user(actor, field: str, pk: int | None) -> User | None:
    return visible_ref(User.objects, actor, field, pk, "user")


def _visible_users(actor, field: str, pks: list[int]) -> list[User]:
    return visible_refs(User.objects, actor, field, pks, "users")


def _process(actor, process_id: int) -> Process:
    return get_visible(Process.objects.select_related("owner"), actor, process_id, "Process")


# --- processes ----------------------------------------------------------------------------------


@router.get("/processes", response={200: page_of(ProcessOut), **ERRORS}, summary="List processes")
def list_processes(request, filters: Query[ProcessFilters], page: Query[PageParams]):
    qs = _processes().for_user(request.auth, "view").order_by("name")
    if filters.owner is not None:
        qs = qs.filter(owner_id=filters.owner)
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(description__icontains=filters.q))
    return paginate(qs, page, process_out)


@router.post(
    "/processes", response={201: ProcessOut, **ERRORS}, summary="Create a process (admins)"
)
def create_process(request, payload: ProcessCreate):
    require_admin(request.auth, gettext_lazy("create processes"))
    data = payload.dict()
    data["owner"] = _visible_user(request.auth, "owner", data["owner"])
    data["managers"] = _visible_users(request.auth, "managers", data["managers"])
    process = ops.create_process(request.auth, **data)
    return Status(201, process_out(get_visible(_processes(), request.auth, process.pk, "Process")))


@router.get("/processes/{process_id}", response={200: ProcessOut, **ERRORS}, summary="One process")
def get_process(request, process_id: Id):
    return process_out(get_visible(_processes(), request.auth, process_id, "Process"))


@router.patch(
    "/processes/{process_id}",
    response={200: ProcessOut, **ERRORS},
    summary="Change a process (admins and its owner; only admins change the owner)",
)
def update_process(request, process_id: Id, payload: ProcessUpdate):
    process = _process(request.auth, process_id)
    data = payload.dict(exclude_unset=True)
    if "owner" in data:
        data["owner"] = _visible_user(request.auth, "owner", data["owner"])
    if "managers" in data:
        data["managers"] = _visible_users(request.auth, "managers", data["managers"])
    ops.update_process(request.auth, process, version=data.pop("version"), **data)
    return process_out(get_visible(_processes(), request.auth, process.pk, "Process"))


# --- activities ---------------------------------------------------------------------------------


@router.get(
    "/processes/{process_id}/activities",
    response={200: list[ActivityOut], **ERRORS},
    summary="The activities of a process, in order",
)
def list_activities(request, process_id: Id):
    process = _process(request.auth, process_id)
    return list(Activity.objects.filter(process=process).order_by("order", "id"))


@router.post(
    "/processes/{process_id}/activities",
    response={201: ActivityOut, **ERRORS},
    summary="Add an activity to a process (admins and its owner)",
)
def add_activity(request, process_id: Id, payload: ActivityCreate):
    process = _process(request.auth, process_id)
    data = payload.dict()
    activity = ops.add_activity(request.auth, process, version=data.pop("version"), **data)
    return Status(201, activity)


# --- RACI ---------------------------------------------------------------------------------------


def _party(a: RaciAssignment) -> dict:
    return {"kind": a.party_kind, "id": a.party_id, "name": a.party_name}


def raci_out(process: Process, findings: list[dict]) -> dict:
    return {
        "process": _brief(process),
        "version": process.version,
        "activities": [
            {
                "id": act.pk,
                "name": act.name,
                "description": act.description,
                "order": act.order,
                "assignments": [
                    {
                        "id": a.pk,
                        "letter": a.letter,
                        "party": _party(a),
                        "accountable_person": person_brief(a.accountable_person),
                    }
                    for a in act.assignments.all()
                ],
            }
            for act in process.activities.all()
        ],
        "findings": findings,
    }


def _matrix(actor, process_id: int) -> tuple[Process, list[dict]]:
    process = get_visible(validation.matrix_queryset(), actor, process_id, "Process")
    return process, validation.validate_processes([process])[process.pk]


def _cells(actor, process: Process, rows: list[dict], activity: Activity | None = None):
    """Turn API rows into operation cells, resolving ids (unknown ids name their row)."""
    activities = {a.pk: a for a in process.activities.all()}
    group_ids = {r["group"] for r in rows if r.get("group") is not None}
    user_ids = {r[k] for r in rows for k in ("user", "accountable_person") if r.get(k) is not None}
    groups = {
        g.pk: g for g in SupportGroup.objects.for_user(actor, "view").filter(pk__in=group_ids)
    }
    users = {u.pk: u for u in User.objects.for_user(actor, "view").filter(pk__in=user_ids)}
    problems: dict[str, list[str]] = {}
    cells = []
    for i, r in enumerate(rows):
        where = f"assignments.{i}"
        act = activity or activities.get(r.get("activity"))
        if act is None:
            problems.setdefault(f"{where}.activity", []).append(
                _("activity %(id)s is not part of this process") % {"id": r.get("activity")}
            )
            continue
        for key, table in (("group", groups), ("user", users), ("accountable_person", users)):
            if r.get(key) is not None and r[key] not in table:
                problems.setdefault(f"{where}.{key}", []).append(
                    _("%(label)s %(pk)s does not exist") % {"label": key, "pk": r[key]}
                )
        cells.append(
            ops.Cell(
                activity=act,
                letter=r["letter"],
                role=r.get("role") or "",
                group=groups.get(r.get("group")),
                user=users.get(r.get("user")),
                accountable_person=users.get(r.get("accountable_person")),
            )
        )
    if problems:
        summary = "; ".join(f"{k}: {', '.join(v)}" for k, v in problems.items())
        raise ValidationError(
            _("Invalid RACI matrix — %(summary)s") % {"summary": summary}, problems
        )
    return cells


@router.get(
    "/processes/{process_id}/raci",
    response={200: RaciOut, **ERRORS},
    summary="The RACI matrix of a process, with its findings",
)
def get_raci(request, process_id: Id):
    process, findings = _matrix(request.auth, process_id)
    return raci_out(process, findings)


@router.put(
    "/processes/{process_id}/raci",
    response={200: RaciOut, **ERRORS},
    summary="Replace the whole RACI matrix of a process (admins and its owner)",
)
def put_raci(request, process_id: Id, payload: RaciWrite):
    process = _process(request.auth, process_id)
    cells = _cells(request.auth, process, [a.dict() for a in payload.assignments])
    ops.set_raci(request.auth, process, version=payload.version, cells=cells)
    return raci_out(*_matrix(request.auth, process_id))


@router.put(
    "/processes/{process_id}/activities/{activity_id}/raci",
    response={200: RaciOut, **ERRORS},
    summary="Replace the RACI entries of one activity (one row of the grid)",
)
def put_activity_raci(request, process_id: Id, activity_id: Id, payload: ActivityRaciWrite):
    process = _process(request.auth, process_id)
    activity = Activity.objects.filter(process=process, pk=activity_id).first()
    if activity is None:
        raise ValidationError.field(
            "activity", _("activity %(id)s is not in this process") % {"id": activity_id}
        )
    cells = _cells(request.auth, process, [a.dict() for a in payload.assignments], activity)
    ops.set_raci(request.auth, process, version=payload.version, cells=cells, activities=[activity])
    return raci_out(*_matrix(request.auth, process_id))


@router.get(
    "/processes/{process_id}/raci/validation",
    response={200: ValidationOut, **ERRORS},
    summary="Check a process's RACI matrix against the rules",
)
def validate_raci(request, process_id: Id):
    process, findings = _matrix(request.auth, process_id)
    errors = sum(1 for f in findings if f["severity"] == Severity.ERROR)
    return {
        "process": _brief(process),
        "valid": errors == 0,
        "errors": errors,
        "warnings": len(findings) - errors,
        "findings": findings,
        "rules": [
            {"key": r.key, "severity": r.severity, "description": str(r.description)}
            for r in validation.RULES
        ],
    }


@router.get(
    "/processes/{process_id}/raci.csv",
    response={200: None, **ERRORS},
    summary="The RACI matrix as CSV (one row per activity, one column per party)",
    openapi_extra={
        "responses": {
            200: {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}
        }
    },
)
def export_raci_csv(request, process_id: Id):
    process, _ = _matrix(request.auth, process_id)
    response = HttpResponse(raci_csv(process), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="raci-{process.key}.csv"'
    return response


# --- ownership gaps -----------------------------------------------------------------------------


def _require_it(actor) -> None:
    if not actor.is_it:
        raise PermissionDenied(_("Ownership gaps are for IT staff."))


@router.get(
    "/ownership/gaps",
    response={200: GapList, **ERRORS},
    summary="Every ownership gap in the organization (IT staff)",
)
def list_gaps(request, filters: Query[GapFilters], page: Query[PageParams]):
    _require_it(request.auth)
    gaps = gap_registry.collect(request.auth)
    if filters.kind:
        gaps = [g for g in gaps if g["kind"] == filters.kind]
    return {
        "count": len(gaps),
        "limit": page.limit,
        "offset": page.offset,
        "kinds": gap_registry.kinds(),
        "items": gaps[page.offset : page.offset + page.limit],
    }


@router.get(
    "/ownership/mine",
    response={200: MineOut, **ERRORS},
    summary="What I own, and which of it needs me (IT staff)",
)
def mine(request):
    _require_it(request.auth)
    return gap_registry.mine(request.auth)
