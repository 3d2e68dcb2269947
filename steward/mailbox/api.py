"""The mail-in API: mailboxes (administrators' data) and the quarantine.

``/api/v1/mailboxes`` and ``/api/v1/mail/quarantine`` (list, retry, discard). A mailbox's
secret (password or OAuth2 token) is written, never read back: answers say ``secret_set``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as HttpStatus
from pydantic import StringConstraints

from steward.core.api_input import SINGLE_LINE, Id, StrictSchema
from steward.core.api_support import (
    ERRORS,
    NamedRef,
    PageParams,
    named_ref,
    page_of,
    paginate,
    visible_ref,
)
from steward.core.errors import NotFound, PermissionDenied
from steward.mailbox import operations as ops
from steward.mailbox.choices import (
    MailAuthKind,
    MailMessageStatus,
    MailNewSenders,
    MailOutcome,
    MailSecurity,
)
from steward.mailbox.models import InboundMessage, Mailbox
from steward.people.models import Organization, SupportGroup
from steward.people.schemas import Version
from steward.services.models import Service

router = Router(tags=["mail"])

Slug = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]+$", min_length=1, max_length=60)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, max_length=255), SINGLE_LINE]
Secret = Annotated[str, StringConstraints(max_length=4000), SINGLE_LINE]
Port = Annotated[int, Field(ge=1, le=65535)]


def admin(request):
    """Mailboxes hold credentials and everyone's mail: administrators only."""
    if not request.auth.is_admin:
        raise PermissionDenied(_("Only administrators may manage mailboxes."))
    return request.auth


class MailboxCreate(StrictSchema):
    name: Slug = Field(description="Used by `manage.py ingest_mail --mailbox NAME`")
    address: Line = Field(description="The address people write to; replies go here")
    imap_host: Line = Field("", description="Empty: fed by the mail server's pipe only")
    imap_port: Port | None = Field(None, description="Default: 993 with SSL, else 143")
    security: MailSecurity = MailSecurity.SSL
    username: Line = ""
    auth: MailAuthKind = MailAuthKind.PASSWORD
    secret: Secret = Field("", description="Password or OAuth2 access token (never returned)")
    folder: Line = "INBOX"
    default_service: Id | None = None
    default_group: Id | None = Field(None, description="The group new tickets go to")
    new_senders: MailNewSenders = MailNewSenders.REJECT
    new_sender_organization: Id | None = None
    poll_seconds: int = Field(60, ge=10, le=86_400)
    auto_replies_per_hour: int = Field(3, ge=0, le=100)
    is_active: bool = True


class MailboxUpdate(StrictSchema):
    version: Version
    name: Slug = None
    address: Line = None
    imap_host: Line = None
    imap_port: Port | None = None
    security: MailSecurity = None
    username: Line = None
    auth: MailAuthKind = None
    secret: Secret = None
    folder: Line = None
    default_service: Id | None = None
    default_group: Id | None = None
    new_senders: MailNewSenders = None
    new_sender_organization: Id | None = None
    poll_seconds: int = Field(None, ge=10, le=86_400)
    auto_replies_per_hour: int = Field(None, ge=0, le=100)
    is_active: bool = None


class MailboxOut(Schema):
    id: int
    name: str
    address: str
    imap_host: str
    imap_port: int | None
    security: MailSecurity
    username: str
    auth: MailAuthKind
    secret_set: bool = Field(description="Whether a password or token is stored")
    folder: str
    default_service: NamedRef | None
    default_group: NamedRef | None
    new_senders: MailNewSenders
    new_sender_organization: NamedRef | None
    poll_seconds: int
    auto_replies_per_hour: int
    is_active: bool
    last_polled_at: datetime | None
    last_error: str
    version: int


MAILBOX_FIELDS = (
    *("id", "name", "address", "imap_host", "imap_port", "security", "username", "auth"),
    *("folder", "new_senders", "poll_seconds", "auto_replies_per_hour", "is_active"),
    *("last_polled_at", "last_error", "version"),
)
MESSAGE_FIELDS = (
    *("id", "message_id", "from_address", "subject", "received_at", "source", "size"),
    *("status", "reason", "attempts"),
)


def mailbox_out(m: Mailbox) -> dict:
    return {
        **{f: getattr(m, f) for f in MAILBOX_FIELDS},
        "secret_set": bool(m.secret),
        "default_service": named_ref(m.default_service),
        "default_group": named_ref(m.default_group),
        "new_sender_organization": named_ref(m.new_sender_organization),
    }


def _refs(actor, data: dict) -> dict:
    refs = {
        "default_service": (Service.objects, _("service")),
        "default_group": (SupportGroup.objects, _("group")),
        "new_sender_organization": (Organization.objects, _("organization")),
    }
    for field, (qs, label) in refs.items():
        if field in data:
            data[field] = visible_ref(qs, actor, field, data[field], label)
    return data


def _mailbox(actor, mailbox_id: int) -> Mailbox:
    found = (
        Mailbox.objects.for_user(actor, "view")
        .select_related("default_service", "default_group", "new_sender_organization")
        .filter(pk=mailbox_id)
        .first()
    )
    if found is None:
        raise NotFound(_("No such mailbox."))
    return found


@router.get("/mailboxes", response={200: page_of(MailboxOut), **ERRORS})
def list_mailboxes(request, page: Query[PageParams]):
    actor = admin(request)
    qs = Mailbox.objects.for_user(actor, "view").select_related(
        "default_service", "default_group", "new_sender_organization"
    )
    return paginate(qs.order_by("name", "id"), page, mailbox_out)


@router.post("/mailboxes", response={201: MailboxOut, **ERRORS})
def create_mailbox(request, body: MailboxCreate):
    actor = admin(request)
    mailbox = ops.create_mailbox(actor, **_refs(actor, body.model_dump()))
    return HttpStatus(201, mailbox_out(_mailbox(actor, mailbox.pk)))


@router.get("/mailboxes/{mailbox_id}", response={200: MailboxOut, **ERRORS})
def get_mailbox(request, mailbox_id: Id):
    return mailbox_out(_mailbox(admin(request), mailbox_id))


@router.patch("/mailboxes/{mailbox_id}", response={200: MailboxOut, **ERRORS})
def update_mailbox(request, mailbox_id: Id, body: MailboxUpdate):
    actor = admin(request)
    mailbox = _mailbox(actor, mailbox_id)
    data = body.model_dump(exclude_unset=True)
    version = data.pop("version")
    ops.update_mailbox(actor, mailbox, version=version, **_refs(actor, data))
    return mailbox_out(_mailbox(actor, mailbox_id))


@router.delete("/mailboxes/{mailbox_id}", response={204: None, **ERRORS})
def delete_mailbox(request, mailbox_id: Id):
    actor = admin(request)
    ops.delete_mailbox(actor, _mailbox(actor, mailbox_id))
    return HttpStatus(204, None)


# --- the quarantine -------------------------------------------------------------------------------


class InboundMessageOut(Schema):
    id: int
    mailbox: NamedRef
    message_id: str
    from_address: str
    subject: str
    received_at: datetime
    source: str
    size: int
    status: MailMessageStatus
    outcome: MailOutcome | None
    reason: str
    attempts: int
    record: dict | None = Field(description="{type, id, label} of the ticket it reached")


def message_out(m: InboundMessage) -> dict:
    return {
        **{f: getattr(m, f) for f in MESSAGE_FIELDS},
        "outcome": m.outcome or None,
        "mailbox": {"id": m.mailbox_id, "name": m.mailbox.name},
        "record": (
            {"type": m.record_type, "id": m.record_id, "label": m.record_label}
            if m.record_type
            else None
        ),
    }


class MailDiscardIn(StrictSchema):
    reason: Line = Field("", description="Why (kept in the journal)")


def _quarantined(actor, message_id: int) -> InboundMessage:
    found = (
        InboundMessage.objects.for_user(actor, "view")
        .select_related("mailbox")
        .filter(pk=message_id)
        .first()
    )
    if found is None:
        raise NotFound(_("No such message."))
    return found


@router.get("/mail/quarantine", response={200: page_of(InboundMessageOut), **ERRORS})
def list_quarantine(request, page: Query[PageParams]):
    actor = admin(request)
    qs = (
        InboundMessage.objects.for_user(actor, "view")
        .filter(status=MailMessageStatus.QUARANTINED)
        .select_related("mailbox")
        .order_by("-received_at", "-id")
    )
    return paginate(qs, page, message_out)


@router.post("/mail/quarantine/{message_id}/retry", response={200: InboundMessageOut, **ERRORS})
def retry_message(request, message_id: Id):
    actor = admin(request)
    return message_out(ops.retry(actor, _quarantined(actor, message_id)))


@router.post("/mail/quarantine/{message_id}/discard", response={200: InboundMessageOut, **ERRORS})
def discard_message(request, message_id: Id, body: MailDiscardIn):
    actor = admin(request)
    return message_out(ops.discard(actor, _quarantined(actor, message_id), reason=body.reason))
