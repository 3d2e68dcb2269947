"""``/api/v1/kpis``: the KPI catalogue (definitions) and one KPI computed (IT staff only)."""

from __future__ import annotations

from typing import Annotated

from ninja import Query, Router
from pydantic import StringConstraints

from steward.core.api_support import ERRORS
from steward.core.kpis import enabled_kpis
from steward.reporting import queries
from steward.reporting.schemas import KpiListOut, KpiQuery, KpiValueOut

router = Router(tags=["kpis"])

KpiKey = Annotated[
    str, StringConstraints(min_length=1, max_length=60, pattern=r"^[a-z][a-z0-9_]*$")
]


@router.get("", response={200: KpiListOut, **ERRORS}, summary="The KPI catalogue (IT staff)")
def list_kpis(request):
    """Every KPI of the practices that are on: what it means, its unit and dimensions."""
    queries.require_reader(request.auth)
    items = [queries.definition(k) for k in enabled_kpis()]
    return {"count": len(items), "items": items}


@router.get(
    "/{key}",
    response={200: KpiValueOut, **ERRORS},
    summary="One KPI over a period, with the previous period and a series (IT staff)",
    by_alias=True,
)
def get_kpi(request, key: KpiKey, filters: Query[KpiQuery]):
    """The value over ``[from, to)``, the value over the previous period of the same length,
    and, with ``group_by``, a series by dimension or by UTC day, week or month."""
    queries.require_reader(request.auth)
    kpi = queries.kpi_or_404(key)
    built = queries.build(
        kpi,
        start=filters.from_,
        end=filters.to,
        group_by=filters.group_by or "",
        service=filters.service,
        group=filters.group,
        priority=filters.priority,
        organization=filters.organization,
    )
    return queries.figure(built)
