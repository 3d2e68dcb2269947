"""SLA definitions API: the commitments, their targets, and the service owner's sign-off."""

from __future__ import annotations

from typing import Literal

from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from steward.core.api_input import Id, Moment
from steward.core.api_support import (
    ERRORS,
    PageParams,
    page_of,
    paginate,
    person_brief,
    visible_ref,
)
from steward.core.errors import PermissionDenied, ValidationError
from steward.core.operations import get_visible
from steward.people.models import Organization
from steward.services.models import Service
from steward.slm import operations as ops
from steward.slm.models import Calendar, SlaDefinition
from steward.slm.reports import compliance
from steward.slm.schemas import (
    ComplianceOut,
    RecordType,
    SignOffIn,
    SlaDefinitionCreate,
    SlaDefinitionOut,
    SlaDefinitionUpdate,
)


def legacy_id(name: str) -> str:
    """The operation id the endpoint had in ``slm/sla_api.py``: clients generate code
    from the ids, so moving the module into the ``api`` package keeps them."""
    return f"steward_slm_sla_api_{name}"


router = Router(tags=["service levels"])
reports_router = Router(tags=["service levels"])
_REFS = {
    "service": (Service, "service"),
    "organization": (Organization, "organization"),
    "calendar": (Calendar, "calendar"),
}


def definition_out(d: SlaDefinition) -> dict:
    signer = d.signed_off_by
    return {
        "id": d.pk,
        "name": d.name,
        "description": d.description,
        "record_type": d.record_type,
        "priority": d.priority,
        "service": d.service_id,
        "organization": d.organization_id,
        "response_seconds": d.response_seconds,
        "resolution_seconds": d.resolution_seconds,
        "calendar": d.calendar_id,
        "thresholds": d.thresholds,
        "pause_when_paused": d.pause_when_paused,
        "reopen_policy": d.reopen_policy,
        "escalations": d.escalations,
        "is_active": d.is_active,
        "signed_off_by": person_brief(signer),
        "signed_off_at": d.signed_off_at,
        "version": d.version,
    }


def _resolve(actor, data: dict) -> dict:
    for field, (model, label) in _REFS.items():
        if data.get(field) is not None:
            data[field] = visible_ref(model.objects, actor, field, data[field], label)
    return data


def _definitions():
    return SlaDefinition.objects.select_related("signed_off_by")


@router.get(
    "",
    response={200: page_of(SlaDefinitionOut), **ERRORS},
    summary="SLA definitions",
    operation_id=legacy_id("list_definitions"),
)
def list_definitions(
    request,
    page: Query[PageParams],
    record_type: RecordType | None = None,
    service: Id | None = None,
):
    qs = _definitions().for_user(request.auth, "view").order_by("name")
    if record_type:
        qs = qs.filter(record_type=record_type[:32])
    if service is not None:
        qs = qs.filter(service_id=service)
    return paginate(qs, page, definition_out)


@router.post(
    "",
    response={201: SlaDefinitionOut, **ERRORS},
    summary="Create an SLA (admins; a service owner for their services)",
    operation_id=legacy_id("create_definition"),
)
def create_definition(request, payload: SlaDefinitionCreate):
    d = ops.create_definition(request.auth, **_resolve(request.auth, payload.dict()))
    return Status(201, definition_out(d))


@router.get(
    "/{definition_id}",
    response={200: SlaDefinitionOut, **ERRORS},
    operation_id=legacy_id("get_definition"),
)
def get_definition(request, definition_id: Id):
    return definition_out(get_visible(_definitions(), request.auth, definition_id, "SLA"))


@router.patch(
    "/{definition_id}",
    response={200: SlaDefinitionOut, **ERRORS},
    summary="Change an SLA; changing its commitment withdraws the sign-off",
    operation_id=legacy_id("update_definition"),
)
def update_definition(request, definition_id: Id, payload: SlaDefinitionUpdate):
    d = get_visible(_definitions(), request.auth, definition_id, "SLA")
    data = _resolve(request.auth, payload.dict(exclude_unset=True))
    version = data.pop("version")
    return definition_out(ops.update_definition(request.auth, d, version=version, **data))


@router.post(
    "/{definition_id}/sign-off",
    response={200: SlaDefinitionOut, **ERRORS},
    summary="The service owner signs the SLA off (accepts the commitment)",
    operation_id=legacy_id("sign_off"),
)
def sign_off(request, definition_id: Id, payload: SignOffIn | None = None):
    d = get_visible(_definitions().select_related("service"), request.auth, definition_id, "SLA")
    version = payload.version if payload is not None else None
    return definition_out(ops.sign_off(request.auth, d, version=version))


@reports_router.get(
    "/compliance",
    response={200: ComplianceOut, **ERRORS},
    summary="SLA compliance by service, priority or month (IT staff)",
    operation_id=legacy_id("sla_compliance"),
)
def sla_compliance(
    request,
    group_by: Literal["service", "priority", "month"] = "service",
    since: Moment | None = None,
    until: Moment | None = None,
):
    if not request.auth.is_it:
        raise PermissionDenied(_("SLA reports are for IT staff."))
    for name, value in (("since", since), ("until", until)):
        if value is not None and value.tzinfo is None:
            raise ValidationError.field(name, _("must include a time zone, e.g. 2026-01-01T00:00Z"))
    if since and until and until <= since:
        raise ValidationError.field("until", _("must be after since"))
    return {
        "group_by": group_by,
        "since": since,
        "until": until,
        "rows": compliance(group_by, since, until),
    }
