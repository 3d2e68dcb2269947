"""Each user's saved views of the incident queues."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query
from ninja.responses import Status as HttpStatus

from steward.core.api_input import Id
from steward.core.api_support import ERRORS, PageParams, page_of, paginate
from steward.core.errors import NotFound
from steward.incidents import operations as ops
from steward.incidents.api.common import router
from steward.incidents.models import (
    SavedView,
)
from steward.incidents.schemas import (
    SavedViewIn,
    SavedViewOut,
)

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
def delete_view(request, view_id: Id):
    view = SavedView.objects.for_user(request.auth, "view").filter(pk=view_id).first()
    if view is None:
        raise NotFound(_("View %(id)s not found.") % {"id": view_id})
    ops.delete_view(request.auth, view)
    return HttpStatus(204, None)
