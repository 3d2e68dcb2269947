"""Attachments: upload, list, and download after a fresh permission check."""

from __future__ import annotations

from ninja import File, Form, Query
from ninja.files import UploadedFile
from ninja.responses import Status as HttpStatus

from steward.core.api_input import Id, RecordNumber
from steward.core.api_support import ERRORS, PageParams, page_of, paginate, person_brief
from steward.incidents import operations as ops
from steward.incidents.api.common import incident_for, router
from steward.incidents.attachments import serve_attachment
from steward.incidents.choices import Visibility
from steward.incidents.models import (
    Attachment,
)
from steward.incidents.schemas import (
    AttachmentOut,
)

# --- attachments ------------------------------------------------------------------------------


def attachment_out(a: Attachment, number: str) -> dict:
    return {
        "id": a.pk,
        "incident": number,
        "file_name": a.file_name,
        "content_type": a.content_type,
        "size": a.size,
        "visibility": a.visibility,
        "uploaded_by": person_brief(a.uploaded_by),
        "created_at": a.created_at,
        "download": f"/api/v1/incidents/{number}/attachments/{a.pk}",
    }


@router.post(
    "/incidents/{number}/attachments",
    response={201: AttachmentOut, **ERRORS},
    summary="Attach a file (multipart: file, visibility)",
)
def add_attachment(
    request,
    number: RecordNumber,
    file: File[UploadedFile],
    visibility: Form[Visibility] = Visibility.INTERNAL,
):
    incident = incident_for(request.auth, number)
    attachment = ops.add_attachment(request.auth, incident, file, visibility=visibility)
    return HttpStatus(201, attachment_out(attachment, incident.number))


@router.get(
    "/incidents/{number}/attachments",
    response={200: page_of(AttachmentOut), **ERRORS},
    summary="Attachments, oldest first (public ones only for requesters)",
)
def list_attachments(request, number: RecordNumber, page: Query[PageParams]):
    incident = incident_for(request.auth, number)
    qs = (
        Attachment.objects.for_user(request.auth, "view")
        .filter(incident=incident)
        .select_related("uploaded_by")
        .order_by("id")
    )
    return paginate(qs, page, lambda a: attachment_out(a, incident.number))


@router.get(
    "/incidents/{number}/attachments/{attachment_id}",
    response={200: None, **ERRORS},
    summary="Download an attachment (always as a download)",
)
def download_attachment(request, number: RecordNumber, attachment_id: Id):
    return serve_attachment(request.auth, number, attachment_id)
