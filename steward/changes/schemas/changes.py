"""API schemas of change requests: create, change, move, the risk answers, approvals,
conflicts, the review, the incidents caused, the calendar. Class names start with ``Change``:
the OpenAPI document names schemas by class, across every app."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from steward.changes.choices import (
    ChangeImpact,
    ChangeOutcome,
    ChangeRisk,
    ChangeStatus,
    ChangeType,
)
from steward.changes.lists import QUEUES, SORTS
from steward.changes.schemas.common import (
    ChangeApprovalDecision,
    ChangeAuthorityLevel,
    ChangeConflictKind,
    Day,
    IdList,
    Instant,
    Line,
    Minutes,
    Number,
    Reason,
    Required,
    Text,
    Title,
)
from steward.core.api_input import Id, Moment, QuerySchema, StrictSchema
from steward.core.api_support import NamedRef
from steward.people.schemas import GroupBrief, UserBrief, Version

#: A change created through the API is normal or emergency; a standard one comes from a template.
CreatableType = Literal["normal", "emergency"]


class ChangeAnswerIn(StrictSchema):
    question: Id = Field(description="A risk question's id")
    answer: Id = Field(description="The id of one of that question's answers")


Answers = Annotated[list[ChangeAnswerIn], Field(max_length=200)]


class ChangeCreate(StrictSchema):
    title: Title
    type: CreatableType = Field(
        "normal", description="normal or emergency; give a template for a standard change"
    )
    template: Id | None = Field(
        None,
        description="An active standard change template: the change is standard and takes "
        "the template's plans, risk, impact, group and scope (given values win for scope)",
    )
    owning_group: Id | None = Field(None, description="Required unless a template gives it")
    description: Text = ""
    reason: Text = Field("", description="Why the change is needed")
    owner: Id | None = Field(None, description="The change owner (accountable)")
    implementer: Id | None = None
    services: IdList = []
    cis: IdList = []
    planned_start: Instant | None = None
    planned_end: Instant | None = Field(None, description="The window is [start, end)")
    implementation_plan: Text = ""
    backout_plan: Text = ""
    test_plan: Text = ""
    communication_plan: Text = ""
    impact: ChangeImpact = ChangeImpact.MEDIUM
    outage_expected: bool = False
    outage_minutes: Minutes | None = None
    answers: Answers = Field([], description="Risk questionnaire answers")


class ChangeUpdate(StrictSchema):
    version: Version
    title: Title = None
    owning_group: Id = None
    description: Text | None = None
    reason: Text | None = None
    owner: Id | None = Field(None, description="null leaves the change without owner (a gap)")
    implementer: Id | None = None
    services: IdList = None
    cis: IdList = None
    planned_start: Instant | None = None
    planned_end: Instant | None = None
    implementation_plan: Text | None = None
    backout_plan: Text | None = None
    test_plan: Text | None = None
    communication_plan: Text | None = None
    impact: ChangeImpact = None
    outage_expected: bool = None
    outage_minutes: Minutes | None = None


class ChangeTransitionIn(StrictSchema):
    to: ChangeStatus
    version: Version | None = None
    cancel_reason: Reason | None = Field(None, description="Cancelling: why")
    outcome: ChangeOutcome | None = Field(None, description="Closing: how it turned out")
    outcome_notes: Text | None = None


class ChangeRiskIn(StrictSchema):
    version: Version
    answers: Answers = Field(description="The answers; questions left out keep their answer")


class ChangeApprovalIn(StrictSchema):
    decision: ChangeApprovalDecision
    comment: Text = ""
    version: Version | None = None


class ChangeOverrideIn(StrictSchema):
    reason: Required = Field(description="Why the change may go ahead despite its conflicts")
    version: Version | None = None


class ChangeFollowUpIn(StrictSchema):
    action: Line
    owner: Id | None = Field(None, description="Who follows it up (a user id)")
    due: Day | None = None


class ChangeReviewIn(StrictSchema):
    what_happened: Required
    cause: Text = ""
    follow_ups: Annotated[list[ChangeFollowUpIn], Field(max_length=50)] = []
    version: Version | None = None


class ChangeIncidentsIn(StrictSchema):
    numbers: Annotated[list[Number], Field(min_length=1, max_length=200)] = Field(
        description="Incidents caused by this change"
    )


class ChangeRiskReasonOut(Schema):
    source: Literal["questionnaire", "rule", "template"]
    label: str
    risk: ChangeRisk


class ChangeFollowUpOut(Schema):
    action: str
    owner: UserBrief | None
    due: str | None = Field(description="An ISO date")


class ChangeReviewOut(Schema):
    what_happened: str
    cause: str
    follow_ups: list[ChangeFollowUpOut]
    recorded_by: UserBrief | None
    recorded_at: datetime


class ChangeOverrideOut(Schema):
    reason: str
    by: UserBrief | None
    at: datetime | None
    keys: list[str] = Field(description="The conflicts (their keys) the override covers")


class ChangeOut(Schema):
    number: str
    type: ChangeType
    template: NamedRef | None
    title: str
    description: str
    reason: str
    requester: UserBrief
    owner: UserBrief | None
    owning_group: GroupBrief
    implementer: UserBrief | None
    services: list[NamedRef]
    cis: list[NamedRef]
    planned_start: datetime | None
    planned_end: datetime | None
    implementation_plan: str
    backout_plan: str
    test_plan: str
    communication_plan: str
    risk: ChangeRisk
    risk_reasons: list[ChangeRiskReasonOut]
    impact: ChangeImpact
    outage_expected: bool
    outage_minutes: int | None
    tasks: list[str] = Field(
        description="A standard change's steps, in order, copied from its template when raised"
    )
    status: ChangeStatus
    approval_round: int
    rejection_reasons: str
    outcome: ChangeOutcome | None
    outcome_notes: str
    cancel_reason: str
    conflicts_override: ChangeOverrideOut | None
    review: ChangeReviewOut | None
    caused_incidents: list[str] = Field(description="Numbers of the incidents it caused")
    created_at: datetime
    updated_at: datetime
    authorized_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    closed_at: datetime | None
    version: int


class ChangeFilters(QuerySchema):
    queue: Literal[tuple(QUEUES)] | None = Field(  # type: ignore[valid-type]
        None, description="A named queue of the list page"
    )
    status: ChangeStatus | None = None
    type: ChangeType | None = None
    risk: ChangeRisk | None = None
    owner: Id | None = None
    owning_group: Id | None = None
    service: Id | None = None
    ci: Id | None = None
    template: Id | None = None
    q: Annotated[str, StringConstraints(max_length=200)] | None = None
    planned_from: Moment | None = Field(None, description="Planned to end after this moment")
    planned_to: Moment | None = Field(None, description="Planned to start before this moment")
    sort: Literal[tuple(SORTS)] = "-id"  # type: ignore[valid-type]


class ChangeApprovalOut(Schema):
    id: int
    round: int
    approver: UserBrief
    level: ChangeAuthorityLevel
    board: NamedRef | None
    decision: ChangeApprovalDecision
    comment: str
    decided_at: datetime


class ChangeAuthorizationOut(Schema):
    change: str = Field(description="The change's number")
    status: ChangeStatus
    round: int = Field(description="The current round of authorization")
    level: ChangeAuthorityLevel = Field(description="Who authorizes it (by its type and risk)")
    board: NamedRef | None
    needed: int = Field(description="Approvals needed in this round")
    complete: bool
    rejected: bool
    authorized_at: datetime | None
    approvals: list[ChangeApprovalOut] = Field(description="Every round's, oldest first")


class ChangeRefOut(Schema):
    number: str
    title: str


class ChangeConflictOut(Schema):
    key: str = Field(description="What it is about; an override covers the keys it saw")
    kind: ChangeConflictKind
    other_change: ChangeRefOut | None
    ci: NamedRef | None
    related_ci: NamedRef | None
    window: NamedRef | None
    person: UserBrief | None
    overridden: bool
    found_at: datetime


class ChangeConflictsOut(Schema):
    change: str
    blocking: int = Field(description="Conflicts not covered by an override")
    conflicts: list[ChangeConflictOut]
    override: ChangeOverrideOut | None


class ChangeCalendarFilters(QuerySchema):
    from_: Moment = Field(alias="from", description="Changes planned to end after this")
    to: Moment = Field(description="... and to start before this")
    service: Id | None = None
    ci: Id | None = None
    group: Id | None = None


class ChangeCalendarEntryOut(Schema):
    number: str
    title: str
    type: ChangeType
    status: ChangeStatus
    risk: ChangeRisk
    planned_start: datetime
    planned_end: datetime
    owning_group: GroupBrief
    owner: UserBrief | None
    implementer: UserBrief | None
    conflicts: int = Field(description="Conflicts found for it")
