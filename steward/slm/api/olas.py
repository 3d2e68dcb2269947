"""OLA API: each support group's operational level agreement."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query, Router

from steward.core.api_input import Id
from steward.core.api_support import ERRORS, PageParams, page_of, paginate
from steward.core.errors import NotFound
from steward.core.operations import get_visible
from steward.people.models import SupportGroup
from steward.slm import operations as ops
from steward.slm.models import OlaDefinition
from steward.slm.schemas import OlaIn, OlaOut


def legacy_id(name: str) -> str:
    """The operation id the endpoint had in ``slm/ola_api.py``: clients generate code
    from the ids, so moving the module into the ``api`` package keeps them."""
    return f"steward_slm_ola_api_{name}"


router = Router(tags=["service levels"])


def ola_out(o: OlaDefinition) -> dict:
    return {
        "group": o.group_id,
        "group_name": o.group.name,
        "handover_acceptance_seconds": o.handover_acceptance_seconds,
        "time_with_group_seconds": o.time_with_group_seconds,
        "thresholds": o.thresholds,
        "pause_when_paused": o.pause_when_paused,
        "is_active": o.is_active,
        "version": o.version,
    }


@router.get(
    "",
    response={200: page_of(OlaOut), **ERRORS},
    summary="OLAs of the support groups",
    operation_id=legacy_id("list_olas"),
)
def list_olas(request, page: Query[PageParams]):
    qs = OlaDefinition.objects.for_user(request.auth, "view").select_related("group")
    return paginate(qs.order_by("group__name"), page, ola_out)


@router.get(
    "/{group_id}",
    response={200: OlaOut, **ERRORS},
    summary="One group's OLA",
    operation_id=legacy_id("get_ola"),
)
def get_ola(request, group_id: Id):
    qs = OlaDefinition.objects.select_related("group").filter(group_id=group_id)
    row = qs.for_user(request.auth, "view").first()
    if row is None:
        raise NotFound(_("Group %(id)s has no OLA.") % {"id": group_id})
    return ola_out(row)


@router.put(
    "/{group_id}",
    response={200: OlaOut, **ERRORS},
    summary="Set a group's OLA (administrators or the group's manager)",
    operation_id=legacy_id("put_ola"),
)
def put_ola(request, group_id: Id, payload: OlaIn):
    group = get_visible(SupportGroup.objects, request.auth, group_id, "Group")
    ola = ops.set_ola(request.auth, group, **payload.dict())
    return ola_out(OlaDefinition.objects.select_related("group").get(pk=ola.pk))
