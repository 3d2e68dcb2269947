"""Serving a requested item's file to the pages and the API after the permission check: always
as a download, sandboxed, never cached (the incidents' rules)."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils.translation import gettext as _

from steward.core.errors import NotFound
from steward.fulfilment.models import RequestAttachment, RequestedItem


def visible_attachment(user, attachment_id: int, number: str | None = None) -> RequestAttachment:
    """The attachment if ``user`` may read it now (and it is on item ``number`` when given);
    404 otherwise, exactly as for a missing one."""
    rows = RequestAttachment.objects.for_user(user, "view").filter(pk=attachment_id)
    if number is not None:
        item = RequestedItem.objects.for_user(user, "view").filter(number=number.upper()).first()
        if item is None:
            raise NotFound(_("Requested item %(number)s not found.") % {"number": number})
        rows = rows.filter(item=item)
    attachment = rows.first()
    if attachment is None:
        raise NotFound(_("Attachment %(id)s not found.") % {"id": attachment_id})
    return attachment


def serve_attachment(user, attachment_id: int, number: str | None = None):
    """The file as a download, after checking ``user`` may see it."""
    attachment = visible_attachment(user, attachment_id, number)
    response = FileResponse(
        default_storage.open(attachment.stored_name, "rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
