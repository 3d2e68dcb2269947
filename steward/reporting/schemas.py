"""API schemas of the KPI catalogue."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from steward.core.api_input import SINGLE_LINE, Id, Moment, QuerySchema
from steward.core.api_support import StrictSchema
from steward.core.kpis import GROUPINGS
from steward.people.schemas import UserBrief, Version

GroupBy = Literal[GROUPINGS]  # type: ignore[valid-type]


class KpiDefinitionOut(Schema):
    key: str
    name: str
    description: str
    formula: str = Field(description="The formula in words")
    unit: Literal["count", "percent", "hours", "ratio"]
    good: Literal["up", "down"] = Field(description="Which direction is better")
    dimensions: list[str] = Field(description="What it can be filtered and grouped by")
    group_by: list[str] = Field(description="Every group_by it accepts")
    snapshot: bool = Field(description="Measured at an instant (the end of the period)")
    records: str = Field(description="What the records behind its figures are")


class KpiListOut(Schema):
    count: int
    items: list[KpiDefinitionOut]


class KpiQuery(QuerySchema):
    from_: Moment | None = Field(
        None, alias="from", description="Start of the period (ISO 8601); default 30 days before to"
    )
    to: Moment | None = Field(None, description="End of the period, excluded; default end of today")
    service: Id | None = None
    group: Id | None = Field(None, description="Support group (for handovers: the receiving one)")
    priority: Annotated[int, Field(ge=1, le=5)] | None = None
    organization: Id | None = Field(None, description="Customer organization of the caller")
    group_by: GroupBy | None = Field(None, description="A dimension, or day, week or month (UTC)")


class KpiPoint(Schema):
    key: str = Field(description="The bucket's first day (YYYY-MM-DD) or the dimension's id")
    label: str
    value: int | float | None
    count: int = Field(description="How many records are behind the value")


class KpiValueOut(Schema):
    key: str
    name: str
    unit: str
    good: str
    value: int | float | None = Field(description="In the unit; null when nothing was measured")
    count: int = Field(description="How many records are behind the value")
    previous: int | float | None = Field(
        description="The value over the previous period of equal length"
    )
    previous_count: int
    change: int | float | None = Field(description="value − previous")
    from_: dt.datetime = Field(alias="from")
    to: dt.datetime
    previous_from: dt.datetime
    previous_to: dt.datetime
    group_by: str | None
    filters: dict[str, int]
    series: list[KpiPoint]


# --- dashboards ----------------------------------------------------------------------------------

DashboardName = Annotated[str, StringConstraints(min_length=1, max_length=120), SINGLE_LINE]
WidgetTitle = Annotated[str, StringConstraints(max_length=120), SINGLE_LINE]
KpiKeyIn = Annotated[
    str, StringConstraints(min_length=1, max_length=60, pattern=r"^[a-z][a-z0-9_]*$")
]
WidgetKindIn = Literal["figure", "series", "bars", "table", "records"]
PeriodIn = Literal["last_7_days", "last_30_days", "last_90_days", "month_to_date", "last_month"]
Priority = Annotated[int, Field(ge=1, le=5)]
RoleKey = Literal["agent", "group_manager", "service_owner", "process_owner", "it_manager"]


class NamedRefOut(Schema):
    id: int
    name: str


class DashboardCreate(StrictSchema):
    name: DashboardName
    shared_with: Id | None = Field(
        None, description="A support group whose members (and manager) may read it"
    )


class DashboardUpdate(StrictSchema):
    version: Version
    name: DashboardName = None  # type: ignore[assignment]
    shared_with: Id | None = Field(None, description="A support group; null stops sharing")


class WidgetCreate(StrictSchema):
    version: Version = Field(description="The dashboard's version you read")
    kind: WidgetKindIn
    kpi: KpiKeyIn = Field(description="A KPI's key (GET /api/v1/kpis)")
    title: WidgetTitle = Field("", description="Empty: the KPI's name")
    period: PeriodIn = "last_30_days"
    service: Id | None = None
    group: Id | None = None
    priority: Priority | None = None
    organization: Id | None = None
    group_by: GroupBy | None = Field(
        None,
        description="series: day, week or month; bars: a dimension; table: either; "
        "figure and records: none",
    )


class WidgetUpdate(StrictSchema):
    version: Version = Field(description="The dashboard's version you read")
    kind: WidgetKindIn = None  # type: ignore[assignment]
    kpi: KpiKeyIn = None  # type: ignore[assignment]
    title: WidgetTitle = None  # type: ignore[assignment]
    period: PeriodIn = None  # type: ignore[assignment]
    service: Id | None = None
    group: Id | None = None
    priority: Priority | None = None
    organization: Id | None = None
    group_by: GroupBy | None = None


class WidgetMove(StrictSchema):
    version: Version = Field(description="The dashboard's version you read")
    position: Annotated[int, Field(ge=1, le=1000)] = Field(
        description="1 is first; past the end is last"
    )


class VersionQuery(QuerySchema):
    version: Version


class WidgetOut(Schema):
    id: int | None = Field(description="null on a role default (not stored)")
    position: int
    kind: str
    title: str
    kpi: str
    kpi_name: str
    period: str
    service: int | None
    group: int | None
    priority: int | None
    organization: int | None
    group_by: str | None


class DashboardOut(Schema):
    id: int
    name: str
    owner: UserBrief
    shared_with: NamedRefOut | None
    editable: bool = Field(description="Whether you may change it (you own it)")
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    widgets: list[WidgetOut]


class DefaultDashboardOut(Schema):
    role: RoleKey
    role_label: str
    name: str
    widgets: list[WidgetOut]


class DefaultDashboardList(Schema):
    count: int
    items: list[DefaultDashboardOut]


class DefaultCopy(StrictSchema):
    name: DashboardName = None  # type: ignore[assignment]


class RecordOut(Schema):
    label: str
    url: str
    details: str


class RecordsOut(Schema):
    count: int
    items: list[RecordOut]


class WidgetDataOut(Schema):
    widget: WidgetOut
    title: str
    figure: KpiValueOut
    records: RecordsOut | None = Field(description="The first records (a list-of-records widget)")
