"""Saved (canned) replies: the texts an agent picks while writing a reply or a work note —
personal ones, and their support groups' (kept by the group's manager)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.responses import Status as HttpStatus
from pydantic import StringConstraints

from steward.core.api_input import Id
from steward.core.api_support import ERRORS, PageParams, StrictSchema, page_of, paginate
from steward.core.errors import NotFound, ValidationError
from steward.incidents import canned
from steward.incidents import operations as ops
from steward.incidents.api.common import router
from steward.incidents.models import CannedReply
from steward.people.models import SupportGroup
from steward.people.schemas import Version

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5_000)]


class CannedReplyIn(StrictSchema):
    title: Title
    body: Body
    group: int | None = Field(
        None,
        description="A support group's id for a reply the whole group uses (its manager "
        "or an administrator makes it); empty for a personal one",
    )


class CannedReplyUpdate(StrictSchema):
    version: Version
    title: Title
    body: Body


class CannedReplyOut(Schema):
    id: int
    title: str
    body: str
    group: int | None = Field(None, description="The group's id; empty for a personal reply")
    personal: bool
    version: int
    updated_at: datetime


def reply_out(r: CannedReply) -> dict:
    return {
        "id": r.pk,
        "title": r.title,
        "body": r.body,
        "group": r.group_id,
        "personal": r.owner_id is not None,
        "version": r.version,
        "updated_at": r.updated_at,
    }


def _reply(user, reply_id: int) -> CannedReply:
    reply = canned.visible_replies(user).filter(pk=reply_id).first()
    if reply is None:
        raise NotFound(_("Saved reply %(id)s not found.") % {"id": reply_id})
    return reply


@router.get(
    "/canned-replies",
    response={200: page_of(CannedReplyOut), **ERRORS},
    summary="My saved replies and my groups'",
)
def list_canned_replies(request, page: Query[PageParams]):
    return paginate(canned.visible_replies(request.auth).order_by("title", "id"), page, reply_out)


@router.post(
    "/canned-replies", response={201: CannedReplyOut, **ERRORS}, summary="Add a saved reply"
)
def create_canned_reply(request, payload: CannedReplyIn):
    data = payload.dict()
    group = None
    if data["group"] is not None:
        group = SupportGroup.objects.filter(pk=data["group"], is_active=True).first()
        if group is None:
            raise ValidationError.field("group", f"group {data['group']} does not exist")
    reply = ops.create_canned_reply(
        request.auth, title=data["title"], body=data["body"], group=group
    )
    return HttpStatus(201, reply_out(reply))


@router.get(
    "/canned-replies/{reply_id}",
    response={200: CannedReplyOut, **ERRORS},
    summary="One saved reply",
)
def get_canned_reply(request, reply_id: Id):
    return reply_out(_reply(request.auth, reply_id))


@router.patch(
    "/canned-replies/{reply_id}",
    response={200: CannedReplyOut, **ERRORS},
    summary="Change a saved reply (with the version you read)",
)
def update_canned_reply(request, reply_id: Id, payload: CannedReplyUpdate):
    reply = _reply(request.auth, reply_id)
    data = payload.dict()
    ops.update_canned_reply(
        request.auth, reply, version=data["version"], title=data["title"], body=data["body"]
    )
    return reply_out(reply)


@router.delete(
    "/canned-replies/{reply_id}", response={204: None, **ERRORS}, summary="Delete a saved reply"
)
def delete_canned_reply(request, reply_id: Id):
    ops.delete_canned_reply(request.auth, _reply(request.auth, reply_id))
    return HttpStatus(204, None)
