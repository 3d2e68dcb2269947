"""API schemas of the improvement register."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, AwareDatetime, StringConstraints

from steward.core.api_input import SINGLE_LINE, Id, QuerySchema, StrictSchema
from steward.improvement.choices import Outcome, Status
from steward.improvement.lists import SORTS, VIEWS
from steward.people.schemas import UserBrief, Version

EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


def _instant_in_range(value: dt.datetime) -> dt.datetime:
    if not EARLIEST <= value <= LATEST:
        raise ValueError("must lie between 2000-01-01 and 2100-01-01")
    return value.astimezone(dt.UTC)


def _day_in_range(value: dt.date) -> dt.date:
    if not EARLIEST.date() <= value <= LATEST.date():
        raise ValueError("must lie between 2000-01-01 and 2100-01-01")
    return value


Instant = Annotated[
    AwareDatetime,
    AfterValidator(_instant_in_range),
    Field(description="UTC ISO 8601 with an offset, e.g. 2026-04-24T00:00:00Z"),
]
Day = Annotated[dt.date, AfterValidator(_day_in_range), Field(description="An ISO date")]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
SingleTitle = Annotated[Title, SINGLE_LINE]
Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]
Reason = Annotated[str, StringConstraints(max_length=2000)]
Source = Annotated[str, StringConstraints(max_length=40), SINGLE_LINE]
KpiKey = Annotated[
    str, StringConstraints(max_length=60, pattern=r"^([a-z][a-z0-9_]*)?$"), SINGLE_LINE
]
Target = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=-1e12, le=1e12)]
SortKey = Literal[tuple(k for key in SORTS for k in (key, f"-{key}"))]  # type: ignore[valid-type]


class KpiFilters(StrictSchema):
    """The KPI's dimensions the item is measured under (as ``GET /api/v1/kpis/{key}``)."""

    service: Id | None = None
    group: Id | None = None
    priority: Annotated[int, Field(ge=1, le=5)] | None = None
    organization: Id | None = None


class ItemCreate(StrictSchema):
    title: SingleTitle
    problem: Body = Field(description="The problem statement")
    owner: Id | None = Field(None, description="The accountable owner (IT staff set it)")
    service: Id | None = None
    public: bool = Field(False, description="Shown to everyone who signs in (IT staff set it)")
    source: Source = Field("", description="Where it came from, e.g. a major incident's number")
    kpi: KpiKey = Field("", description="The key of the KPI it aims to move")
    kpi_filters: KpiFilters | None = None
    baseline_from: Instant | None = Field(
        None, description="The baseline period's start; default: 90 days before approval"
    )
    baseline_to: Instant | None = None
    target: Target | None = Field(None, description="The KPI value aimed for, in its unit")
    due_date: Day | None = None


class ItemUpdate(StrictSchema):
    version: Version
    title: SingleTitle = None
    problem: Body = None
    owner: Id | None = None
    service: Id | None = None
    public: bool = None
    source: Source = None
    kpi: KpiKey = None
    kpi_filters: KpiFilters | None = None
    baseline_from: Instant | None = None
    baseline_to: Instant | None = None
    target: Target | None = None
    due_date: Day | None = None


class ImprovementTransitionIn(StrictSchema):
    to: Status
    version: Version
    outcome: Outcome | None = Field(None, description="Closing: the outcome")
    reason: Reason = Field("", description="Why (required to abandon)")


class ImprovementCommentIn(StrictSchema):
    body: Body


class ActionCreate(StrictSchema):
    title: SingleTitle
    owner: Id | None = None
    due_date: Day | None = None


class ActionUpdate(StrictSchema):
    title: SingleTitle = None
    owner: Id | None = None
    due_date: Day | None = None
    done: bool = None


class ItemFilters(QuerySchema):
    view: Literal[VIEWS] | None = Field(  # type: ignore[valid-type]
        None, description="open (not closed), all, or mine (I own or proposed)"
    )
    status: Status | None = None
    owner: Id | None = None
    service: Id | None = None
    kpi: KpiKey | None = None
    q: Annotated[str, StringConstraints(max_length=200)] | None = None
    sort: SortKey | None = Field(None, description="A sort key; '-' first for descending")


class Ref(Schema):
    id: int
    name: str


class Measured(Schema):
    value: int | float | None = Field(description="In the KPI's unit; null: nothing measured")
    count: int = Field(description="How many records are behind the value")
    from_: dt.datetime = Field(alias="from")
    to: dt.datetime


class ImprovementActionOut(Schema):
    id: int
    title: str
    owner: UserBrief | None
    due_date: dt.date | None
    done: bool
    done_at: dt.datetime | None


class ItemOut(Schema):
    id: int
    number: str
    url: str
    title: str
    problem: str
    status: Status
    proposer: UserBrief | None
    owner: UserBrief | None
    service: Ref | None
    public: bool
    source: str
    kpi: str | None
    kpi_filters: dict[str, int]
    target: float | None
    due_date: dt.date | None
    baseline: Measured | None = Field(description="Captured at approval, then frozen")
    review: Measured | None = Field(description="Frozen when the benefits review started")
    approved_at: dt.datetime | None
    outcome: Outcome | None
    outcome_reason: str
    closed_at: dt.datetime | None
    votes: int
    voted: bool = Field(description="Whether you voted for it")
    actions: list[ImprovementActionOut]
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int


class ItemBrief(Schema):
    id: int
    number: str
    url: str
    title: str
    status: Status
    owner: UserBrief | None
    service: Ref | None
    kpi: str | None
    target: float | None
    due_date: dt.date | None
    votes: int
    updated_at: dt.datetime
    version: int


class ImprovementCommentOut(Schema):
    id: int
    author: UserBrief | None
    body: str
    created_at: dt.datetime


class VotesOut(Schema):
    votes: int
    voted: bool


class Point(Schema):
    key: str = Field(description="The first day of the week or month (YYYY-MM-DD)")
    value: int | float | None
    count: int


class ProgressOut(Schema):
    kpi: str | None
    name: str | None
    unit: str | None
    good: str | None
    filters: dict[str, int]
    baseline: Measured | None = Field(description="Frozen at approval")
    now: Measured | None = Field(description="Live, over the same-length period ending now")
    review: Measured | None = Field(description="Frozen at the benefits review")
    target: float | None
    target_met: bool | None = Field(
        description="Whether now (the review's figure once closed) reaches the target"
    )
    series_unit: Literal["week", "month"] | None
    series: list[Point] = Field(description="The KPI per week or month since the baseline began")
