"""The incidents router and what its endpoints share: serializers and lookups that answer 404 or a
422 naming the field."""

from __future__ import annotations

from django.utils import timezone
from ninja import Router

from steward.core.errors import NotFound, ValidationError
from steward.incidents import queries, sla
from steward.incidents.audiences import STAFF, audience_of
from steward.incidents.choices import STATUS_CATEGORY, HandoverStatus
from steward.incidents.models import (
    Handover,
    Incident,
    IncidentCategory,
)
from steward.people.models import SupportGroup, User
from steward.services.models import ConfigurationItem, Service

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
        "is_major": False if new else queries.is_major(i),
        "handovers": {
            "count": m.count,
            "rejections": m.rejections,
            "pending": m.pending,
            "mean_seconds_to_accept": m.mean_seconds_to_accept,
            "ping_pong": m.ping_pong,
        },
        "version": i.version,
    }


def incident_out_for_requester(i: Incident) -> dict:
    """The requester's representation (``RequesterIncidentOut``; the fields are
    ``audiences.REQUESTER_FIELDS``): built from the incident row alone. It reads no handovers,
    no assignee, no override, no major-incident record, so nothing internal can slip into it."""
    return {
        "number": i.number,
        "title": i.title,
        "description": i.description,
        "caller": _user(i.caller),
        "organization": i.organization_id,
        "service": _ref(i.service),
        "category": _ref(i.category),
        "subcategory": _ref(i.subcategory),
        "impact": i.impact,
        "urgency": i.urgency,
        "priority": i.priority,
        "status": i.status,
        "status_category": STATUS_CATEGORY[i.status],
        "hold_reason": i.hold_reason,
        "resolution_code": i.resolution_code,
        "resolution_notes": i.resolution_notes,
        "reopen_count": i.reopen_count,
        "created_at": i.created_at,
        "updated_at": i.updated_at,
        "resolved_at": i.resolved_at,
        "closed_at": i.closed_at,
        "version": i.version,
    }


def incident_out_for(user, i: Incident, *, new: bool = False) -> dict:
    """The incident as ``user``'s audience sees it (audiences.py): the staff view for IT staff,
    the requester's view for everyone else."""
    if audience_of(user) == STAFF:
        return incident_out(i, new=new)
    return incident_out_for_requester(i)


def _get(user, number: str) -> Incident:
    row = queries.incidents_for(user).filter(number=number.upper()).first()
    if row is None:
        raise NotFound(f"Incident {number} not found.")
    return queries.with_relations([row])[0]


def _fresh(user, incident: Incident) -> dict:
    return incident_out_for(user, _get(user, incident.number))


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


def _handovers():
    return Handover.objects.select_related(
        "incident", "from_group", "to_group", "requested_by", "decided_by"
    )


def _with_targets(rows: list[Handover]) -> list[Handover]:
    due = sla.acceptance_due([h for h in rows if h.status == HandoverStatus.PENDING])
    for h in rows:
        h._due = due[h.pk][0] if h.pk in due else None
    return rows
