"""API schemas of service reviews (output only: the two endpoints are reads)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from steward.core.api_support import NamedRef
from steward.people.schemas import UserBrief

#: ``yyyy-mm`` from 2000-01 (a month that has not ended has no review yet: 404).
MonthText = Annotated[
    str, StringConstraints(pattern=r"^2[0-9]{3}-(0[1-9]|1[0-2])$", min_length=7, max_length=7)
]


class FigureOut(Schema):
    key: str = Field(description="The KPI (see GET /api/v1/kpis)")
    name: str
    description: str
    unit: Literal["count", "percent", "hours", "ratio"]
    good: Literal["up", "down"]
    value: int | float | None = Field(description="This month, in the unit")
    previous: int | float | None = Field(description="The month before")
    change: int | float | None
    direction: Literal["better", "worse", "same"]
    count: int = Field(description="How many records are behind the value")
    url: str = Field(description="The KPI's page for the service and the month")


class SectionOut(Schema):
    key: str = Field(description="service_levels, volumes, handovers, or a practice's key")
    title: str
    figures: list[FigureOut]


class MajorIncidentOut(Schema):
    number: str
    title: str
    url: str
    raised_at: dt.datetime
    resolved_at: dt.datetime | None
    outage_minutes: float = Field(description="Minutes of the outage within the month")


class AvailabilityOut(Schema):
    percent: float = Field(description="100 × (1 − outage minutes ÷ minutes in the month)")
    outage_minutes: float = Field(
        description="From the service's major incidents, raised to resolved, overlaps once"
    )
    minutes: float
    major_incidents: list[MajorIncidentOut]


class AgreementOut(Schema):
    sla: NamedRef
    metric: str
    metric_label: str
    target_hours: float = Field(description="The target in working hours")
    met: int
    breached: int
    met_percent: float


class TrendOut(Schema):
    key: str
    label: str
    raised: int
    resolved: int


class CountOut(Schema):
    name: str | None = Field(description="null: incidents without one")
    count: int


class ImprovementOut(Schema):
    number: str
    title: str
    status: str
    status_label: str
    owner: UserBrief | None
    due_date: dt.date | None
    kpi: str = Field(description="The KPI it aims to move (empty: none)")
    url: str


class ReviewRecordOut(Schema):
    sent_at: dt.datetime | None
    acknowledged_by: UserBrief | None
    acknowledged_at: dt.datetime | None
    version: int


class ServiceReviewOut(Schema):
    service: NamedRef
    owner: UserBrief
    month: str = Field(description="yyyy-mm")
    from_: dt.datetime = Field(alias="from")
    to: dt.datetime
    review: ReviewRecordOut | None = Field(
        description="What happened to the review (sent, acknowledged); null before it is sent"
    )
    availability: AvailabilityOut | None = Field(description="null while incidents are off")
    agreements: list[AgreementOut]
    sections: list[SectionOut]
    trend: list[TrendOut] = Field(description="Incidents raised and resolved, last 6 months")
    top_categories: list[CountOut]
    top_cis: list[CountOut]
    improvements: list[ImprovementOut] | None = Field(
        description="Improvement items on the service; null without the improvement register"
    )
