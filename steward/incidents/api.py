"""Incidents API: incidents, their lifecycle, comments, timeline, watchers and handovers."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse
from django.utils import timezone
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile
from ninja.responses import Status as HttpStatus

from steward.core.api_support import ERRORS, PageParams, page_of, paginate
from steward.core.errors import NotFound, ValidationError
from steward.incidents import operations as ops
from steward.incidents import queries, sla
from steward.incidents.choices import STATUS_CATEGORY, HandoverStatus, Visibility
from steward.incidents.models import (
    Attachment,
    Comment,
    Handover,
    Incident,
    IncidentCategory,
    MajorIncident,
    PriorityMatrix,
    SavedView,
)
from steward.incidents.schemas import (
    AcceptIn,
    AttachmentOut,
    CategoryIn,
    CategoryOut,
    CommentIn,
    CommentOut,
    GroupFiguresOut,
    HandoverFilters,
    HandoverIn,
    HandoverOut,
    IncidentCreate,
    IncidentFilters,
    IncidentOut,
    IncidentUpdate,
    MajorIn,
    MajorOut,
    MatrixCellIn,
    MatrixCellOut,
    RejectIn,
    ReviewIn,
    SavedViewIn,
    SavedViewOut,
    TimelineEntryOut,
    TransitionIn,
    UpdateIn,
    WatcherIn,
)
from steward.people.models import SupportGroup, User
from steward.services.models import ConfigurationItem, Service
from steward.slm.queries import clocks_for
from steward.slm.sla_schemas import SlaClockOut

router = Router(tags=["incidents"])


def _user(u: User | None) -> dict | None:
    if u is None:
        return None
    return {"id": u.pk, "username": u.username, "name": u.display_name}


def _ref(obj) -> dict | None:
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


def _overdue(h: Handover, now) -> bool:
    """Past the acceptance target (set on the rows by :func:`_with_targets`)."""
    due = getattr(h, "_due", None)
    return h.status == HandoverStatus.PENDING and due is not None and now > due


def handover_out(h: Handover, number: str | None = None, now=None) -> dict:
    return {
        "id": h.pk,
        "incident": number or h.incident.number,
        "from_group": _ref(h.from_group),
        "to_group": _ref(h.to_group),
        "reason": h.reason,
        "note": h.note,
        "status": h.status,
        "requested_by": _user(h.requested_by),
        "created_at": h.created_at,
        "decided_by": _user(h.decided_by),
        "decided_at": h.decided_at,
        "rejection_reason": h.rejection_reason,
        "overdue": _overdue(h, now or timezone.now()),
    }


def incident_out(i: Incident, *, new: bool = False) -> dict:
    """The API representation. ``new``: just created by this request, so no handovers and not
    major — nothing to read back."""
    m = queries.measures([]) if new else queries.incident_measures(i)
    pending = None if new else queries.pending_handover(i)
    if pending is not None and not hasattr(pending, "_due"):
        _with_targets([pending])
    return {
        "number": i.number,
        "title": i.title,
        "description": i.description,
        "caller": _user(i.caller),
        "organization": i.organization_id,
        "service": _ref(i.service),
        "affected_ci": _ref(i.affected_ci),
        "category": _ref(i.category),
        "subcategory": _ref(i.subcategory),
        "impact": i.impact,
        "urgency": i.urgency,
        "priority": i.priority,
        "priority_overridden": i.priority_overridden,
        "status": i.status,
        "status_category": STATUS_CATEGORY[i.status],
        "hold_reason": i.hold_reason,
        "owning_group": _ref(i.owning_group),
        "assignee": _user(i.assignee),
        "resolution_code": i.resolution_code,
        "resolution_notes": i.resolution_notes,
        "reopen_count": i.reopen_count,
        "parent": i.parent.number if i.parent_id else None,
        "created_at": i.created_at,
        "updated_at": i.updated_at,
        "resolved_at": i.resolved_at,
        "closed_at": i.closed_at,
        "pending_handover": handover_out(pending, i.number) if pending else None,
        "is_major": False if new else _is_major(i),
        "handovers": {
            "count": m.count,
            "rejections": m.rejections,
            "pending": m.pending,
            "mean_seconds_to_accept": m.mean_seconds_to_accept,
            "ping_pong": m.ping_pong,
        },
        "version": i.version,
    }


def _is_major(i: Incident) -> bool:
    try:
        return i.major is not None
    except MajorIncident.DoesNotExist:
        return False


def _get(user, number: str) -> Incident:
    row = queries.incidents_for(user).filter(number=number.upper()).first()
    if row is None:
        raise NotFound(f"Incident {number} not found.")
    return row


def _fresh(user, incident: Incident) -> dict:
    return incident_out(_get(user, incident.number))


def _lookup(model, pk, field: str, qs=None, label: str | None = None):
    if pk is None:
        return None
    row = (qs if qs is not None else model.objects).filter(pk=pk).first()
    if row is None:
        raise ValidationError.field(field, f"{label or field} {pk} does not exist")
    return row


def _group(actor, pk, field):
    return _lookup(SupportGroup, pk, field, SupportGroup.objects.for_user(actor, "view"), "group")


def _service(actor, pk):
    return _lookup(Service, pk, "service", Service.objects.for_user(actor, "view"))


def _ci(actor, pk):
    qs = ConfigurationItem.objects.for_user(actor, "view")
    return _lookup(ConfigurationItem, pk, "affected_ci", qs, "configuration item")


def _person(actor, pk, field):
    return _lookup(User, pk, field, User.objects.for_user(actor, "view"), "user")


def _category(pk, field):
    return _lookup(IncidentCategory, pk, field, label="category")


@router.post("/incidents", response={201: IncidentOut, **ERRORS}, summary="Raise an incident")
def create_incident(request, payload: IncidentCreate):
    actor = request.auth
    data = payload.dict()
    caller = _person(actor, data["caller"], "caller") if data["caller"] is not None else actor
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
        service=_service(actor, data["service"]),
        impact=data["impact"],
        urgency=data["urgency"],
        owning_group=_group(actor, data["owning_group"], "owning_group"),
        category=_category(data["category"], "category"),
        subcategory=_category(data["subcategory"], "subcategory"),
        parent=parent,
        affected_ci=_ci(actor, data["affected_ci"]),
    )
    return HttpStatus(201, incident_out(incident, new=True))


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
        qs = queries.text_filter(qs, f.q, user)
    order = {"number": "id", "-number": "-id"}.get(f.sort, f.sort)
    return qs.order_by(order, "-id")


@router.get("/incidents", response={200: page_of(IncidentOut), **ERRORS}, summary="List incidents")
def list_incidents(request, filters: Query[IncidentFilters], page: Query[PageParams]):
    result = paginate(_filtered(request.auth, filters), page)
    # acceptance targets of every pending handover on the page in one query
    _with_targets([p for i in result["items"] if (p := queries.pending_handover(i))])
    result["items"] = [incident_out(i) for i in result["items"]]
    return result


@router.get("/incidents/{number}", response={200: IncidentOut, **ERRORS}, summary="One incident")
def get_incident(request, number: str):
    return incident_out(_get(request.auth, number))


@router.patch(
    "/incidents/{number}", response={200: IncidentOut, **ERRORS}, summary="Change an incident"
)
def update_incident(request, number: str, payload: IncidentUpdate):
    actor = request.auth
    incident = _get(actor, number)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    reason = data.pop("priority_reason", None) or ""
    for name in ("title", "impact", "urgency", "priority"):
        if name in data and data[name] is None:
            raise ValidationError.field(name, "cannot be null")
    if "service" in data:
        data["service"] = _service(actor, data["service"])
    if "affected_ci" in data:
        data["affected_ci"] = _ci(actor, data["affected_ci"])
    for name in ("category", "subcategory"):
        if name in data:
            data[name] = _category(data[name], name)
    if "assignee" in data:
        data["assignee"] = _person(actor, data["assignee"], "assignee")
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
    return _fresh(actor, incident)


@router.post(
    "/incidents/{number}/transitions",
    response={200: IncidentOut, **ERRORS},
    summary="Move an incident through its lifecycle",
)
def transition(request, number: str, payload: TransitionIn):
    incident = _get(request.auth, number)
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
    return _fresh(request.auth, incident)


def comment_out(c: Comment, number: str) -> dict:
    return {
        "id": c.pk,
        "incident": number,
        "author": _user(c.author),
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
def add_comment(request, number: str, payload: CommentIn):
    incident = _get(request.auth, number)
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
def list_comments(request, number: str, page: Query[PageParams]):
    incident = _get(request.auth, number)
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
def timeline(request, number: str, page: Query[PageParams]):
    incident = _get(request.auth, number)
    return paginate(
        queries.timeline(incident, request.auth),
        page,
        lambda e: {
            "id": e.pk,
            "at": e.at,
            "actor": _user(e.actor),
            "action": e.action,
            "changes": e.changes,
            "comment": e.comment,
        },
    )


@router.post(
    "/incidents/{number}/watchers",
    response={200: IncidentOut, **ERRORS},
    summary="Add a watcher",
)
def add_watcher(request, number: str, payload: WatcherIn):
    incident = _get(request.auth, number)
    ops.add_watcher(request.auth, incident, _person(request.auth, payload.user, "user"))
    return _fresh(request.auth, incident)


@router.delete(
    "/incidents/{number}/watchers/{user_id}",
    response={200: IncidentOut, **ERRORS},
    summary="Remove a watcher",
)
def remove_watcher(request, number: str, user_id: int):
    incident = _get(request.auth, number)
    user = User.objects.for_user(request.auth, "view").filter(pk=user_id).first()
    if user is None:
        raise NotFound(f"User {user_id} not found.")
    ops.remove_watcher(request.auth, incident, user)
    return _fresh(request.auth, incident)


# --- handovers --------------------------------------------------------------------------------


def _handovers():
    return Handover.objects.select_related(
        "incident", "from_group", "to_group", "requested_by", "decided_by"
    )


def _with_targets(rows: list[Handover]) -> list[Handover]:
    due = sla.acceptance_due([h for h in rows if h.status == HandoverStatus.PENDING])
    for h in rows:
        h._due = due[h.pk][0] if h.pk in due else None
    return rows


def _handover(actor, pk: int) -> Handover:
    row = _handovers().for_user(actor, "view").filter(pk=pk).first()
    if row is None:
        raise NotFound(f"Handover {pk} not found.")
    return row


def _handover_response(actor, pk: int) -> dict:
    return handover_out(_with_targets([_handover(actor, pk)])[0])


@router.post(
    "/incidents/{number}/handovers",
    response={201: HandoverOut, **ERRORS},
    summary="Hand the incident over to another group (pending until accepted)",
)
def hand_over(request, number: str, payload: HandoverIn):
    incident = _get(request.auth, number)
    to_group = _group(request.auth, payload.to_group, "to_group")
    handover = ops.hand_over(
        request.auth, incident, to_group=to_group, reason=payload.reason, note=payload.note
    )
    return HttpStatus(201, _handover_response(request.auth, handover.pk))


@router.get(
    "/handovers",
    response={200: page_of(HandoverOut), **ERRORS},
    summary="List handovers (newest first)",
)
def list_handovers(request, filters: Query[HandoverFilters], page: Query[PageParams]):
    qs = _handovers().for_user(request.auth, "view")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.to_group is not None:
        qs = qs.filter(to_group_id=filters.to_group)
    if filters.from_group is not None:
        qs = qs.filter(from_group_id=filters.from_group)
    if filters.mine:
        qs = qs.filter(to_group__in=ops.groups_of(request.auth))
    if filters.overdue:
        qs = qs.filter(pk__in=[h.pk for h in ops.overdue_handovers()])
    result = paginate(qs.order_by("-id"), page)
    result["items"] = [handover_out(h) for h in _with_targets(result["items"])]
    return result


@router.get(
    "/handovers/figures",
    response={200: list[GroupFiguresOut], **ERRORS},
    summary="Handover figures per group",
)
def handover_figures(request):
    if not request.auth.is_it:
        raise NotFound("Not found.")
    return queries.group_figures()


@router.get("/handovers/{handover_id}", response={200: HandoverOut, **ERRORS}, summary="One")
def get_handover(request, handover_id: int):
    return _handover_response(request.auth, handover_id)


@router.post(
    "/handovers/{handover_id}/accept",
    response={200: HandoverOut, **ERRORS},
    summary="Accept a handover (members of the receiving group)",
)
def accept_handover(request, handover_id: int, payload: AcceptIn):
    handover = _handover(request.auth, handover_id)
    ops.accept_handover(request.auth, handover, take_assignment=payload.take_assignment)
    return _handover_response(request.auth, handover_id)


@router.post(
    "/handovers/{handover_id}/reject",
    response={200: HandoverOut, **ERRORS},
    summary="Reject a handover with a reason (members of the receiving group)",
)
def reject_handover(request, handover_id: int, payload: RejectIn):
    handover = _handover(request.auth, handover_id)
    ops.reject_handover(request.auth, handover, reason=payload.reason)
    return _handover_response(request.auth, handover_id)


@router.post(
    "/handovers/{handover_id}/cancel",
    response={200: HandoverOut, **ERRORS},
    summary="Withdraw a pending handover (the sending side)",
)
def cancel_handover(request, handover_id: int):
    handover = _handover(request.auth, handover_id)
    ops.cancel_handover(request.auth, handover)
    return _handover_response(request.auth, handover_id)


# --- attachments ------------------------------------------------------------------------------


def attachment_out(a: Attachment, number: str) -> dict:
    return {
        "id": a.pk,
        "incident": number,
        "file_name": a.file_name,
        "content_type": a.content_type,
        "size": a.size,
        "visibility": a.visibility,
        "uploaded_by": _user(a.uploaded_by),
        "created_at": a.created_at,
        "download": f"/api/v1/incidents/{number}/attachments/{a.pk}",
    }


@router.post(
    "/incidents/{number}/attachments",
    response={201: AttachmentOut, **ERRORS},
    summary="Attach a file (multipart: file, visibility)",
)
def add_attachment(
    request,
    number: str,
    file: File[UploadedFile],
    visibility: Form[Visibility] = Visibility.INTERNAL,
):
    incident = _get(request.auth, number)
    attachment = ops.add_attachment(request.auth, incident, file, visibility=visibility)
    return HttpStatus(201, attachment_out(attachment, incident.number))


@router.get(
    "/incidents/{number}/attachments",
    response={200: page_of(AttachmentOut), **ERRORS},
    summary="Attachments, oldest first (public ones only for requesters)",
)
def list_attachments(request, number: str, page: Query[PageParams]):
    incident = _get(request.auth, number)
    qs = (
        Attachment.objects.for_user(request.auth, "view")
        .filter(incident=incident)
        .select_related("uploaded_by")
        .order_by("id")
    )
    return paginate(qs, page, lambda a: attachment_out(a, incident.number))


@router.get(
    "/incidents/{number}/attachments/{attachment_id}",
    response={200: None, **ERRORS},
    summary="Download an attachment (always as a download)",
)
def download_attachment(request, number: str, attachment_id: int):
    return serve_attachment(request.auth, number, attachment_id)


def serve_attachment(user, number: str, attachment_id: int):
    """The file, after checking the user may see the incident and the attachment now."""
    incident = _get(user, number)
    attachment = (
        Attachment.objects.for_user(user, "view")
        .filter(incident=incident, pk=attachment_id)
        .first()
    )
    if attachment is None:
        raise NotFound(f"Attachment {attachment_id} not found.")
    response = FileResponse(
        default_storage.open(attachment.stored_name, "rb"),
        as_attachment=True,
        filename=attachment.file_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- major incidents --------------------------------------------------------------------------


def major_out(major: MajorIncident, incident: Incident) -> dict:
    review = getattr(major, "review", None) if hasattr(major, "review") else None
    return {
        "incident": incident.number,
        "reason": major.reason,
        "manager": _user(major.manager),
        "declared_by": _user(major.declared_by),
        "declared_at": major.declared_at,
        "children": list(
            Incident.objects.filter(parent=incident).order_by("id").values_list("number", flat=True)
        ),
        "updates": [
            {
                "id": u.pk,
                "author": _user(u.author),
                "body": u.body,
                "recipients": u.recipients,
                "created_at": u.created_at,
            }
            for u in major.updates.select_related("author")
        ],
        "review": {
            "cause": review.cause,
            "recorded_by": _user(review.recorded_by),
            "recorded_at": review.recorded_at,
            "actions": [
                {"description": a.description, "owner": _user(a.owner)}
                for a in review.actions.select_related("owner")
            ],
        }
        if review
        else None,
    }


def _major_response(user, incident: Incident) -> dict:
    if not user.is_it:
        raise NotFound(f"{incident.number} is not a major incident.")
    major = (
        MajorIncident.objects.select_related("manager", "declared_by")
        .filter(incident=incident)
        .first()
    )
    if major is None:
        raise NotFound(f"{incident.number} is not a major incident.")
    return major_out(major, incident)


@router.post(
    "/incidents/{number}/major",
    response={201: MajorOut, **ERRORS},
    summary="Declare the incident major (group managers, administrators)",
)
def declare_major(request, number: str, payload: MajorIn):
    incident = _get(request.auth, number)
    manager = _person(request.auth, payload.manager, "manager")
    ops.declare_major(request.auth, incident, reason=payload.reason, manager=manager)
    return HttpStatus(201, _major_response(request.auth, incident))


@router.get(
    "/incidents/{number}/major",
    response={200: MajorOut, **ERRORS},
    summary="The major-incident record: manager, updates, review",
)
def get_major(request, number: str):
    return _major_response(request.auth, _get(request.auth, number))


@router.post(
    "/incidents/{number}/major/updates",
    response={201: MajorOut, **ERRORS},
    summary="Send a stakeholder update through the outbox",
)
def stakeholder_update(request, number: str, payload: UpdateIn):
    incident = _get(request.auth, number)
    ops.post_stakeholder_update(request.auth, incident, body=payload.body)
    return HttpStatus(201, _major_response(request.auth, incident))


@router.post(
    "/incidents/{number}/major/review",
    response={201: MajorOut, **ERRORS},
    summary="Record the post-incident review (cause and follow-up actions with owners)",
)
def record_review(request, number: str, payload: ReviewIn):
    incident = _get(request.auth, number)
    actions = [
        (a.description, _person(request.auth, a.owner, f"actions.{n}.owner"))
        for n, a in enumerate(payload.actions)
    ]
    ops.record_review(request.auth, incident, cause=payload.cause, actions=actions)
    return HttpStatus(201, _major_response(request.auth, incident))


# --- saved views ------------------------------------------------------------------------------


def view_out(v: SavedView) -> dict:
    return {
        "id": v.pk,
        "name": v.name,
        "query": v.query,
        "url": "/incidents/" + (f"?{v.query}" if v.query else ""),
    }


@router.get(
    "/incident-views",
    response={200: page_of(SavedViewOut), **ERRORS},
    summary="My saved incident views",
)
def list_views(request, page: Query[PageParams]):
    return paginate(SavedView.objects.for_user(request.auth, "view"), page, view_out)


@router.post(
    "/incident-views",
    response={201: SavedViewOut, **ERRORS},
    summary="Save a view (replaces one of the same name)",
)
def save_view(request, payload: SavedViewIn):
    return HttpStatus(201, view_out(ops.save_view(request.auth, **payload.dict())))


@router.delete(
    "/incident-views/{view_id}", response={204: None, **ERRORS}, summary="Delete a saved view"
)
def delete_view(request, view_id: int):
    view = SavedView.objects.for_user(request.auth, "view").filter(pk=view_id).first()
    if view is None:
        raise NotFound(f"View {view_id} not found.")
    ops.delete_view(request.auth, view)
    return HttpStatus(204, None)


# --- admin-managed lists ----------------------------------------------------------------------


@router.get(
    "/incident-categories",
    response={200: page_of(CategoryOut), **ERRORS},
    summary="Incident categories (a row with a parent is a subcategory)",
)
def list_categories(request, page: Query[PageParams]):
    qs = IncidentCategory.objects.order_by("parent_id", "name")
    return paginate(
        qs,
        page,
        lambda c: {"id": c.pk, "name": c.name, "parent": c.parent_id, "is_active": c.is_active},
    )


@router.post(
    "/incident-categories",
    response={201: CategoryOut, **ERRORS},
    summary="Add a category or subcategory (administrators)",
)
def create_category(request, payload: CategoryIn):
    parent = _category(payload.parent, "parent")
    c = ops.create_category(request.auth, name=payload.name, parent=parent)
    return HttpStatus(
        201, {"id": c.pk, "name": c.name, "parent": c.parent_id, "is_active": c.is_active}
    )


@router.get(
    "/priority-matrix",
    response={200: list[MatrixCellOut], **ERRORS},
    summary="The impact x urgency -> priority matrix",
)
def priority_matrix(request):
    return list(PriorityMatrix.objects.values("impact", "urgency", "priority"))


@router.put(
    "/priority-matrix",
    response={200: list[MatrixCellOut], **ERRORS},
    summary="Change one cell of the priority matrix (administrators)",
)
def set_priority_cell(request, payload: MatrixCellIn):
    ops.set_priority_cell(request.auth, **payload.dict())
    return list(PriorityMatrix.objects.values("impact", "urgency", "priority"))


@router.get(
    "/incidents/{number}/slas",
    response={200: list[SlaClockOut], **ERRORS},
    summary="The incident's SLA and OLA clocks, each with its ledger in words",
)
def incident_slas(request, number: str):
    incident = _get(request.auth, number)
    return clocks_for(sla.RECORD_TYPE, incident.pk)
