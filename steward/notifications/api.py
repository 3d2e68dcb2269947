"""The notifications API: the signed-in user's own in-app notifications."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from steward.core.api_input import Id, StrictSchema
from steward.core.api_support import ERRORS, PageParams, paginate
from steward.core.errors import ValidationError
from steward.notifications import operations
from steward.notifications.models import Notification
from steward.notifications.queries import group_ids, inbox, unread

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    subject: str
    body: str
    link: str
    record_type: str
    record_id: str
    created_at: datetime
    read_at: datetime | None = Field(description="When the caller read it (null: unread)")
    is_read: bool

    @staticmethod
    def resolve_subject(obj) -> str:
        return obj.subject_text  # in the caller's language

    @staticmethod
    def resolve_body(obj) -> str:
        return obj.body_text

    @staticmethod
    def resolve_read_at(obj) -> datetime | None:
        # a group's notification is read per member: the caller's time (queries.inbox)
        return getattr(obj, "my_read_at", obj.read_at)


class NotificationPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[NotificationOut]


class NotificationQuery(PageParams):
    unread: bool | None = Field(None, description="true: only unread; false: only read")


class ReadAllOut(Schema):
    updated: int = Field(description="How many notifications were marked read")


MAX_IDS = 200


class MarkReadIn(StrictSchema):
    """Exactly one of ``ids`` and ``all``."""

    ids: list[Id] = Field(
        None,
        max_length=MAX_IDS,
        description="Mark these read; ids of notifications the caller does not see are ignored",
    )
    all: bool = Field(None, description="true: mark every notification of the caller read")


@router.get("", response={200: NotificationPage, **ERRORS}, summary="My notifications")
def list_notifications(request: HttpRequest, filters: Query[NotificationQuery]):
    """The caller's notifications, newest first: their own and their support groups' (a
    group's notification is read or unread for each member on their own)."""
    groups = group_ids(request.auth)
    rows = inbox(request.auth, groups)
    if filters.unread is True:
        rows = rows.filter(unread(request.auth, groups))
    elif filters.unread is False:
        rows = rows.exclude(unread(request.auth, groups))
    return paginate(rows, filters)


@router.post("/read", response={200: ReadAllOut, **ERRORS}, summary="Mark some or all read")
def read_some(request: HttpRequest, payload: MarkReadIn):
    """Mark the given notifications (``{"ids": [...]}``) or all of them (``{"all": true}``)
    read for the caller; answers how many changed. Ids of notifications the caller does not
    see change nothing, exactly like ids that do not exist."""
    fields = payload.model_fields_set
    if "ids" in fields and "all" in fields:
        raise ValidationError.field("all", _("give either ids or all, not both"))
    if "all" in fields:
        if payload.all is not True:
            raise ValidationError.field("all", _("must be true (to mark some, send ids)"))
        return {"updated": operations.mark_all_read(request.auth)}
    if "ids" not in fields:
        raise ValidationError.field("ids", _("required: the ids to mark read, or all: true"))
    return {"updated": operations.mark_read_many(request.auth, payload.ids)}


@router.post("/read-all", response={200: ReadAllOut, **ERRORS}, summary="Mark all read")
def read_all(request: HttpRequest):
    return {"updated": operations.mark_all_read(request.auth)}


@router.post(
    "/{int:notification_id}/read",
    response={200: NotificationOut, **ERRORS},
    summary="Mark one read",
)
def read_one(request: HttpRequest, notification_id: Id):
    """Mark one of the caller's notifications read; another user's answers 404."""
    return operations.mark_read(request.auth, Notification(pk=notification_id))
