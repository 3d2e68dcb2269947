"""Reading KPIs for the API and the pages: a request's filters in, the figure with labels out.

Reporting reads the KPIs that the practices registered (``core.kpis``) and never imports a
practice; the labels of the dimensions come from the platform (services, groups,
organizations). Only IT staff read KPIs (:func:`may_read`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from steward.core import kpis as registry
from steward.core.errors import NotFound, PermissionDenied, ValidationError
from steward.people.models import Organization, SupportGroup
from steward.services.models import Service

#: The default period: the last 30 days up to the end of today (UTC).
DEFAULT_DAYS = 30
#: The longest period one request may cover.
MAX_DAYS = 3 * 366


def may_read(user) -> bool:
    return bool(user and user.is_authenticated and user.is_it)


def require_reader(user) -> None:
    if not may_read(user):
        raise PermissionDenied("KPIs are for IT staff.")


def kpi_or_404(key: str) -> registry.Kpi:
    kpi = registry.get_kpi(key)
    if kpi is None:
        raise NotFound(f"No KPI {key!r} (or its practice is switched off).")
    return kpi


def default_period(now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    today = (now or timezone.now()).astimezone(dt.UTC).date()
    end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    return end - dt.timedelta(days=DEFAULT_DAYS), end


@dataclass
class Request:
    """What a reader asked for, checked against the KPI (:func:`build`)."""

    kpi: registry.Kpi
    query: registry.Query
    filters: dict = field(default_factory=dict)


def build(kpi: registry.Kpi, *, start=None, end=None, group_by="", **filters) -> Request:
    """Check a request against the KPI: a period that ends after it starts and is at most
    ``MAX_DAYS`` long, filters and grouping among the KPI's dimensions, and at most
    ``core.kpis.MAX_BUCKETS`` buckets. Problems are a 422 naming the field."""
    if end is None:
        end = start + dt.timedelta(days=DEFAULT_DAYS) if start else default_period()[1]
    if start is None:
        start = end - dt.timedelta(days=DEFAULT_DAYS)
    if end <= start:
        raise ValidationError.field("to", "must be after from")
    if end - start > dt.timedelta(days=MAX_DAYS):
        raise ValidationError.field("to", f"the period may cover at most {MAX_DAYS} days")
    for name, value in filters.items():
        if value is not None and name not in kpi.dimensions:
            raise ValidationError.field(
                name, f"{kpi.key} cannot be cut by {name}: it has {', '.join(kpi.dimensions)}"
            )
    if group_by and group_by not in kpi.groupings:
        raise ValidationError.field(
            "group_by", f"{kpi.key} can be grouped by {', '.join(kpi.groupings)}"
        )
    if (
        group_by in registry.TIME_BUCKETS
        and len(registry.buckets(group_by, start, end)) > registry.MAX_BUCKETS
    ):
        raise ValidationError.field(
            "group_by", f"more than {registry.MAX_BUCKETS} buckets: group by a longer unit"
        )
    chosen = {k: v for k, v in filters.items() if v is not None}
    return Request(kpi, registry.Query(start, end, chosen, group_by or ""), chosen)


_LABELS = {
    "service": lambda ids: dict(Service.objects.filter(pk__in=ids).values_list("pk", "name")),
    "group": lambda ids: dict(SupportGroup.objects.filter(pk__in=ids).values_list("pk", "name")),
    "organization": lambda ids: dict(
        Organization.objects.filter(pk__in=ids).values_list("pk", "name")
    ),
}


def _labels(group_by: str, series: list[dict]) -> None:
    """Give each point of a series its label (one query for a dimension's names)."""
    if group_by in _LABELS:
        ids = [int(p["key"]) for p in series if p["key"] not in ("", None)]
        names = _LABELS[group_by](ids)
        for p in series:
            p["label"] = names.get(int(p["key"]), p["key"]) if p["key"] else _("(none)")
    elif group_by == "priority":
        for p in series:
            p["label"] = f"P{p['key']}" if p["key"] else _("(none)")
    else:
        for p in series:
            p["label"] = p["key"]
    if group_by in _LABELS or group_by == "priority":
        series.sort(key=lambda p: (-(p["value"] or 0), str(p["label"])))


def figure(request: Request) -> dict:
    """The KPI computed for the request, as the API answers it."""
    kpi, query = request.kpi, request.query
    result = registry.compute(kpi, query)
    _labels(query.group_by, result.series)
    return {
        "key": kpi.key,
        "name": str(kpi.name),
        "unit": kpi.unit,
        "good": kpi.good,
        "value": result.value,
        "count": result.count,
        "previous": result.previous,
        "previous_count": result.previous_count,
        "change": trend(result.value, result.previous),
        "from": query.start,
        "to": query.end,
        "previous_from": query.previous_start,
        "previous_to": query.start,
        "group_by": query.group_by or None,
        "filters": request.filters,
        "series": result.series,
    }


def trend(value, previous) -> float | None:
    """The change from the previous period (in the KPI's unit), or None without both."""
    if value is None or previous is None:
        return None
    return round(value - previous, 2)


def definition(kpi: registry.Kpi) -> dict:
    return {
        "key": kpi.key,
        "name": str(kpi.name),
        "description": str(kpi.description),
        "formula": str(kpi.formula),
        "unit": kpi.unit,
        "good": kpi.good,
        "dimensions": list(kpi.dimensions),
        "group_by": list(kpi.groupings),
        "snapshot": kpi.snapshot,
        "records": str(kpi.records_label),
    }
