"""Attachments: content checks (a cleaned file name and a content type sniffed from the first
bytes against an allow-list; the uploader's claimed type and extension are ignored) and
serving a file to the pages and the API after the permission check."""

from __future__ import annotations

import re
import secrets
import unicodedata

from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils.translation import gettext as _

from steward.core.errors import NotFound
from steward.incidents import queries
from steward.incidents.models import Attachment

#: (magic prefix, content type) — the only binary types accepted.
SIGNATURES = [
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),  # also docx, xlsx, pptx
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),  # .msg, .doc, .xls
]
TEXT = "text/plain"
ALLOWED = frozenset({t for _, t in SIGNATURES} | {TEXT})


def sniff(head: bytes) -> str | None:
    """The content type of a file from its first bytes, or None when it is not allowed.

    Text of any kind (including HTML and SVG) is ``text/plain``: it is served as a plain
    download and never rendered."""
    for magic, content_type in SIGNATURES:
        if head.startswith(magic):
            return content_type
    if b"\x00" in head:
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multi-byte character cut at the end of the sample is still text
        if exc.start < len(head) - 4:
            return None
    return TEXT


#: How much of a file is read to tell its type.
SNIFF_BYTES = 2048


def accepted_type(upload, limit: int) -> str:
    """The content type of ``upload`` (a Django UploadedFile) when the attachment rules accept
    it — not empty, at most ``limit`` bytes, a type on the allow-list by its first bytes — else
    a ValidationError naming ``file``. Incidents, requests and mail share these rules."""
    from django.template.defaultfilters import filesizeformat

    from steward.core.errors import ValidationError

    def refused(message, problem):
        return ValidationError(message, {"file": [problem]})

    if upload is None:
        raise refused(_("Choose a file."), "is missing")
    if upload.size > limit:
        raise refused(
            _("The file is %(size)s; files up to %(limit)s are accepted.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            f"larger than the limit of {limit} bytes",
        )
    if upload.size == 0:
        raise refused(_("The file is empty: choose a file with something in it."), "is empty")
    upload.seek(0)
    content_type = sniff(upload.read(SNIFF_BYTES))
    upload.seek(0)
    if content_type is None:
        raise refused(
            _(
                "This kind of file is not accepted: attach an image, a PDF, a text file or an "
                "Office document."
            ),
            "this kind of file is not accepted (images, PDF, text and Office files are)",
        )
    return content_type


def clean_name(name: str) -> str:
    """A display name without paths, control characters or quotes; never empty."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f\"<>|*?:;]", "_", name).strip(" .")
    return (name or "attachment")[:200]


def store_upload(upload, limit: int, directory: str, row):
    """Check ``upload`` (:func:`accepted_type`), keep it under a random name in
    ``directory`` and save the row ``row(stored_name, content_type, clean_name)`` builds; the
    file is removed again when the row cannot be written. Incidents, requests and mail share
    it."""
    content_type = accepted_type(upload, limit)
    stored = default_storage.save(f"{directory}/{secrets.token_hex(20)}", upload)
    attachment = row(stored, content_type, clean_name(upload.name))
    try:
        attachment.save()
    except Exception:
        default_storage.delete(stored)
        raise
    return attachment


def serve_attachment(user, number: str, attachment_id: int):
    """The file, after checking the user may see the incident and the attachment now."""
    incident = queries.incidents_for(user).filter(number=number.upper()).first()
    if incident is None:
        raise NotFound(_("Incident %(number)s not found.") % {"number": number})
    attachment = (
        Attachment.objects.for_user(user, "view")
        .filter(incident=incident, pk=attachment_id)
        .first()
    )
    if attachment is None:
        raise NotFound(_("Attachment %(id)s not found.") % {"id": attachment_id})
    response = FileResponse(
        default_storage.open(attachment.stored_name, "rb"),
        as_attachment=True,
        filename=attachment.file_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
