"""API schemas of request fulfilment: the catalog (with each item's form as data), orders,
requested items (one output per audience: IT staff read every field; a requester their order,
its status, approvals and the names and states of its tasks, and the public conversation),
tasks and recurring requests. Every class name is the app's own (the OpenAPI document is
global)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from steward.core.api_input import SINGLE_LINE, TEXT_PATTERN, Id, Moment, QuerySchema, StrictSchema
from steward.core.api_support import NamedRef
from steward.fulfilment.choices import (
    CatalogAudience,
    FulfilmentTaskStatus,
    RecurringCadence,
    RequestCommentVisibility,
    RequestedItemStatus,
    RequestStatus,
    TaskOutcome,
)
from steward.fulfilment.form_schema import (
    CatalogApprovalStep,
    CatalogFormField,
    CatalogTaskTemplate,
)
from steward.people.schemas import UserBrief, Version

Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), SINGLE_LINE
]
Summary = Annotated[str, StringConstraints(max_length=300), SINGLE_LINE]
Text = Annotated[str, StringConstraints(max_length=10_000)]
Reason = Annotated[str, StringConstraints(min_length=1, max_length=1000)]
SearchQuery = Annotated[
    str,
    StringConstraints(max_length=200),
    Field(json_schema_extra={"pattern": TEXT_PATTERN}),
]
IdList = Annotated[list[Id], Field(max_length=500)]
#: Answers to an order form, by question name (checked against the form on the server).
Answers = Annotated[
    dict[str, Any],
    Field(description="Answers by question name; errors name `answers.<name>`"),
]

ItemQueue = Literal["", "my_groups", "mine", "unassigned", "awaiting_approval", "overdue", "all"]
ItemSort = Literal["number", "-number", "due", "-due", "updated", "-updated", "status", "-status"]
TaskQueue = Literal["", "my_groups", "mine", "unassigned", "all"]
TaskSort = Literal["number", "-number", "updated", "-updated", "status", "-status"]
ItemStatusFilter = Literal[
    "",
    "any",
    "awaiting_approval",
    "approved",
    "in_progress",
    "fulfilled",
    "closed",
    "rejected",
    "cancelled",
]
TaskStatusFilter = Literal[
    "", "any", "waiting", "open", "in_progress", "closed_complete", "closed_incomplete", "cancelled"
]


# --- catalog -------------------------------------------------------------------------------------


class CatalogCategoryOut(Schema):
    id: int
    name: str
    description: str
    parent: int | None
    order: int
    is_active: bool


class CatalogFilters(QuerySchema):
    q: SearchQuery = Field("", description="Words of the item's name or summary")
    category: Id | None = None
    service: Id | None = None
    include_inactive: bool = Field(False, description="Administrators: also inactive items")


class RequesterCatalogItemOut(Schema):
    """A catalog item as the person ordering reads it: what it is and its order form."""

    id: int
    name: str
    summary: str
    description: str
    category: NamedRef
    service: NamedRef
    target_hours: int | None
    needs_approval: bool
    form: list[CatalogFormField]


class CatalogItemOut(RequesterCatalogItemOut):
    """A catalog item as IT staff read it: with its audience, approval flow, task templates,
    fulfilment group and owner."""

    audience: CatalogAudience
    organizations: list[NamedRef]
    groups: list[NamedRef]
    approval_flow: list[CatalogApprovalStep]
    task_templates: list[CatalogTaskTemplate]
    fulfilment_group: NamedRef
    owner: UserBrief | None
    is_active: bool
    version: int
    updated_at: datetime


CatalogItemForAudience = Annotated[
    CatalogItemOut | RequesterCatalogItemOut,
    Field(description="CatalogItemOut for IT staff; RequesterCatalogItemOut for requesters"),
]


class CatalogItemPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[CatalogItemForAudience]


class CatalogItemIn(StrictSchema):
    name: Name
    summary: Summary = ""
    description: Text = ""
    service: Id
    category: Id
    fulfilment_group: Id
    audience: CatalogAudience = CatalogAudience.EVERYONE
    organizations: IdList = []
    groups: IdList = []
    form: list[dict[str, Any]] = Field(
        default_factory=list, description="CatalogFormField rows; errors name `form[i].field`"
    )
    approval_flow: list[dict[str, Any]] = Field(
        default_factory=list, description="CatalogApprovalStep rows (`approval_flow[i].field`)"
    )
    task_templates: list[dict[str, Any]] = Field(
        default_factory=list, description="CatalogTaskTemplate rows (`task_templates[i].field`)"
    )
    target_hours: int | None = Field(None, ge=1, le=100_000)
    is_active: bool = True
    owner: Id | None = None


class CatalogItemPatch(StrictSchema):
    version: Version
    name: Name = None
    summary: Summary = None
    description: Text = None
    service: Id = None
    category: Id = None
    fulfilment_group: Id = None
    audience: CatalogAudience = None
    organizations: IdList = None
    groups: IdList = None
    form: list[dict[str, Any]] = None
    approval_flow: list[dict[str, Any]] = None
    task_templates: list[dict[str, Any]] = None
    target_hours: int | None = Field(None, ge=1, le=100_000)
    is_active: bool = None
    owner: Id | None = None


# --- orders --------------------------------------------------------------------------------------


class RequestItemIn(StrictSchema):
    catalog_item: Id
    answers: Answers = Field(default_factory=dict)
    quantity: int = Field(1, ge=1, le=100)


class RequestCreate(StrictSchema):
    requested_for: Id | None = Field(None, description="Default: you")
    items: list[RequestItemIn] = Field(..., min_length=1, max_length=20)


class RequestItemBrief(Schema):
    number: str
    catalog_item: NamedRef
    quantity: int
    status: RequestedItemStatus


class RequestOut(Schema):
    number: str
    status: RequestStatus
    requested_for: UserBrief
    opened_by: UserBrief
    created_at: datetime
    closed_at: datetime | None
    items: list[RequestItemBrief]


class RequestFilters(QuerySchema):
    mine: bool = Field(False, description="Only what you ordered or what is for you")
    status: Literal["", "any", "open", "closed", "cancelled"] = ""
    q: SearchQuery = Field("", description="A REQ or RITM number")


# --- requested items -----------------------------------------------------------------------------


class ItemApproverOut(Schema):
    user: UserBrief | None
    kind: str
    decision: str
    comment: str
    decided_at: datetime | None
    decided_by: UserBrief | None
    on_behalf_of: UserBrief | None


class ItemApprovalStepOut(Schema):
    id: int
    round: int
    step: int
    name: str
    mode: str
    state: str
    requested_at: datetime
    decided_at: datetime | None
    approvers: list[ItemApproverOut]


class RequesterTaskOut(Schema):
    """A task as the requester follows it: what is being done, and where it is."""

    name: str
    stage: int
    status: FulfilmentTaskStatus


class FulfilmentTaskOut(Schema):
    number: str
    item: str
    item_title: str
    name: str
    description: str
    stage: int
    group: NamedRef
    assignee: UserBrief | None
    status: FulfilmentTaskStatus
    notes: str
    created_at: datetime
    started_at: datetime | None
    closed_at: datetime | None
    version: int


class RequestCommentOut(Schema):
    id: int
    author: UserBrief | None
    body: str
    visibility: RequestCommentVisibility
    created_at: datetime


class RequestAttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    visibility: RequestCommentVisibility
    uploaded_by: UserBrief | None
    created_at: datetime
    download: str


class RequesterRequestedItemOut(Schema):
    """A requested item as its requester (and their organisation) reads it."""

    number: str
    request: str
    title: str
    catalog_item: NamedRef
    quantity: int
    answers: dict[str, Any]
    status: RequestedItemStatus
    requested_for: UserBrief
    opened_by: UserBrief
    created_at: datetime
    approved_at: datetime | None
    due_at: datetime | None
    fulfilled_at: datetime | None
    closed_at: datetime | None
    rejection_reason: str
    approvals: list[ItemApprovalStepOut]
    tasks: list[RequesterTaskOut]
    comments: list[RequestCommentOut]
    attachments: list[RequestAttachmentOut]
    version: int


class RequestedItemOut(RequesterRequestedItemOut):
    """A requested item as IT staff read it."""

    service: NamedRef
    owning_group: NamedRef
    assignee: UserBrief | None
    organization: NamedRef | None
    cancel_reason: str
    updated_at: datetime
    tasks: list[FulfilmentTaskOut]


RequestedItemForAudience = Annotated[
    RequestedItemOut | RequesterRequestedItemOut,
    Field(description="RequestedItemOut for IT staff; RequesterRequestedItemOut for requesters"),
]


class RequestedItemListOut(Schema):
    """A row of the requested items list."""

    number: str
    request: str
    title: str
    status: RequestedItemStatus
    requested_for: UserBrief
    owning_group: NamedRef | None = None
    assignee: UserBrief | None = None
    created_at: datetime
    due_at: datetime | None
    updated_at: datetime


class RequestedItemFilters(QuerySchema):
    queue: ItemQueue = ""
    status: ItemStatusFilter = ""
    q: SearchQuery = ""
    service: Id | None = None
    group: Id | None = None
    catalog_item: Id | None = None
    assignee: Id | None = None
    requested_for: Id | None = None
    mine: bool = False
    sort: ItemSort = "-number"


class RequestedItemPatch(StrictSchema):
    version: Version
    assignee: Id | None = Field(None, description="A member of the item's group; null: nobody")
    group: Id = Field(None, description="Move the item to another support group")


class RequestCommentIn(StrictSchema):
    body: Annotated[str, StringConstraints(min_length=1, max_length=10_000)]
    visibility: RequestCommentVisibility = RequestCommentVisibility.PUBLIC


class RequestCancelIn(StrictSchema):
    reason: Reason
    version: Version | None = None


class RequestUploadOut(Schema):
    id: int
    name: str
    content_type: str
    size: int


# --- tasks ---------------------------------------------------------------------------------------


class FulfilmentTaskFilters(QuerySchema):
    mine: bool = Field(False, description="Only the tasks assigned to you")
    queue: TaskQueue = ""
    status: TaskStatusFilter = ""
    group: Id | None = None
    q: SearchQuery = ""
    sort: TaskSort = "-number"


class FulfilmentTaskPatch(StrictSchema):
    version: Version
    action: Literal["start", "close"] | None = Field(
        None, description="start: in progress; close: with `outcome` (and `notes`)"
    )
    outcome: TaskOutcome | None = None
    notes: Text = ""
    assignee: Id | None = Field(None, description="A member of the task's group; null: nobody")


# --- recurring requests --------------------------------------------------------------------------


class RecurringRequestOut(Schema):
    id: int
    name: str
    catalog_item: NamedRef
    requested_for: UserBrief
    answers: dict[str, Any]
    quantity: int
    cadence: RecurringCadence
    interval: int
    day: int | None
    next_run_at: datetime
    last_run_at: datetime | None
    is_active: bool
    created_by: UserBrief | None
    version: int


class RecurringRequestIn(StrictSchema):
    name: Annotated[str, StringConstraints(max_length=200), SINGLE_LINE] = ""
    catalog_item: Id
    requested_for: Id
    answers: Answers = Field(default_factory=dict)
    quantity: int = Field(1, ge=1, le=100)
    cadence: RecurringCadence
    interval: int = Field(1, ge=1, le=366)
    day: int | None = Field(None, ge=0, le=31)
    next_run_at: Moment


class RecurringRequestPatch(StrictSchema):
    version: Version
    name: Annotated[str, StringConstraints(max_length=200), SINGLE_LINE] = None
    answers: Answers = None
    quantity: int = Field(None, ge=1, le=100)
    cadence: RecurringCadence = None
    interval: int = Field(None, ge=1, le=366)
    day: int | None = Field(None, ge=0, le=31)
    next_run_at: Moment = None
    is_active: bool = None
