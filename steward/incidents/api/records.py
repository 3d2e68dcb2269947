"""Incidents: raise, list and filter, read, edit with a version, move through the lifecycle;
comments, timeline and watchers."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query
from ninja.responses import Response
from ninja.responses import Status as HttpStatus

from steward.core.api_input import Id, RecordNumber
from steward.core.api_support import ERRORS, PageParams, page_of, paginate, person_brief
from steward.core.errors import NotFound, ValidationError
from steward.incidents import lists, queries
from steward.incidents import operations as ops
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
from steward.incidents.models import (
    Comment,
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


@router.get(
    "/incidents",
    response={200: IncidentPage, **ERRORS},
    summary="List incidents",
    description="Items are IncidentOut for IT staff, RequesterIncidentOut for requesters.",
)
def list_incidents(request, filters: Query[IncidentFilters], page: Query[PageParams]):
    user = request.auth
    result = paginate(lists.filtered(user, filters), page)
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
    if data.get("parent"):
        parent_number = data["parent"]
        data["parent"] = (
            Incident.objects.for_user(actor, "view").filter(number=parent_number.upper()).first()
        )
        if data["parent"] is None:
            raise ValidationError.field("parent", f"incident {parent_number} does not exist")
    ops.change_incident(actor, incident, version=version, priority_reason=reason, **data)
    return fresh_out(actor, incident)


@router.post(
    "/incidents/{number}/transitions",
    response={200: IncidentForAudience, **ERRORS},
    summary="Move an incident through its lifecycle",
)
def transition(request, number: RecordNumber, payload: TransitionIn):
    incident = incident_for(request.auth, number, relations=False)
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
    # the operation re-read the row under its lock and wrote it: the instance in hand is the
    # incident now (its relations' caches follow their ids), so it is not read a third time
    return incident_out_for(request.auth, queries.with_relations([incident])[0])


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
    incident = incident_for(request.auth, number, relations=False)
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
        raise NotFound(_("User %(id)s not found.") % {"id": user_id})
    ops.remove_watcher(request.auth, incident, user)
    return fresh_out(request.auth, incident)
