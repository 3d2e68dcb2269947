"""API schemas of the KPI catalogue."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema

from steward.core.api_input import Id, Moment, QuerySchema
from steward.core.kpis import GROUPINGS

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
