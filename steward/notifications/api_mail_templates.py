"""``/api/v1/mail-templates``: the e-mail events administrators may reword, a template per
event and language (read, write, reset to Steward's words), and a preview of a template
before it is saved. Administrators only."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as HttpStatus
from pydantic import StringConstraints

from steward.core.api_input import StrictSchema
from steward.core.api_support import ERRORS
from steward.core.errors import PermissionDenied
from steward.notifications import mail_templates
from steward.notifications.models import MailTemplate
from steward.notifications.operations import mail_templates as ops

router = Router(tags=["mail templates"])

EventKey = Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,30}\.[a-z_]{1,30}$")]
Language = Literal[tuple(code for code, _name in settings.LANGUAGES)]  # type: ignore[valid-type]
Subject = Annotated[str, StringConstraints(min_length=1, max_length=255)]
Body = Annotated[str, StringConstraints(min_length=1, max_length=ops.BODY_MAX)]


def admin(request):
    if not request.auth.is_admin:
        raise PermissionDenied(_("Only administrators may edit mail templates."))
    return request.auth


class MailVariableOut(Schema):
    name: str = Field(description="Written {{ name }} in a template")
    description: str


class MailTemplateStateOut(Schema):
    language: str
    customised: bool = Field(description="False: Steward's own words are sent")
    version: int | None


class MailEventOut(Schema):
    event: str
    label: str
    description: str
    variables: list[MailVariableOut]
    templates: list[MailTemplateStateOut]


class MailTemplateOut(Schema):
    event: str
    language: str
    customised: bool
    subject: str = Field(description="The template; Steward's own words when not customised")
    body: str
    version: int | None = Field(description="Send it back with a change (409 when stale)")
    updated_at: datetime | None
    updated_by: str | None


class MailTemplateIn(StrictSchema):
    subject: Subject = Field(description="One line; {{ name }} placeholders")
    body: Body = Field(description="Plain text; {{ name }} placeholders")
    version: int | None = Field(None, ge=1, description="The version read; left out on creation")


class MailPreviewIn(StrictSchema):
    subject: str = Field("", max_length=255, description="Empty with body: Steward's own words")
    body: str = Field("", max_length=ops.BODY_MAX)


class MailPreviewOut(Schema):
    subject: str
    text: str = Field(description="The plain-text part")
    html: str = Field(description="The HTML part, as sent")


class ResetQuery(Schema):
    version: int | None = Field(None, ge=1)


def _event_out(event: mail_templates.MailEvent, rows: dict) -> dict:
    return {
        "event": event.key,
        "label": str(event.label),
        "description": str(event.description),
        "variables": [
            {"name": name, "description": str(words)}
            for name, words in mail_templates.variables(event).items()
        ],
        "templates": [
            {
                "language": code,
                "customised": (event.key, code) in rows,
                "version": rows[(event.key, code)].version if (event.key, code) in rows else None,
            }
            for code, _name in mail_templates.languages()
        ],
    }


def _template_out(event: mail_templates.MailEvent, language: str) -> dict:
    row = MailTemplate.objects.filter(event=event.key, language=language).first()
    if row is None:
        with translation.override(language):
            subject, body = mail_templates.builtin(event)
        return {
            "event": event.key,
            "language": language,
            "customised": False,
            "subject": subject,
            "body": body,
            "version": None,
            "updated_at": None,
            "updated_by": None,
        }
    return {
        "event": event.key,
        "language": language,
        "customised": True,
        "subject": row.subject,
        "body": row.body,
        "version": row.version,
        "updated_at": row.updated_at,
        "updated_by": row.updated_by.display_name if row.updated_by else None,
    }


@router.get("/mail-templates", response={200: list[MailEventOut], **ERRORS})
def list_mail_events(request):
    """Every event Steward mails about, its placeholders, and which languages have a
    template."""
    admin(request)
    rows = {(t.event, t.language): t for t in MailTemplate.objects.all()}
    return [_event_out(event, rows) for event in mail_templates.events().values()]


@router.get("/mail-templates/{event}/{language}", response={200: MailTemplateOut, **ERRORS})
def get_mail_template(request, event: EventKey, language: Language):
    admin(request)
    return _template_out(ops.event_of(event), language)


@router.put("/mail-templates/{event}/{language}", response={200: MailTemplateOut, **ERRORS})
def put_mail_template(request, event: EventKey, language: Language, body: MailTemplateIn):
    """Write the template (created when there is none). Placeholders the event does not offer
    are a 422 naming the field."""
    actor = admin(request)
    ops.save_template(
        actor, event, language, subject=body.subject, body=body.body, version=body.version
    )
    return _template_out(ops.event_of(event), language)


@router.delete("/mail-templates/{event}/{language}", response={204: None, **ERRORS})
def reset_mail_template(request, event: EventKey, language: Language, query: Query[ResetQuery]):
    """Back to Steward's own words."""
    ops.reset_template(admin(request), event, language, version=query.version)
    return HttpStatus(204, None)


@router.post("/mail-templates/{event}/{language}/preview", response={200: MailPreviewOut, **ERRORS})
def preview_mail_template(request, event: EventKey, language: Language, body: MailPreviewIn):
    """The e-mail for a made-up record, in the language and the caller's time zone: of the
    template sent (checked as on save), or of Steward's own words when both are empty.
    Writes nothing."""
    said = ops.preview(admin(request), event, language, subject=body.subject, body=body.body)
    return said._asdict()
