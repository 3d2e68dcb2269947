"""``/api/v1/webhooks``: subscriptions (administrators only), a test delivery, and the
delivery log. The secret is returned once, in the answer to the creation (or to a PATCH that
sets a new one); afterwards answers say ``secret_set``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as HttpStatus
from pydantic import StringConstraints

from steward.core.api_input import SINGLE_LINE, Id, StrictSchema
from steward.core.api_support import ERRORS, PageParams, page_of, paginate
from steward.core.errors import NotFound, PermissionDenied
from steward.notifications.choices import EmailStatus
from steward.notifications.models import Webhook, WebhookDelivery
from steward.notifications.operations import webhooks as ops
from steward.people.schemas import Version

router = Router(tags=["webhooks"])

Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120), SINGLE_LINE
]
Url = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000), SINGLE_LINE
]
Event = Annotated[str, StringConstraints(min_length=1, max_length=100), SINGLE_LINE]
Secret = Annotated[str, StringConstraints(min_length=16, max_length=128), SINGLE_LINE]


def admin(request):
    if not request.auth.is_admin:
        raise PermissionDenied(_("Only administrators may manage webhooks."))
    return request.auth


class WebhookCreate(StrictSchema):
    name: Name
    url: Url = Field(description="Where events are POSTed (https recommended)")
    events: list[Event] = Field(
        min_length=1, max_length=100, description='"incident.created", "incident.*" or "*"'
    )
    secret: Secret | None = Field(None, description="Left out: Steward makes one")
    allow_private_target: bool = Field(
        False, description="Allow a loopback, link-local or private address (administrators)"
    )
    is_active: bool = True


class WebhookUpdate(StrictSchema):
    version: Version
    name: Name = None
    url: Url = None
    events: list[Event] = Field(None, min_length=1, max_length=100)
    secret: Secret = None
    allow_private_target: bool = None
    is_active: bool = None


class WebhookOut(Schema):
    id: int
    name: str
    url: str
    events: list[str]
    secret: str | None = Field(
        None, description="Only in the answer that set it: keep it, it is not shown again"
    )
    secret_set: bool
    allow_private_target: bool
    is_active: bool
    failures_in_a_row: int
    disabled_reason: str
    created_at: datetime
    version: int


class WebhookDeliveryOut(Schema):
    id: int
    event: str
    status: EmailStatus
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    next_attempt_at: datetime
    response_status: int | None
    response_ms: int | None = Field(description="How long the receiver took to answer")
    last_error: str


WEBHOOK_FIELDS = (
    *("id", "name", "url", "events", "allow_private_target", "is_active"),
    *("failures_in_a_row", "disabled_reason", "created_at", "version"),
)


def webhook_out(w: Webhook, *, show_secret: bool = False) -> dict:
    return {
        **{f: getattr(w, f) for f in WEBHOOK_FIELDS},
        "secret": w.secret if show_secret else None,
        "secret_set": bool(w.secret),
    }


def _webhook(actor, webhook_id: int) -> Webhook:
    found = Webhook.objects.for_user(actor, "view").filter(pk=webhook_id).first()
    if found is None:
        raise NotFound(_("No such webhook."))
    return found


@router.get("/webhooks", response={200: page_of(WebhookOut), **ERRORS})
def list_webhooks(request, page: Query[PageParams]):
    actor = admin(request)
    return paginate(
        Webhook.objects.for_user(actor, "view").order_by("name", "id"), page, webhook_out
    )


@router.post("/webhooks", response={201: WebhookOut, **ERRORS})
def create_webhook(request, body: WebhookCreate):
    actor = admin(request)
    data = body.model_dump()
    data["secret"] = data["secret"] or ""
    return HttpStatus(201, webhook_out(ops.create_webhook(actor, **data), show_secret=True))


@router.get("/webhooks/{webhook_id}", response={200: WebhookOut, **ERRORS})
def get_webhook(request, webhook_id: Id):
    return webhook_out(_webhook(admin(request), webhook_id))


@router.patch("/webhooks/{webhook_id}", response={200: WebhookOut, **ERRORS})
def update_webhook(request, webhook_id: Id, body: WebhookUpdate):
    actor = admin(request)
    data = body.model_dump(exclude_unset=True)
    version = data.pop("version")
    webhook = ops.update_webhook(actor, _webhook(actor, webhook_id), version=version, **data)
    return webhook_out(webhook, show_secret="secret" in data)


@router.delete("/webhooks/{webhook_id}", response={204: None, **ERRORS})
def delete_webhook(request, webhook_id: Id):
    actor = admin(request)
    ops.delete_webhook(actor, _webhook(actor, webhook_id))
    return HttpStatus(204, None)


@router.post("/webhooks/{webhook_id}/test", response={202: WebhookDeliveryOut, **ERRORS})
def test_webhook(request, webhook_id: Id):
    actor = admin(request)
    return HttpStatus(202, ops.test_webhook(actor, _webhook(actor, webhook_id)))


@router.get(
    "/webhooks/{webhook_id}/deliveries", response={200: page_of(WebhookDeliveryOut), **ERRORS}
)
def list_deliveries(request, webhook_id: Id, page: Query[PageParams]):
    actor = admin(request)
    webhook = _webhook(actor, webhook_id)
    qs = WebhookDelivery.objects.for_user(actor, "view").filter(webhook=webhook)
    return paginate(qs.order_by("-created_at", "-id"), page)
