"""Major incidents: declare, read, stakeholder updates, the post-incident review."""

from __future__ import annotations

from ninja.responses import Status as HttpStatus

from steward.core.api_input import RecordNumber
from steward.core.api_support import ERRORS, person_brief
from steward.core.errors import NotFound
from steward.incidents import operations as ops
from steward.incidents.api.common import incident_for, person_ref, router
from steward.incidents.models import (
    Incident,
    MajorIncident,
)
from steward.incidents.schemas import (
    MajorIn,
    MajorOut,
    ReviewIn,
    UpdateIn,
)

# --- major incidents --------------------------------------------------------------------------


def major_out(major: MajorIncident, incident: Incident) -> dict:
    review = getattr(major, "review", None) if hasattr(major, "review") else None
    return {
        "incident": incident.number,
        "reason": major.reason,
        "manager": person_brief(major.manager),
        "declared_by": person_brief(major.declared_by),
        "declared_at": major.declared_at,
        "children": list(
            Incident.objects.filter(parent=incident).order_by("id").values_list("number", flat=True)
        ),
        "updates": [
            {
                "id": u.pk,
                "author": person_brief(u.author),
                "body": u.body,
                "recipients": u.recipients,
                "created_at": u.created_at,
            }
            for u in major.updates.select_related("author")
        ],
        "review": {
            "cause": review.cause,
            "recorded_by": person_brief(review.recorded_by),
            "recorded_at": review.recorded_at,
            "actions": [
                {"description": a.description, "owner": person_brief(a.owner)}
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
def declare_major(request, number: RecordNumber, payload: MajorIn):
    incident = incident_for(request.auth, number)
    manager = person_ref(request.auth, payload.manager, "manager")
    ops.declare_major(request.auth, incident, reason=payload.reason, manager=manager)
    return HttpStatus(201, _major_response(request.auth, incident))


@router.get(
    "/incidents/{number}/major",
    response={200: MajorOut, **ERRORS},
    summary="The major-incident record: manager, updates, review",
)
def get_major(request, number: RecordNumber):
    return _major_response(request.auth, incident_for(request.auth, number))


@router.post(
    "/incidents/{number}/major/updates",
    response={201: MajorOut, **ERRORS},
    summary="Send a stakeholder update through the outbox",
)
def stakeholder_update(request, number: RecordNumber, payload: UpdateIn):
    incident = incident_for(request.auth, number)
    ops.post_stakeholder_update(request.auth, incident, body=payload.body)
    return HttpStatus(201, _major_response(request.auth, incident))


@router.post(
    "/incidents/{number}/major/review",
    response={201: MajorOut, **ERRORS},
    summary="Record the post-incident review (cause and follow-up actions with owners)",
)
def record_review(request, number: RecordNumber, payload: ReviewIn):
    incident = incident_for(request.auth, number)
    actions = [
        (a.description, person_ref(request.auth, a.owner, f"actions.{n}.owner"))
        for n, a in enumerate(payload.actions)
    ]
    ops.record_review(request.auth, incident, cause=payload.cause, actions=actions)
    return HttpStatus(201, _major_response(request.auth, incident))
