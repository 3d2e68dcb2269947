"""API schemas of the problems app."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from steward.core.api_input import SINGLE_LINE, Id, Moment, QuerySchema, StrictSchema
from steward.core.api_support import NamedRef
from steward.incidents.choices import Visibility
from steward.people.schemas import GroupBrief, UserBrief, Version
from steward.problems.choices import Category, CauseCategory, RcaMethod, Status

Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), SINGLE_LINE
]
Text = Annotated[str, StringConstraints(max_length=20_000)]
Line = Annotated[str, StringConstraints(max_length=2_000)]
Reason = Annotated[str, StringConstraints(max_length=200), SINGLE_LINE]
Number = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{3}\d{1,12}$", max_length=16)]
LevelValue = Literal[1, 2, 3]
PriorityValue = Literal[1, 2, 3, 4, 5]
IdList = Annotated[list[Id], Field(max_length=200)]


class RcaIn(StrictSchema):
    version: Version
    method: RcaMethod
    whys: Annotated[list[Line], Field(max_length=50)] = Field(
        [], description="The chain of whys (5 whys) or causal chain (timeline), in order"
    )
    causes: dict[CauseCategory, Annotated[list[Line], Field(max_length=50)]] = Field(
        {}, description="Fishbone: causes by category"
    )
    root_cause: Text = ""
    contributing_factors: Annotated[list[Line], Field(max_length=50)] = []
    evidence: Annotated[list[Line], Field(max_length=50)] = Field(
        [], description="Links (http or https) to evidence"
    )


class RcaOut(Schema):
    method: RcaMethod
    whys: list[str]
    causes: dict[str, list[str]]
    root_cause: str
    contributing_factors: list[str]
    evidence: list[str]
    recorded_by: UserBrief | None
    updated_at: datetime


class ProblemCreate(StrictSchema):
    title: Title
    statement: Text = ""
    owning_group: Id | None = Field(
        None, description="Default: the owning group of the first incident given"
    )
    owner: Id | None = Field(None, description="The problem owner (accountable)")
    impact: LevelValue = 2
    urgency: LevelValue = 2
    services: IdList = []
    cis: IdList = []
    category: Id | None = None
    incidents: Annotated[list[Number], Field(max_length=200)] = Field(
        [], description="Incident numbers to link (raising the problem from them)"
    )


class ProblemUpdate(StrictSchema):
    version: Version
    title: Title = None
    statement: Text | None = None
    owning_group: Id = None
    owner: Id | None = Field(None, description="null leaves the problem without owner (a gap)")
    impact: LevelValue = None
    urgency: LevelValue = None
    services: IdList = None
    cis: IdList = None
    category: Id | None = None
    known_error: bool = Field(
        None,
        description="Publish (true) or retire (false) the known error; publishing needs root "
        "cause analysis onwards, a recorded root cause and a workaround",
    )
    workaround: Text | None = None


class ProblemTransitionIn(StrictSchema):
    to: Status
    version: Version | None = None
    fix_description: Text | None = Field(None, description="Resolving: what fixed it")
    fix_change: Number | None = Field(
        None,
        description="Resolving while the changes practice is on: the number of the change that "
        "fixed it (closed successful)",
    )
    no_fix_reason: Text | None = Field(None, description="Resolving: why no fix is needed")
    cancel_reason: Reason | None = Field(None, description="Cancelling: why")
    comment: Text | None = None


class LinkIn(StrictSchema):
    numbers: Annotated[list[Number], Field(min_length=1, max_length=200)]


class WorkaroundIn(StrictSchema):
    problem: Number = Field(description="The known error's problem number")
    visibility: Visibility = Visibility.INTERNAL
    version: Version | None = Field(None, description="The incident's version you read")


class ResolveIncidentsIn(StrictSchema):
    numbers: Annotated[list[Number], Field(max_length=1000)] | None = Field(
        None, description="Which linked open incidents; default: all of them"
    )
    version: Version | None = None


class ProblemOut(Schema):
    number: str
    title: str
    statement: str
    services: list[NamedRef]
    cis: list[NamedRef]
    category: NamedRef | None
    owner: UserBrief | None
    owning_group: GroupBrief
    impact: LevelValue
    urgency: LevelValue
    priority: PriorityValue
    status: Status
    status_category: Category
    known_error: bool
    workaround: str
    fix_description: str
    fix_change: str | None = Field(description="The number of the change that fixed it")
    no_fix_reason: str
    cancel_reason: str
    rca: RcaOut | None
    incident_count: int
    workaround_uses: int
    created_at: datetime
    updated_at: datetime
    known_error_at: datetime | None
    root_cause_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    version: int


class ProblemFilters(QuerySchema):
    queue: Literal["open", "mine", "unowned", "known_errors", "all"] | None = None
    status: Status | None = None
    known_error: bool | None = None
    owner: Id | None = None
    owning_group: Id | None = None
    service: Id | None = None
    ci: Id | None = None
    incident: Number | None = Field(None, description="Problems linked to this incident")
    q: Annotated[str, StringConstraints(max_length=200)] | None = None
    sort: Literal["-id", "id", "priority", "-priority"] = "-id"


class KnownErrorFilters(QuerySchema):
    service: Id | None = None
    ci: Id | None = None
    category: Id | None = None
    q: Annotated[str, StringConstraints(max_length=200)] | None = None


class KnownErrorOut(Schema):
    problem: str = Field(description="Problem number")
    title: str
    workaround: str
    status: Status
    priority: PriorityValue
    services: list[NamedRef]
    cis: list[NamedRef]
    category: NamedRef | None
    workaround_uses: int
    known_error_at: datetime | None


class WorkaroundUseOut(Schema):
    problem: str
    incident: str
    visibility: Visibility
    used_by: UserBrief | None
    used_at: datetime


class ResolvedIncidentsOut(Schema):
    problem: str
    resolved: list[str] = Field(description="The incidents resolved (each caller told once)")


class TrendFilters(QuerySchema):
    from_: Moment | None = Field(None, alias="from", description="Default: 30 days before to")
    to: Moment | None = Field(None, description="Default: now")
    min_count: int = Field(3, ge=2, le=1000, description="Recurring: at least this many")
    days: int = Field(30, ge=1, le=366, description="Recurring: within this many days")


class TrendRowOut(Schema):
    id: int
    name: str
    count: int
    hours: float
    previous_count: int
    previous_hours: float
    change: int


class RecurringOut(Schema):
    ci: NamedRef
    category: NamedRef
    count: int
    incidents: list[str]
    first: datetime
    last: datetime


class TrendsOut(Schema):
    from_: datetime = Field(alias="from")
    to: datetime
    previous_from: datetime
    previous_to: datetime
    services: list[TrendRowOut]
    cis: list[TrendRowOut]
    categories: list[TrendRowOut]
    recurring: list[RecurringOut]
