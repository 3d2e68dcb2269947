"""The approvals API's input and output schemas (names prefixed: ``Approval…``,
``Delegation…``, unique across apps)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from steward.approvals.choices import Decision, Kind, Mode, State
from steward.core.api_input import SINGLE_LINE, Id, QuerySchema, StrictSchema
from steward.core.api_support import NamedRef
from steward.people.schemas import UserBrief

Comment = Annotated[str, StringConstraints(max_length=4000)]
Reason = Annotated[str, StringConstraints(max_length=200), SINGLE_LINE]


class ApprovalQuery(QuerySchema):
    state: Literal["pending", "decided", "all"] = Field(
        "pending",
        description="pending: what awaits my decision now; decided: steps I decided; all: "
        "every step I was asked on or decided",
    )


class ApproverOut(Schema):
    id: int
    user: UserBrief
    kind: Kind
    decision: Decision
    decided_by: UserBrief | None
    on_behalf_of: UserBrief | None
    comment: str
    decided_at: dt.datetime | None


class ApprovalOut(Schema):
    id: int
    subject_type: str = Field(description='The record asked on, e.g. "fulfilment.requesteditem"')
    subject_id: int
    subject_label: str
    link: str = Field(description="Where the record is shown to you")
    round: int
    step: int
    name: str
    mode: Mode
    quorum: int
    group: NamedRef | None
    role: str
    state: State
    requested_at: dt.datetime
    decided_at: dt.datetime | None
    remind_at: dt.datetime | None
    escalate_at: dt.datetime | None
    escalated_at: dt.datetime | None
    requested_by: UserBrief | None
    may_decide: bool = Field(description="Whether you may decide this step now")
    approvers: list[ApproverOut]
    version: int


class ApprovalDecisionIn(StrictSchema):
    decision: Literal["approved", "rejected"]
    comment: Comment = Field("", description="Required when rejecting: the reason")
    version: Id | None = Field(None, description="The version you read; a stale one gets 409")


class DelegationOut(Schema):
    id: int
    user: UserBrief
    delegate: UserBrief
    starts_at: dt.datetime
    ends_at: dt.datetime
    reason: str
    active: bool
    created_by: UserBrief | None
    version: int


class DelegationIn(StrictSchema):
    delegate: Id = Field(description="The user id of who stands in")
    starts_at: dt.datetime | None = Field(None, description="Default: now")
    ends_at: dt.datetime
    reason: Reason = ""
    user: Id | None = Field(
        None, description="Whose approvals (administrators only; default: your own)"
    )


class DelegationQuery(QuerySchema):
    active: bool | None = Field(None, description="Only those running now (true) or not")
