"""The notifications API: the signed-in user's own in-app notifications."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from steward.core.api_input import Id
from steward.core.api_support import ERRORS, PageParams, paginate
from steward.core.operations import get_visible
from steward.notifications import operations
from steward.notifications.models import Notification

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    subject: str
    body: str
    link: str
    record_type: str
    record_id: str
    created_at: datetime
    read_at: datetime | None
    is_read: bool


class NotificationPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[NotificationOut]


class NotificationQuery(PageParams):
    unread: bool | None = Field(None, description="true: only unread; false: only read")


class ReadAllOut(Schema):
    updated: int = Field(description="How many notifications were marked read")


@router.get("", response={200: NotificationPage, **ERRORS}, summary="My notifications")
def list_notifications(request: HttpRequest, filters: Query[NotificationQuery]):
    """The caller's notifications, newest first."""
    rows = Notification.objects.for_user(request.auth, "view")
    if filters.unread is not None:
        rows = rows.filter(read_at__isnull=filters.unread)
    return paginate(rows.order_by("-created_at", "-id"), filters)


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
    row = get_visible(Notification.objects, request.auth, notification_id, "Notification")
    return operations.mark_read(request.auth, row)
