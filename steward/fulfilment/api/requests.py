"""Orders and requested items: order with answers, list and read orders, read a requested item
(answers, status, approvals, tasks, conversation), reply, attach, cancel, assign; upload a file
for an order form's attachment question before ordering."""

from __future__ import annotations

from ninja import File, Form, Query
from ninja.files import UploadedFile
from ninja.responses import Status as HttpStatus

from steward.core.api_input import Id, RecordNumber
from steward.core.api_support import ERRORS, PageParams, page_of, paginate, visible_ref
from steward.core.errors import NotFound
from steward.fulfilment import lists
from steward.fulfilment import operations as ops
from steward.fulfilment.api.common import (
    attachment_out,
    comment_out,
    item_for,
    item_list_out,
    item_out,
    request_for,
    request_out,
    router,
    with_items,
)
from steward.fulfilment.attachments import serve_attachment
from steward.fulfilment.choices import RequestCommentVisibility
from steward.fulfilment.models import CatalogItem
from steward.fulfilment.schemas import (
    RequestAttachmentOut,
    RequestCancelIn,
    RequestCommentIn,
    RequestCommentOut,
    RequestCreate,
    RequestedItemFilters,
    RequestedItemForAudience,
    RequestedItemListOut,
    RequestedItemPatch,
    RequestFilters,
    RequestOut,
    RequestUploadOut,
)
from steward.people.models import SupportGroup, User


@router.get(
    "/requests",
    response={200: page_of(RequestOut), **ERRORS},
    summary="Orders (REQ) you may see",
    description="IT staff: every order. Requesters: what they ordered, what is for them, and "
    "their organisation's. `mine` narrows to your own.",
)
def list_requests(request, filters: Query[RequestFilters], page: Query[PageParams]):
    qs = with_items(lists.requests_filtered(request.auth, filters))
    return paginate(qs, page, request_out)


@router.post(
    "/requests",
    response={201: RequestOut, **ERRORS},
    summary="Order from the catalog (one or more items, each with its answers)",
    description="Answers are checked against each item's form; a problem names "
    "`answers.<question>` (with several items `items[i].answers.<question>`). An attachment "
    "question's answer is the id of a file uploaded with POST /request-uploads.",
)
def create_request(request, payload: RequestCreate):
    actor = request.auth
    several = len(payload.items) > 1
    requested_for = visible_ref(User.objects, actor, "requested_for", payload.requested_for, "User")
    items = []
    for i, row in enumerate(payload.items):
        field = f"items[{i}].catalog_item" if several else "catalog_item"
        catalog_item = visible_ref(CatalogItem.objects, actor, field, row.catalog_item, "Item")
        items.append(
            {"catalog_item": catalog_item, "answers": row.answers, "quantity": row.quantity}
        )
    order = ops.order(actor, requested_for=requested_for, items=items)
    return HttpStatus(201, request_out(request_for(actor, order.number)))


@router.get(
    "/requests/{number}",
    response={200: RequestOut, **ERRORS},
    summary="One order with its items",
)
def get_request(request, number: RecordNumber):
    return request_out(request_for(request.auth, number))


@router.post(
    "/request-uploads",
    response={201: RequestUploadOut, **ERRORS},
    summary="Upload a file for an order form's attachment question (multipart: file)",
    description="The answer to the question is the id returned; the file is yours alone "
    "until an order names it.",
)
def upload_for_order(request, file: File[UploadedFile]):
    attachment = ops.upload_for_order(request.auth, file)
    return HttpStatus(
        201,
        {
            "id": attachment.pk,
            "name": attachment.name,
            "content_type": attachment.content_type,
            "size": attachment.size,
        },
    )


@router.get(
    "/requested-items",
    response={200: page_of(RequestedItemListOut), **ERRORS},
    summary="Requested items (RITM): the queues of the fulfilment groups",
    description="`status` empty: the items still worked; `any`: every item. Requesters see "
    "their own and their organisation's (queue `mine`: their own).",
)
def list_requested_items(request, filters: Query[RequestedItemFilters], page: Query[PageParams]):
    user = request.auth
    qs = lists.items_filtered(user, filters)
    return paginate(qs, page, lambda i: item_list_out(user, i))


@router.get(
    "/requested-items/{number}",
    response={200: RequestedItemForAudience, **ERRORS},
    summary="One requested item: answers, status, approvals, tasks, conversation",
    description="RequestedItemOut for IT staff; RequesterRequestedItemOut for requesters "
    "(public replies and files, the tasks' names and states).",
)
def get_requested_item(request, number: RecordNumber):
    user = request.auth
    return item_out(user, item_for(user, number))


@router.patch(
    "/requested-items/{number}",
    response={200: RequestedItemForAudience, **ERRORS},
    summary="Assign a requested item, or move it to another group (its group, administrators)",
)
def update_requested_item(request, number: RecordNumber, payload: RequestedItemPatch):
    user = request.auth
    if not user.is_it:
        raise NotFound("Not found.")
    item = item_for(user, number)
    given = payload.model_fields_set
    group = visible_ref(SupportGroup.objects, user, "group", payload.group, "Group")
    assignee = (
        visible_ref(User.objects, user, "assignee", payload.assignee, "User")
        if "assignee" in given
        else item.assignee
    )
    ops.assign_item(user, item, assignee=assignee, group=group, version=payload.version)
    return item_out(user, item_for(user, number))


@router.post(
    "/requested-items/{number}/comments",
    response={201: RequestCommentOut, **ERRORS},
    summary="Reply (public) or write a work note (internal: IT staff)",
)
def add_comment(request, number: RecordNumber, payload: RequestCommentIn):
    user = request.auth
    item = item_for(user, number)
    comment = ops.add_comment(user, item, body=payload.body, visibility=payload.visibility)
    return HttpStatus(201, comment_out(comment))


@router.post(
    "/requested-items/{number}/cancel",
    response={200: RequestedItemForAudience, **ERRORS},
    summary="Cancel a requested item still being worked (its requester, its group)",
)
def cancel_requested_item(request, number: RecordNumber, payload: RequestCancelIn):
    user = request.auth
    item = item_for(user, number)
    ops.cancel_item(user, item, reason=payload.reason, version=payload.version)
    return item_out(user, item_for(user, number))


@router.post(
    "/requested-items/{number}/attachments",
    response={201: RequestAttachmentOut, **ERRORS},
    summary="Attach a file (multipart: file, visibility; requesters: public only)",
)
def add_attachment(
    request,
    number: RecordNumber,
    file: File[UploadedFile],
    visibility: Form[RequestCommentVisibility] = RequestCommentVisibility.PUBLIC,
):
    user = request.auth
    item = item_for(user, number)
    attachment = ops.add_attachment(user, item, file, visibility=visibility)
    return HttpStatus(201, attachment_out(attachment, item.number))


@router.get(
    "/requested-items/{number}/attachments/{attachment_id}",
    response={200: None, **ERRORS},
    summary="Download an attachment (always as a download)",
)
def download_attachment(request, number: RecordNumber, attachment_id: Id):
    return serve_attachment(request.auth, attachment_id, number)
