"""Incidents: raise, list and filter, read, edit with a version, move through the lifecycle;
comments, timeline and watchers."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from ninja import Query
from ninja.responses import Response
from ninja.responses import Status as HttpStatus

from steward.core.api_input import Id, RecordNumber
from steward.core.api_support import ERRORS, PageParams, page_of, paginate, person_brief
from steward.core.errors import NotFound, ValidationError
from steward.incidents import operations as ops
from steward.incidents import queries, search
from steward.incidents.api.common import (
    category_ref,
    ci_ref,
    fresh_out,
    group_ref,
    incident_for,
    incident_out_for,
    person_ref,
    router,
    service_ref,
    with_targets,
)
from steward.incidents.audiences import requester_changes
from steward.incidents.choices import STATUS_CATEGORY, HandoverStatus
from steward.incidents.models import (
    Comment,
    Handover,
    Incident,
)
from steward.incidents.schemas import (
    CommentIn,
    CommentOut,
    IncidentCreate,
    IncidentFilters,
    IncidentForAudience,
    IncidentPage,
    IncidentUpdate,
    TimelineEntryOut,
    TransitionIn,
    WatcherIn,
)
from steward.people.models import User


@router.post(
    "/incidents",
    response={201: IncidentForAudience, **ERRORS},
    summary="Raise an incident",
    description="Answers the incident as your audience sees it: IncidentOut for IT staff, "
    "RequesterIncidentOut for requesters.",
)
def create_incident(request, payload: IncidentCreate):
    actor = request.auth
    data = payload.dict()
    caller = person_ref(actor, data["caller"], "caller") if data["caller"] is not None else actor
    parent = None
    if data["parent"]:
        parent = Incident.objects.for_user(actor, "view").filter(number=data["parent"].upper())
        parent = parent.first()
        if parent is None:
            raise ValidationError.field("parent", f"incident {data['parent']} does not exist")
    incident = ops.open_incident(
        actor,
        title=data["title"],
        description=data["description"],
        caller=caller,
        service=service_ref(actor, data["service"]),
        impact=data["impact"],
        urgency=data["urgency"],
        owning_group=group_ref(actor, data["owning_group"], "owning_group"),
        category=category_ref(data["category"], "category"),
        subcategory=category_ref(data["subcategory"], "subcategory"),
        parent=parent,
        affected_ci=ci_ref(actor, data["affected_ci"]),
    )
    return HttpStatus(201, incident_out_for(actor, incident, new=True))


def _filtered(user, f: IncidentFilters):
    qs = queries.incidents_for(user)
    if f.status:
        qs = qs.filter(status__in=f.status)
    if f.category:
        qs = qs.filter(status__in=[s for s, c in STATUS_CATEGORY.items() if c == f.category])
    if f.priority:
        qs = qs.filter(priority__in=f.priority)
    if f.group is not None:
        qs = qs.filter(owning_group_id=f.group)
    if f.my_groups:
        qs = qs.filter(owning_group__in=ops.groups_of(user))
    if f.major is not None:
        qs = qs.filter(major__isnull=not f.major)
    pending = Handover.objects.filter(status=HandoverStatus.PENDING)
    if f.handover_pending is not None:
        q = Q(pk__in=pending.values("incident_id"))
        qs = qs.filter(q) if f.handover_pending else qs.exclude(q)
    if f.pending_to_group is not None:
        qs = qs.filter(pk__in=pending.filter(to_group_id=f.pending_to_group).values("incident_id"))
    if f.assignee is not None:
        qs = qs.filter(assignee_id=f.assignee)
    if f.unassigned is not None:
        qs = qs.filter(assignee__isnull=f.unassigned)
    if f.service is not None:
        qs = qs.filter(service_id=f.service)
    if f.caller is not None:
        qs = qs.filter(caller_id=f.caller)
    if f.q:
        qs = search.text_filter(qs, f.q, user)
    order = {"number": "id", "-number": "-id"}.get(f.sort, f.sort)
    # a descending sort is the exact reverse of its ascending one, ties included (newest first
    # ascending, oldest first descending): one index read backwards serves both
    return qs.order_by(order, "id" if order.startswith("-") else "-id")


@router.get(
    "/incidents",
    response={200: IncidentPage, **ERRORS},
    summary="List incidents",
    description="Items are IncidentOut for IT staff, RequesterIncidentOut for requesters.",
)
def list_incidents(request, filters: Query[IncidentFilters], page: Query[PageParams]):
    user = request.auth
    result = paginate(_filtered(user, filters), page)
    queries.with_relations(result["items"])
    if user.is_it:
        # acceptance targets of every pending handover on the page in one query
        with_targets([p for i in result["items"] if (p := queries.pending_handover(i))])
    result["items"] = [incident_out_for(user, i) for i in result["items"]]
    # Rendered directly: incident_out_for builds exactly the audience's shape (a test compares
    # each item with the validated single-incident answer), and validating fifty nested objects
    # again cost a fifth of the request.
    return Response(result)


@router.get(
    "/incidents/{number}",
    response={200: IncidentForAudience, **ERRORS},
    summary="One incident",
    description="IncidentOut for IT staff; RequesterIncidentOut (no owning group, assignee, "
    "handovers, priority override, configuration item or parent) for requesters.",
)
def get_incident(request, number: RecordNumber):
    return incident_out_for(request.auth, incident_for(request.auth, number))


@router.patch(
    "/incidents/{number}",
    response={200: IncidentForAudience, **ERRORS},
    summary="Change an incident",
)
def update_incident(request, number: RecordNumber, payload: IncidentUpdate):
    actor = request.auth
    incident = incident_for(actor, number)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    reason = data.pop("priority_reason", None) or ""
    if "service" in data:
        data["service"] = service_ref(actor, data["service"])
    if "affected_ci" in data:
        data["affected_ci"] = ci_ref(actor, data["affected_ci"])
    for name in ("category", "subcategory"):
        if name in data:
            data[name] = category_ref(data[name], name)
    if "assignee" in data:
        data["assignee"] = person_ref(actor, data["assignee"], "assignee")
    if "description" in data and data["description"] is None:
        data["description"] = ""
    parent_given = "parent" in data
    parent_number = data.pop("parent", None)
    with transaction.atomic():
        if data or not parent_given:
            ops.update_incident(actor, incident, version=version, priority_reason=reason, **data)
            version = None
        if parent_given:
            parent = None
            if parent_number:
                parent = (
                    Incident.objects.for_user(actor, "view")
                    .filter(number=parent_number.upper())
                    .first()
                )
                if parent is None:
                    raise ValidationError.field(
                        "parent", f"incident {parent_number} does not exist"
                    )
            ops.link_parent(actor, incident, parent, version=version)
    return fresh_out(actor, incident)


@router.post(
    "/incidents/{number}/transitions",
    response={200: IncidentForAudience, **ERRORS},
    summary="Move an incident through its lifecycle",
)
def transition(request, number: RecordNumber, payload: TransitionIn):
    incident = incident_for(request.auth, number)
    ops.transition(
        request.auth,
        incident,
        payload.to,
        resolution_code=payload.resolution_code or "",
        resolution_notes=payload.resolution_notes or "",
        hold_reason=payload.hold_reason or "",
        comment=payload.comment or "",
        version=payload.version,
    )
    return fresh_out(request.auth, incident)


def comment_out(c: Comment, number: str) -> dict:
    return {
        "id": c.pk,
        "incident": number,
        "author": person_brief(c.author),
        "body": c.body,
        "visibility": c.visibility,
        "time_spent": c.time_spent,
        "created_at": c.created_at,
    }


@router.post(
    "/incidents/{number}/comments",
    response={201: CommentOut, **ERRORS},
    summary="Add a work note (internal) or a reply (public)",
)
def add_comment(request, number: RecordNumber, payload: CommentIn):
    incident = incident_for(request.auth, number)
    comment = ops.add_comment(
        request.auth,
        incident,
        body=payload.body,
        visibility=payload.visibility,
        time_spent=payload.time_spent,
    )
    return HttpStatus(201, comment_out(comment, incident.number))


@router.get(
    "/incidents/{number}/comments",
    response={200: page_of(CommentOut), **ERRORS},
    summary="Comments, oldest first (requesters see replies only)",
)
def list_comments(request, number: RecordNumber, page: Query[PageParams]):
    incident = incident_for(request.auth, number)
    qs = (
        Comment.objects.for_user(request.auth, "view")
        .filter(incident=incident)
        .select_related("author")
        .order_by("id")
    )
    return paginate(qs, page, lambda c: comment_out(c, incident.number))


@router.get(
    "/incidents/{number}/timeline",
    response={200: page_of(TimelineEntryOut), **ERRORS},
    summary="The journal of an incident, oldest first",
)
def timeline(request, number: RecordNumber, page: Query[PageParams]):
    incident = incident_for(request.auth, number)
    # requesters read public entries only (queries.timeline), and of their changes only the
    # fields of their audience (the created entry names the owning group, for one)
    changes = (lambda c: c) if request.auth.is_it else requester_changes
    return paginate(
        queries.timeline(incident, request.auth),
        page,
        lambda e: {
            "id": e.pk,
            "at": e.at,
            "actor": person_brief(e.actor),
            "action": e.action,
            "changes": changes(e.changes),
            "comment": e.comment,
        },
    )


@router.post(
    "/incidents/{number}/watchers",
    response={200: IncidentForAudience, **ERRORS},
    summary="Add a watcher",
)
def add_watcher(request, number: RecordNumber, payload: WatcherIn):
    incident = incident_for(request.auth, number)
    ops.add_watcher(request.auth, incident, person_ref(request.auth, payload.user, "user"))
    return fresh_out(request.auth, incident)


@router.delete(
    "/incidents/{number}/watchers/{user_id}",
    response={200: IncidentForAudience, **ERRORS},
    summary="Remove a watcher",
)
def remove_watcher(request, number: RecordNumber, user_id: Id):
    incident = incident_for(request.auth, number)
    user = User.objects.for_user(request.auth, "view").filter(pk=user_id).first()
    if user is None:
        raise NotFound(f"User {user_id} not found.")
    ops.remove_watcher(request.auth, incident, user)
    return fresh_out(request.auth, incident)
