"""The incidents router and what its endpoints share: serializers and lookups that answer 404 or a
422 naming the field."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from steward.core.api_support import named_ref, person_brief, ref_or_422, visible_ref
from steward.core.errors import NotFound
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


def _overdue(h: Handover, now) -> bool:
    """Past the acceptance target (set on the rows by :func:`_with_targets`)."""
    due = getattr(h, "_due", None)
    return h.status == HandoverStatus.PENDING and due is not None and now > due


def handover_out(h: Handover, number: str | None = None, now=None) -> dict:
    return {
        "id": h.pk,
        "incident": number or h.incident.number,
        "from_group": named_ref(h.from_group),
        "to_group": named_ref(h.to_group),
        "reason": h.reason,
        "note": h.note,
        "status": h.status,
        "requested_by": person_brief(h.requested_by),
        "created_at": h.created_at,
        "decided_by": person_brief(h.decided_by),
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
        with_targets([pending])
    return {
        "number": i.number,
        "title": i.title,
        "description": i.description,
        "caller": person_brief(i.caller),
        "organization": i.organization_id,
        "service": named_ref(i.service),
        "affected_ci": named_ref(i.affected_ci),
        "category": named_ref(i.category),
        "subcategory": named_ref(i.subcategory),
        "impact": i.impact,
        "urgency": i.urgency,
        "priority": i.priority,
        "priority_overridden": i.priority_overridden,
        "status": i.status,
        "status_category": STATUS_CATEGORY[i.status],
        "hold_reason": i.hold_reason,
        "owning_group": named_ref(i.owning_group),
        "assignee": person_brief(i.assignee),
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
        "caller": person_brief(i.caller),
        "organization": i.organization_id,
        "service": named_ref(i.service),
        "category": named_ref(i.category),
        "subcategory": named_ref(i.subcategory),
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


def incident_for(user, number: str, *, relations: bool = True) -> Incident:
    """The incident ``user`` may see; with ``relations``, what its answer shows besides its
    own row (major, open handover): an endpoint that answers something else skips them."""
    row = queries.incidents_for(user).filter(number=number.upper()).first()
    if row is None:
        raise NotFound(_("Incident %(number)s not found.") % {"number": number})
    return queries.with_relations([row])[0] if relations else row


def fresh_out(user, incident: Incident) -> dict:
    return incident_out_for(user, incident_for(user, incident.number))


def group_ref(actor, pk, field):
    return visible_ref(SupportGroup.objects, actor, field, pk, "group")


def service_ref(actor, pk):
    return visible_ref(Service.objects, actor, "service", pk, "service")


def ci_ref(actor, pk):
    return visible_ref(ConfigurationItem.objects, actor, "affected_ci", pk, "configuration item")


def person_ref(actor, pk, field):
    return visible_ref(User.objects, actor, field, pk, "user")


def category_ref(pk, field):
    return ref_or_422(IncidentCategory.objects, field, pk, "category")


def handovers_qs():
    return Handover.objects.select_related(
        "incident", "from_group", "to_group", "requested_by", "decided_by"
    )


def with_targets(rows: list[Handover]) -> list[Handover]:
    due = sla.acceptance_due([h for h in rows if h.status == HandoverStatus.PENDING])
    for h in rows:
        h._due = due[h.pk][0] if h.pk in due else None
    return rows
