"""Who sees which fields of a requested item: one declared field set per audience, read by the
API's serializers (``api.common.item_out``) and by the contract test
(``tests/fulfilment/test_audiences.py``).

- **staff** — IT staff: the whole item, ``RequestedItemOut``.
- **requester** — the person it is for, who ordered it, and the colleagues of their
  organisation: ``RequesterRequestedItemOut``, an allow-list. Every staff field is either in
  :data:`REQUESTER_FIELDS` or in :data:`REQUESTER_HIDDEN` with the reason; the contract test
  fails on a staff field in neither. Their conversation is the public replies and files only;
  their tasks are names, stages and states (``RequesterTaskOut``).
"""

from __future__ import annotations

STAFF = "staff"
REQUESTER = "requester"


def audience_of(user) -> str:
    return STAFF if user is not None and user.is_it else REQUESTER


#: The requester's schema (``schemas.RequesterRequestedItemOut``).
REQUESTER_FIELDS = (
    "number",
    "request",
    "title",
    "catalog_item",
    "quantity",
    "answers",
    "status",
    "requested_for",
    "opened_by",
    "created_at",
    "approved_at",
    "due_at",
    "fulfilled_at",
    "closed_at",
    "rejection_reason",
    "approvals",
    "tasks",
    "comments",
    "attachments",
    "version",
)

#: Staff fields a requester does not read, and why.
REQUESTER_HIDDEN = {
    "service": "how IT routes the work; the catalog item says what was ordered",
    "owning_group": "who works it inside IT",
    "assignee": "who works it inside IT",
    "organization": "the requester's own organisation: nothing to learn",
    "cancel_reason": "may quote IT's internal reasons; the journal keeps it",
    "updated_at": "changes to internal fields would show",
}

#: Task fields a requester reads (``schemas.RequesterTaskOut``): what is done and where it is.
REQUESTER_TASK_FIELDS = ("name", "stage", "status")
