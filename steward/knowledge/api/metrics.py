"""``GET /api/v1/knowledge/metrics``: the knowledge measures over a period, in total and per
agent, group, service, category or month (``knowledge.measures`` defines each). IT staff only:
a requester is refused (403) before anything is counted."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Query, Router, Schema

from steward.core.api_input import Moment, QuerySchema
from steward.core.api_support import ERRORS
from steward.core.errors import PermissionDenied
from steward.knowledge import measures

router = Router(tags=["knowledge"])


class KnowledgeMetricsQuery(QuerySchema):
    from_: Moment | None = Field(
        None,
        alias="from",
        description="Start of the period (ISO 8601); default the start of the current UTC month",
    )
    to: Moment | None = Field(
        None, description="End of the period, excluded; default a month after from"
    )
    by: Literal["agent", "group", "service", "category", "month"] | None = Field(
        None, description="Cut the figures by a dimension (one row per key); none: totals only"
    )


class KnowledgeLinkRateOut(Schema):
    resolved: int = Field(description="Incidents resolved in the period")
    linked: int = Field(description="Of those, with at least one linked article")
    rate: float | None = Field(description="linked ÷ resolved, in percent")


class KnowledgeLinksOut(Schema):
    reuse: int = Field(description="Links to an article that existed before the incident")
    create: int = Field(description="Links to an article written from the incident")
    total: int
    reuse_share: float | None = Field(description="reuse ÷ total, in percent")


class KnowledgeParticipationOut(Schema):
    active: int = Field(
        description="IT staff with any incident work in the period, or who linked or wrote"
    )
    participating: int = Field(description="Of those, who linked an article or wrote one")
    rate: float | None = Field(description="participating ÷ active, in percent")


class KnowledgeDurationOut(Schema):
    count: int
    median_hours: float | None
    mean_hours: float | None


class KnowledgeCitationsOut(Schema):
    links: int = Field(description="Links made in the period")
    articles: int = Field(description="Articles available in the period (not archived)")
    per_article: float | None = Field(description="links ÷ articles")


class KnowledgeSelfServiceOut(Schema):
    searches: int = Field(description="Portal searches at least 24 hours old")
    successful: int = Field(description="Of those, followed by no incident within 24 hours")
    rate: float | None = Field(description="successful ÷ searches, in percent")


class KnowledgeDeflectionOut(Schema):
    views: int = Field(description="Portal article views at least 24 hours old")
    deflected: int = Field(description="Of those, followed by no incident within 24 hours")
    rate: float | None = Field(description="deflected ÷ views, in percent")


class KnowledgeAqiOut(Schema):
    reviews: int = Field(description="Coaches' checklist reviews in the period")
    index: float | None = Field(
        description="Article Quality Index: 100 × (1 − Σ weight × defects ÷ (reviews × Σ weights))"
    )


class KnowledgeFiguresOut(Schema):
    link_rate: KnowledgeLinkRateOut
    links: KnowledgeLinksOut
    participation: KnowledgeParticipationOut
    time_to_validate: KnowledgeDurationOut = Field(description="Created → first validated")
    time_to_external: KnowledgeDurationOut = Field(description="Created → first external")
    citations: KnowledgeCitationsOut
    flag_resolution: KnowledgeDurationOut = Field(description="Flag raised → fixed or dismissed")
    self_service: KnowledgeSelfServiceOut
    deflection: KnowledgeDeflectionOut
    aqi: KnowledgeAqiOut


class KnowledgeMetricsRowOut(Schema):
    """The figures of one key; a measure that is not cut by the dimension is null (a portal
    search has no agent, group, service or category)."""

    key: str = Field(
        description="The agent's, group's, service's or category's id (0: none), or the month "
        "(YYYY-MM-01)"
    )
    label: str
    link_rate: KnowledgeLinkRateOut | None
    links: KnowledgeLinksOut | None
    participation: KnowledgeParticipationOut | None
    time_to_validate: KnowledgeDurationOut | None
    time_to_external: KnowledgeDurationOut | None
    citations: KnowledgeCitationsOut | None
    flag_resolution: KnowledgeDurationOut | None
    self_service: KnowledgeSelfServiceOut | None
    deflection: KnowledgeDeflectionOut | None
    aqi: KnowledgeAqiOut | None


class KnowledgeMetricsOut(Schema):
    from_: dt.datetime = Field(alias="from")
    to: dt.datetime
    by: str | None
    totals: KnowledgeFiguresOut
    rows: list[KnowledgeMetricsRowOut]


def require_reader(user) -> None:
    """IT staff only: nothing is counted for anyone else."""
    if user is None or not user.is_authenticated or not user.is_it:
        raise PermissionDenied("The knowledge measures are for IT staff.")


def metrics_out(report: measures.Report) -> dict:
    return {
        "from": report.period.start,
        "to": report.period.end,
        "by": report.by or None,
        "totals": report.totals,
        "rows": [{"key": row.key, "label": row.label, **row.figures} for row in report.rows],
    }


@router.get(
    "/knowledge/metrics",
    response={200: KnowledgeMetricsOut, **ERRORS},
    summary="The knowledge measures over a period, in total and by a dimension (IT staff)",
    by_alias=True,
)
def knowledge_metrics(request, filters: Query[KnowledgeMetricsQuery]):
    """Link rate, reuse vs create, participation, time to validate and to external, citations
    per article, flag resolution time, self-service success, deflection and the Article
    Quality Index over ``[from, to)`` (at most two years), with ``by`` one row per agent,
    group, service, category or UTC month."""
    require_reader(request.auth)
    period = measures.checked_period(filters.from_, filters.to)
    return metrics_out(measures.report(period, filters.by or ""))
