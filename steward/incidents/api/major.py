"""Major incidents: declare, read, stakeholder updates, the post-incident review."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from ninja.responses import Status as HttpStatus

from steward.core.api_input import RecordNumber
from steward.core.api_support import ERRORS, person_brief, visible_refs
from steward.core.errors import NotFound
from steward.incidents import operations as ops
from steward.incidents.api.common import group_ref, incident_for, person_ref, router
from steward.incidents.choices import UpdateKind
from steward.incidents.models import (
    CommunicationPlan,
    Incident,
    MajorIncident,
)
from steward.incidents.operations import major_plan
from steward.incidents.schemas import (
    CommunicationPlanIn,
    CommunicationPlanOut,
    MajorIn,
    MajorOut,
    ReviewIn,
    UpdateIn,
    UpdateTemplateOut,
)
from steward.people.models import User

# --- major incidents --------------------------------------------------------------------------


def plan_out(plan: CommunicationPlan, incident: Incident) -> dict:
    return {
        "version": plan.version,
        "cadence_minutes": plan.cadence_minutes,
        "customer_channel": plan.customer_channel,
        "customers": [
            {
                "name": c.name,
                "email": c.email,
                "organization": c.organization.name,
                "language": major_plan.contact_language(c),
            }
            for c in ops.customer_contacts(incident)
        ],
        "stakeholders": [person_brief(u) for u in plan.stakeholders.order_by("username")],
        "stakeholder_channel": plan.stakeholder_channel,
        "desk_group": {"id": plan.desk_group.pk, "name": plan.desk_group.name}
        if plan.desk_group_id
        else None,
        "desk_channel": plan.desk_channel,
        "next_update_due": plan.next_update_due,
        "overdue": major_plan.is_overdue(plan, incident),
    }


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
                "kind": u.kind,
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
        "plan": plan_out(ops.plan_of(major), incident),
    }


def _major_of(user, incident: Incident) -> MajorIncident:
    """The major-incident record, for IT staff only (a requester is told it does not exist)."""
    major = (
        MajorIncident.objects.for_user(user, "view")
        .select_related("manager", "declared_by")
        .filter(incident=incident)
        .first()
    )
    if major is None:
        raise NotFound(_("%(number)s is not a major incident.") % {"number": incident.number})
    return major


def _major_response(user, incident: Incident) -> dict:
    return major_out(_major_of(user, incident), incident)


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
    summary="Send a stakeholder update to every audience of the communication plan",
)
def stakeholder_update(request, number: RecordNumber, payload: UpdateIn):
    incident = incident_for(request.auth, number)
    ops.post_stakeholder_update(request.auth, incident, body=payload.body, kind=payload.kind)
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


@router.get(
    "/incidents/{number}/major/plan",
    response={200: CommunicationPlanOut, **ERRORS},
    summary="The communication plan: audiences, channels, cadence, next update due",
)
def get_plan(request, number: RecordNumber):
    incident = incident_for(request.auth, number)
    return plan_out(ops.plan_of(_major_of(request.auth, incident)), incident)


@router.patch(
    "/incidents/{number}/major/plan",
    response={200: CommunicationPlanOut, **ERRORS},
    summary="Change the communication plan (the manager, group managers, administrators)",
)
def change_plan(request, number: RecordNumber, payload: CommunicationPlanIn):
    incident = incident_for(request.auth, number)
    _major_of(request.auth, incident)
    sent = payload.model_fields_set
    changes = {
        name: getattr(payload, name)
        for name in ("cadence_minutes", "customer_channel", "stakeholder_channel", "desk_channel")
        if name in sent and getattr(payload, name) is not None
    }
    if "stakeholders" in sent and payload.stakeholders is not None:
        changes["stakeholders"] = visible_refs(
            User.objects, request.auth, "stakeholders", payload.stakeholders, "users"
        )
    if "desk_group" in sent:
        changes["desk_group"] = group_ref(request.auth, payload.desk_group, "desk_group")
    plan = ops.set_plan(request.auth, incident, version=payload.version, **changes)
    return plan_out(plan, incident)


@router.get(
    "/incidents/{number}/major/updates/template",
    response={200: UpdateTemplateOut, **ERRORS},
    summary="The update template for the moment (or ?kind=), in your language",
)
def update_template(request, number: RecordNumber, kind: UpdateKind | None = None):
    incident = incident_for(request.auth, number)
    major = _major_of(request.auth, incident)
    kind = kind or major_plan.moment(incident, major)
    subject, body = major_plan.template(kind, incident, ops.plan_of(major))
    language = request.auth.language or settings.LANGUAGE_CODE
    return {
        "kind": kind,
        "language": language,
        "subject": subject.render(language),
        "body": body.render(language),
    }
