"""API schemas of the incidents app."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, StringConstraints

from steward.core.api_input import SINGLE_LINE, Id, QuerySchema
from steward.core.api_support import NamedRef, StrictSchema
from steward.incidents.choices import (
    CADENCE_MAX,
    CADENCE_MIN,
    Category,
    Channel,
    HandoverStatus,
    HoldReason,
    ResolutionCode,
    Status,
    UpdateKind,
    Visibility,
)
from steward.people.schemas import GroupBrief, UserBrief, Version

Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), SINGLE_LINE
]
Text = Annotated[str, StringConstraints(max_length=20_000)]
Reason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), SINGLE_LINE
]
Number = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{3}\d{1,12}$", max_length=16)]
LevelValue = Literal[1, 2, 3]
PriorityValue = Literal[1, 2, 3, 4, 5]


class HandoverMeasuresOut(Schema):
    count: int = Field(description="Accepted handovers (times ownership moved)")
    rejections: int
    pending: bool
    mean_seconds_to_accept: float | None
    ping_pong: bool = Field(
        description="Came back to a group that handed it away, or moved more than 3 times"
    )


class HandoverOut(Schema):
    id: int
    incident: str = Field(description="Incident number")
    from_group: GroupBrief
    to_group: GroupBrief
    reason: str
    note: str
    status: HandoverStatus
    requested_by: UserBrief | None
    created_at: datetime
    decided_by: UserBrief | None
    decided_at: datetime | None
    rejection_reason: str
    overdue: bool = Field(description="Pending past the receiving group's acceptance target")


class IncidentOut(Schema):
    number: str
    title: str
    description: str
    caller: UserBrief
    organization: int | None
    service: NamedRef | None
    affected_ci: NamedRef | None
    category: NamedRef | None
    subcategory: NamedRef | None
    impact: LevelValue
    urgency: LevelValue
    priority: PriorityValue
    priority_overridden: bool
    status: Status
    status_category: Category
    hold_reason: HoldReason | Literal[""]
    owning_group: GroupBrief
    assignee: UserBrief | None
    resolution_code: ResolutionCode | Literal[""]
    resolution_notes: str
    reopen_count: int
    parent: str | None
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    pending_handover: HandoverOut | None
    handovers: HandoverMeasuresOut
    is_major: bool
    version: int


class RequesterIncidentOut(Schema):
    """An incident as a requester (its caller, or a colleague of the same organization) sees
    it: an allow-list (``audiences.REQUESTER_FIELDS``), never the owning group, the assignee,
    handovers, a priority override, the configuration item, the parent or the major-incident
    flag. Unknown fields are
    refused, so a staff answer can never pass for this one."""

    model_config = ConfigDict(extra="forbid")

    number: str
    title: str
    description: str
    caller: UserBrief
    organization: int | None
    service: NamedRef | None
    category: NamedRef | None
    subcategory: NamedRef | None
    impact: LevelValue
    urgency: LevelValue
    priority: PriorityValue = Field(description="The working priority (its SLA targets follow it)")
    status: Status
    status_category: Category
    hold_reason: HoldReason | Literal[""]
    resolution_code: ResolutionCode | Literal[""]
    resolution_notes: str
    reopen_count: int
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    version: int


#: What an incident endpoint answers: the staff view to IT staff, the requester's to requesters.
IncidentForAudience = Annotated[
    IncidentOut | RequesterIncidentOut,
    Field(description="IncidentOut for IT staff; RequesterIncidentOut for requesters"),
]


class IncidentPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[IncidentOut | RequesterIncidentOut] = Field(
        description="IncidentOut items for IT staff; RequesterIncidentOut items for requesters"
    )


class IncidentCreate(StrictSchema):
    title: Title
    description: Text = ""
    caller: int | None = Field(None, description="The user who reports it; default: yourself")
    service: int | None = Field(None, description="The affected service")
    impact: LevelValue
    urgency: LevelValue
    owning_group: int | None = Field(
        None, description="Default: the service's first-line group, else the Service Desk"
    )
    category: int | None = None
    subcategory: int | None = None
    parent: Number | None = Field(None, description="Parent incident number")
    affected_ci: int | None = Field(
        None, description="The failing configuration item; without a service it proposes one"
    )


class IncidentUpdate(StrictSchema):
    version: Version
    title: Title = None
    description: Text = None
    service: int | None = None
    affected_ci: int | None = None
    category: int | None = None
    subcategory: int | None = None
    impact: LevelValue = None
    urgency: LevelValue = None
    priority: PriorityValue = Field(None, description="Overrides the matrix; needs priority_reason")
    priority_reason: Reason = None
    assignee: int | None = Field(None, description="A member of the owning group, or null")
    parent: Number | None = Field(None, description="Parent incident number, or null to unlink")


class IncidentFilters(QuerySchema):
    status: list[Status] | None = Field(None, description="One or more statuses")
    category: Category | None = Field(None, description="Status category: open, paused, resolved")
    priority: list[Annotated[int, Field(ge=1, le=5)]] | None = None
    group: int | None = Field(None, description="Owning group")
    my_groups: bool = Field(False, description="Owned by one of my groups")
    major: bool | None = Field(None, description="Only major (true) or other (false) incidents")
    handover_pending: bool | None = Field(None, description="With a pending handover")
    pending_to_group: int | None = Field(None, description="With a pending handover to group")
    assignee: int | None = None
    unassigned: bool | None = None
    service: int | None = None
    caller: int | None = None
    q: Annotated[str, StringConstraints(max_length=200)] | None = Field(
        None,
        description="Every word (as a word prefix) anywhere in the incident: title, description "
        "and comments (replies only for requesters); or an incident number",
    )
    sort: Literal["number", "-number", "priority", "-priority", "updated_at", "-updated_at"] = (
        "-number"
    )


class TransitionIn(StrictSchema):
    to: Status
    resolution_code: ResolutionCode | None = None
    resolution_notes: Text | None = None
    hold_reason: HoldReason | None = None
    comment: Text | None = Field(
        None, description="Why; shown on the caller's timeline and sent to the caller"
    )
    version: Version | None = None


class CommentIn(StrictSchema):
    body: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]
    visibility: Visibility = Visibility.INTERNAL
    time_spent: int = Field(0, ge=0, le=10_080, description="Minutes spent (at most a week)")


class CommentOut(Schema):
    id: int
    incident: str
    author: UserBrief | None
    body: str
    visibility: Visibility
    time_spent: int
    created_at: datetime


class HandoverIn(StrictSchema):
    to_group: int
    reason: Reason
    note: Text = ""


class AcceptIn(StrictSchema):
    take_assignment: bool = False


class RejectIn(StrictSchema):
    reason: Reason


class HandoverFilters(QuerySchema):
    status: HandoverStatus | None = None
    to_group: int | None = None
    from_group: int | None = None
    mine: bool = Field(False, description="Only handovers to my groups")
    overdue: bool = Field(False, description="Only pending handovers past the group's target")


class WatcherIn(StrictSchema):
    user: int


class TimelineEntryOut(Schema):
    id: int
    at: datetime
    actor: UserBrief | None
    action: str
    changes: dict[str, list[Any]]
    comment: str


class GroupFiguresOut(Schema):
    group: GroupBrief
    received: int
    accepted: int
    rejected: int
    pending: int
    sent: int
    mean_seconds_to_accept: float | None
    ping_pong_incidents: int


class AttachmentOut(Schema):
    id: int
    incident: str
    file_name: str
    content_type: str
    size: int
    visibility: Visibility
    uploaded_by: UserBrief | None
    created_at: datetime
    download: str = Field(description="Path that serves the file (after a permission check)")


class MajorIn(StrictSchema):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
    manager: int = Field(description="The major-incident manager (IT staff)")


class UpdateIn(StrictSchema):
    body: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]
        | None
    ) = Field(
        None,
        description="The update as written; left out (or the template unchanged), each reader "
        "reads the template of `kind` in their own language",
    )
    kind: UpdateKind = Field(UpdateKind.PROGRESS, description="initial, progress or resolved")


class CommunicationPlanIn(StrictSchema):
    """A change to the communication plan: only the fields sent change."""

    version: Version
    cadence_minutes: int | None = Field(
        None, ge=CADENCE_MIN, le=CADENCE_MAX, description="Minutes between updates"
    )
    customer_channel: Literal["email", "none"] | None = Field(
        None, description="The customers' contacts of the affected services (e-mail only)"
    )
    stakeholders: list[Id] | None = Field(None, max_length=200, description="Named users")
    stakeholder_channel: Channel | None = None
    desk_group: Id | None = Field(
        None, description="The service desk group told of every update; null: none"
    )
    desk_channel: Channel | None = None


class PlanContactOut(Schema):
    name: str
    email: str
    organization: str
    language: str


class CommunicationPlanOut(Schema):
    version: int
    cadence_minutes: int
    customer_channel: Channel
    customers: list[PlanContactOut] = Field(
        description="Who the customer audience is now: the customers' contacts of the services"
    )
    stakeholders: list[UserBrief]
    stakeholder_channel: Channel
    desk_group: GroupBrief | None
    desk_channel: Channel
    next_update_due: datetime | None = Field(description="None once the resolved update is sent")
    overdue: bool


class UpdateTemplateOut(Schema):
    kind: UpdateKind
    language: str
    subject: str
    body: str


class ActionIn(StrictSchema):
    description: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)
    ]
    owner: int


class ReviewIn(StrictSchema):
    cause: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]
    actions: list[ActionIn] = Field(default_factory=list, max_length=100)


class StakeholderUpdateOut(Schema):
    id: int
    author: UserBrief | None
    kind: UpdateKind
    body: str
    recipients: int
    created_at: datetime


class ActionOut(Schema):
    description: str
    owner: UserBrief


class ReviewOut(Schema):
    cause: str
    recorded_by: UserBrief | None
    recorded_at: datetime
    actions: list[ActionOut]


class MajorOut(Schema):
    incident: str
    reason: str
    manager: UserBrief
    declared_by: UserBrief | None
    declared_at: datetime
    children: list[str] = Field(description="Numbers of the linked child incidents")
    updates: list[StakeholderUpdateOut]
    review: ReviewOut | None
    plan: CommunicationPlanOut


class SavedViewIn(StrictSchema):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
    query: Annotated[str, StringConstraints(max_length=1000)] = Field(
        "", description="Query string of the incident list page: queue, q, status, priority"
    )


class SavedViewOut(Schema):
    id: int
    name: str
    query: str
    url: str


class CategoryOut(Schema):
    id: int
    name: str
    parent: int | None
    is_active: bool


class CategoryIn(StrictSchema):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
    parent: int | None = None


class MatrixCellOut(Schema):
    impact: LevelValue
    urgency: LevelValue
    priority: PriorityValue


class MatrixCellIn(StrictSchema):
    impact: LevelValue
    urgency: LevelValue
    priority: PriorityValue
