"""Enumerations of the fulfilment app, as string-valued choices.

Schema names in the API document are global: each class is named for fulfilment
(``RequestedItemStatus``, not ``Status``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StatusCategory(models.TextChoices):
    """What a status means to the SLA clock: running, paused, or stopped."""

    OPEN = "open", _("Open")
    PAUSED = "paused", _("Paused")
    RESOLVED = "resolved", _("Resolved")
    CANCELLED = "cancelled", _("Cancelled")


class RequestedItemStatus(models.TextChoices):
    """Where one requested item (RITM) is: approval, fulfilment, done."""

    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    IN_PROGRESS = "in_progress", _("In progress")
    FULFILLED = "fulfilled", _("Fulfilled")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


ItemStatus = RequestedItemStatus

#: The category of every item status; the delivery (SLA) clock reads this: it waits while the
#: item awaits approval, runs while it is worked, and stops when it is delivered or ended.
STATUS_CATEGORY: dict[str, str] = {
    ItemStatus.AWAITING_APPROVAL: StatusCategory.PAUSED,
    ItemStatus.APPROVED: StatusCategory.OPEN,
    ItemStatus.IN_PROGRESS: StatusCategory.OPEN,
    ItemStatus.FULFILLED: StatusCategory.RESOLVED,
    ItemStatus.CLOSED: StatusCategory.RESOLVED,
    ItemStatus.REJECTED: StatusCategory.RESOLVED,
    ItemStatus.CANCELLED: StatusCategory.CANCELLED,
}

#: Items still being worked (awaiting approval, approved, in progress): open or paused.
ACTIVE_ITEM_STATUSES = frozenset(
    s for s, c in STATUS_CATEGORY.items() if c in (StatusCategory.OPEN, StatusCategory.PAUSED)
)
#: Items that are done one way or another.
ENDED_ITEM_STATUSES = frozenset(ItemStatus.values) - ACTIVE_ITEM_STATUSES
#: No more comments or attachments once an item is here.
FINAL_ITEM_STATUSES = frozenset({ItemStatus.CLOSED, ItemStatus.REJECTED, ItemStatus.CANCELLED})


def status_category(status: str) -> str:
    return STATUS_CATEGORY[status]


class RequestStatus(models.TextChoices):
    """An order (REQ) is open while one of its items is; derived from the items."""

    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class FulfilmentTaskStatus(models.TextChoices):
    """One task of the work that delivers an item (TASK)."""

    WAITING = "waiting", _("Waiting")  # a later stage, not started until the earlier closes
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED_COMPLETE = "closed_complete", _("Closed complete")
    CLOSED_INCOMPLETE = "closed_incomplete", _("Closed incomplete")
    CANCELLED = "cancelled", _("Cancelled")


TaskStatus = FulfilmentTaskStatus

#: Tasks someone still has to do (or will, when their stage opens).
ACTIVE_TASK_STATUSES = frozenset({TaskStatus.WAITING, TaskStatus.OPEN, TaskStatus.IN_PROGRESS})
#: Tasks that are done (a closed-incomplete task still ends its part of the work).
CLOSED_TASK_STATUSES = frozenset(
    {TaskStatus.CLOSED_COMPLETE, TaskStatus.CLOSED_INCOMPLETE, TaskStatus.CANCELLED}
)


class TaskOutcome(models.TextChoices):
    """How a task is closed."""

    COMPLETE = "complete", _("Complete")
    INCOMPLETE = "incomplete", _("Incomplete")


class CatalogAudience(models.TextChoices):
    """Who may order a catalog item."""

    EVERYONE = "everyone", _("Everyone")
    RESTRICTED = "restricted", _("Chosen organisations and groups")


class RequestCommentVisibility(models.TextChoices):
    INTERNAL = "internal", _("Work note (internal)")
    PUBLIC = "public", _("Reply (visible to the requester)")


Visibility = RequestCommentVisibility


class RecurringCadence(models.TextChoices):
    """How often a recurring request is raised."""

    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")


Cadence = RecurringCadence


class CatalogFieldType(models.TextChoices):
    """The kinds of question an order form asks (``form_schema.FieldDef.type``)."""

    TEXT = "text", _("Text")
    TEXTAREA = "textarea", _("Long text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    CHOICE = "choice", _("Choice")
    MULTICHOICE = "multichoice", _("Several choices")
    USER = "user", _("Person")
    CI = "ci", _("Configuration item")
    ATTACHMENT = "attachment", _("Attachment")
    CHECKBOX = "checkbox", _("Checkbox")


FieldType = CatalogFieldType


class ApproverSource(models.TextChoices):
    """Who approves one step of an item's approval flow (``form_schema.ApprovalStepDef``)."""

    LINE_MANAGER = "line_manager", _("The requester's line manager")
    SERVICE_OWNER = "service_owner", _("The service owner")
    GROUP = "group", _("A support group")
    USER = "user", _("A named person")


class ApprovalMode(models.TextChoices):
    ANY = "any", _("Any one")
    ALL = "all", _("All")


class ConditionOp(models.TextChoices):
    """How an approval step's condition compares an answer with its value."""

    GT = "gt", _("is greater than")
    GTE = "gte", _("is at least")
    LT = "lt", _("is less than")
    EQ = "eq", _("equals")
    IN = "in", _("is one of")
