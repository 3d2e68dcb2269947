"""The figures of a service review: one service, one month, computed from the records.

What is in it, section by section (each figure is the KPI of the practice that registered it,
read through ``reporting.queries`` with the service as filter, beside the previous month):

- **availability** — from the service's major incidents: each one is an outage from the moment
  the incident was raised to its (latest) resolution, or to the end of the month while it is
  unresolved; overlapping outages count once. Availability = 100 * (1 - outage minutes / minutes
  in the month). An honest floor, not a monitoring figure: an outage nobody declared
  major is not counted, and a major incident may be a degradation rather than an outage.
- **service levels** — the SLA KPIs, and each SLA's clocks of the month against its target;
- **volumes** — raised, resolved, backlog, MTTR..., and raised/resolved over six months;
- **top categories and CIs** of the incidents raised in the month;
- **handovers and reassignment**;
- **other practices** — every KPI that another practice (problems, changes, CSAT...) registers
  with a service dimension, one section per practice, appearing when the practice is on: the
  KPI registry is the section registry, so a new practice adds its figures without a change
  here;
- **improvement items** on the service, when the improvement register offers them.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.core import kpis as registry
from steward.core.api_support import person_brief
from steward.core.practices import enabled_practices, for_app, is_on
from steward.incidents.choices import Status
from steward.incidents.models import Incident, MajorIncident
from steward.reporting import charts, queries
from steward.reviews import periods
from steward.slm.models import ClockState, SlaClock

#: How many months the trend covers (the month reviewed and the ones before it).
TREND_MONTHS = 6
#: How many categories and CIs the review lists.
TOP = 5
#: The practices whose KPIs the fixed sections already show.
FIXED_PRACTICES = ("incidents",)


@dataclass(frozen=True)
class Section:
    """A section of figures: KPI keys (those whose practice is off are left out)."""

    key: str
    title: str
    kpis: tuple[str, ...]


SECTIONS = (
    Section(
        "service_levels",
        _("Service levels"),
        ("incident_sla_response_met", "incident_sla_resolution_met"),
    ),
    Section(
        "volumes",
        _("Volumes"),
        (
            "incidents_raised",
            "incidents_resolved",
            "incident_backlog",
            "incident_mttr",
            "incident_mttr_business",
            "incident_first_level_resolution",
            "incident_reopen_rate",
            "major_incidents",
        ),
    ),
    Section(
        "handovers",
        _("Handovers and reassignment"),
        (
            "incident_reassignment_rate",
            "incident_ping_pong_rate",
            "handover_acceptance_median",
            "handover_rejection_rate",
            "incident_ola_handover_acceptance_met",
        ),
    ),
)


def _kpi_link(kpi_key: str, service_id: int, start: dt.datetime, end: dt.datetime) -> str:
    """The KPI page for the service and the month (where the records behind it are listed)."""
    last_day = (end - dt.timedelta(days=1)).date()
    try:
        base = reverse("reporting:kpi", args=[kpi_key])
    except NoReverseMatch:
        return ""
    return f"{base}?from={start.date().isoformat()}&to={last_day.isoformat()}&service={service_id}"


def _figure(kpi: registry.Kpi, service_id: int, start, end) -> dict:
    built = queries.build(kpi, start=start, end=end, service=service_id)
    result = queries.figure(built)
    return {
        "key": kpi.key,
        "name": str(kpi.name),
        "description": str(kpi.description),
        "unit": kpi.unit,
        "good": kpi.good,
        "value": result["value"],
        "previous": result["previous"],
        "change": result["change"],
        "direction": direction(kpi.good, result["change"]),
        "count": result["count"],
        "url": _kpi_link(kpi.key, service_id, start, end),
    }


def direction(good: str, change) -> str:
    """``better``, ``worse`` or ``same`` than the previous month (words beside the figure:
    colour is never the only signal)."""
    if change is None or change == 0:
        return "same"
    return "better" if (change > 0) == (good == "up") else "worse"


def _figures(keys, service_id, start, end) -> list[dict]:
    out = []
    for key in keys:
        kpi = registry.get_kpi(key)
        if kpi is not None and "service" in kpi.dimensions:
            out.append(_figure(kpi, service_id, start, end))
    return out


def _practice_sections(service_id, start, end) -> list[dict]:
    """One section per other practice that registers KPIs a service can cut (problems,
    changes, CSAT... as they land)."""
    out = []
    for practice in enabled_practices():
        if practice.key in FIXED_PRACTICES:
            continue
        kpis = sorted(
            (k for k in practice.kpis if "service" in k.dimensions), key=lambda k: (k.order, k.key)
        )
        if kpis:
            out.append(
                {
                    "key": practice.key,
                    "title": str(practice.name),
                    "figures": [_figure(k, service_id, start, end) for k in kpis],
                }
            )
    return out


# --- availability -------------------------------------------------------------------------------


def availability(service_id: int, start: dt.datetime, end: dt.datetime, now=None) -> dict:
    """Outages from the service's major incidents, clipped to ``[start, end)`` and merged."""
    now = now or timezone.now()
    stop = min(end, now)
    majors = list(
        MajorIncident.objects.filter(incident__service_id=service_id, incident__created_at__lt=stop)
        .exclude(incident__status=Status.CANCELLED)
        .filter(Q(incident__resolved_at__isnull=True) | Q(incident__resolved_at__gt=start))
        .select_related("incident")
        .order_by("incident__created_at", "pk")
    )
    incidents, spans = [], []
    for major in majors:
        incident = major.incident
        began = max(incident.created_at, start)
        ended = min(incident.resolved_at or stop, stop)
        if ended <= began:
            continue
        spans.append((began, ended))
        incidents.append(
            {
                "number": incident.number,
                "title": incident.title,
                "url": incident.get_absolute_url(),
                "raised_at": incident.created_at,
                "resolved_at": incident.resolved_at,
                "outage_minutes": _minutes(ended - began),
            }
        )
    outage = dt.timedelta()
    merged_end = None
    for began, ended in sorted(spans):
        if merged_end is not None and began < merged_end:
            if ended > merged_end:
                outage += ended - merged_end
                merged_end = ended
            continue
        outage += ended - began
        merged_end = ended
    minutes = _minutes(end - start)
    outage_minutes = _minutes(outage)
    return {
        "percent": round(100 * (1 - outage_minutes / minutes), 3),
        "outage_minutes": outage_minutes,
        "minutes": minutes,
        "major_incidents": incidents,
    }


def _minutes(delta: dt.timedelta) -> float:
    return round(delta.total_seconds() / 60, 1)


# --- service levels -----------------------------------------------------------------------------


def agreements(service_id: int, start, end) -> list[dict]:
    """Each SLA's clocks of the service that stopped in the month, met or breached, against
    the SLA's target (cancelled clocks left out), one row per SLA, metric and target."""
    rows = (
        SlaClock.objects.filter(
            service_id=service_id,
            definition__isnull=False,
            state__in=[ClockState.MET, ClockState.BREACHED],
            stopped_at__gte=start,
            stopped_at__lt=end,
        )
        .values("definition_id", "definition__name", "metric", "target_seconds")
        .annotate(
            met=Count("pk", filter=Q(state=ClockState.MET)),
            breached=Count("pk", filter=Q(state=ClockState.BREACHED)),
        )
        .order_by("definition__name", "metric", "target_seconds")
    )
    labels = dict(SlaClock._meta.get_field("metric").choices)
    return [
        {
            "sla": {"id": r["definition_id"], "name": r["definition__name"]},
            "metric": r["metric"],
            "metric_label": str(labels.get(r["metric"], r["metric"])),
            "target_hours": round(r["target_seconds"] / 3600, 2),
            "met": r["met"],
            "breached": r["breached"],
            "met_percent": round(100 * r["met"] / (r["met"] + r["breached"]), 1),
        }
        for r in rows
    ]


# --- volumes: trend, categories, CIs ------------------------------------------------------------


def trend(service_id: int, first: dt.date) -> list[dict]:
    """Incidents raised and resolved in each of the last ``TREND_MONTHS`` months."""
    since = periods.months_back(first, TREND_MONTHS - 1)
    start = periods.bounds(since)[0]
    end = periods.bounds(first)[1]
    columns = {}
    for key in ("incidents_raised", "incidents_resolved"):
        kpi = registry.get_kpi(key)
        if kpi is None:
            return []
        built = queries.build(kpi, start=start, end=end, group_by="month", service=service_id)
        columns[key] = {p["key"]: p["value"] or 0 for p in queries.figure(built)["series"]}
    months = []
    month = since
    for _i in range(TREND_MONTHS):
        key = month.isoformat()
        months.append(
            {
                "key": key,
                "label": f"{month:%Y-%m}",
                "raised": columns["incidents_raised"].get(key, 0),
                "resolved": columns["incidents_resolved"].get(key, 0),
            }
        )
        month = periods.next_month(month)
    return months


def _top(service_id, start, end, field: str) -> list[dict]:
    rows = (
        Incident.objects.filter(service_id=service_id, created_at__gte=start, created_at__lt=end)
        .values(f"{field}__name")
        .annotate(n=Count("pk"))
        .order_by("-n", f"{field}__name")[:TOP]
    )
    return [{"name": r[f"{field}__name"], "count": r["n"]} for r in rows]


# --- improvement items --------------------------------------------------------------------------


def improvement_items(service, start, end) -> list[dict] | None:
    """The improvement items on the service that were open at some time in the month (raised
    before its end, not closed before its start), read from the improvement register while
    its practice is on; None (no section) without it."""
    practice = for_app("improvement")
    if practice is None or not is_on(practice):
        return None
    try:
        models = importlib.import_module("steward.improvement.models")
        item_model = models.ImprovementItem
    except (ImportError, AttributeError):
        return None
    rows = (
        item_model.objects.filter(service=service, created_at__lt=end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start))
        .select_related("owner")
        .order_by("due_date", "pk")[:50]
    )
    labels = dict(item_model._meta.get_field("status").choices)
    return [
        {
            "number": item.number,
            "title": item.title,
            "status": item.status,
            "status_label": str(labels.get(item.status, item.status)),
            "owner": person_brief(item.owner),
            "due_date": item.due_date,
            "kpi": item.kpi_key,
            "url": _url(item),
        }
        for item in rows
    ]


def _url(obj) -> str:
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return ""


# --- the review ---------------------------------------------------------------------------------


def build(service, first: dt.date, review=None) -> dict:
    """Every figure of the review of ``service`` for the month starting ``first``."""
    start, end = periods.bounds(first)
    sections = [
        {"key": s.key, "title": str(s.title), "figures": _figures(s.kpis, service.pk, start, end)}
        for s in SECTIONS
    ]
    sections = [s for s in sections if s["figures"]]
    sections += _practice_sections(service.pk, start, end)
    incidents_on = registry.get_kpi("incidents_raised") is not None
    return {
        "service": {"id": service.pk, "name": service.name},
        "owner": person_brief(service.owner),
        "month": f"{first:%Y-%m}",
        "from": start,
        "to": end,
        "review": _record(review),
        "availability": availability(service.pk, start, end) if incidents_on else None,
        "agreements": agreements(service.pk, start, end),
        "sections": sections,
        "trend": trend(service.pk, first),
        "top_categories": _top(service.pk, start, end, "category") if incidents_on else [],
        "top_cis": _top(service.pk, start, end, "affected_ci") if incidents_on else [],
        "improvements": improvement_items(service, start, end),
    }


def _record(review) -> dict | None:
    if review is None:
        return None
    return {
        "sent_at": review.sent_at,
        "acknowledged_by": person_brief(review.acknowledged_by)
        if review.acknowledged_by_id
        else None,
        "acknowledged_at": review.acknowledged_at,
        "version": review.version,
    }


def chart_data(report: dict) -> dict:
    """The SVG charts of the review (geometry from ``reporting.charts``): incidents raised per
    month, and the top categories."""
    out = {}
    if report["trend"]:
        series = [
            {"key": m["key"], "label": m["label"], "value": m["raised"], "count": 0}
            for m in report["trend"]
        ]
        out["trend"] = charts.columns(series, "month")
    if report["top_categories"]:
        none = str(_("(no category)"))
        series = [
            {"key": str(i), "label": c["name"] or none, "value": c["count"], "count": 0}
            for i, c in enumerate(report["top_categories"])
        ]
        out["categories"] = charts.bars(series)
    return out
