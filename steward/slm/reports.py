"""SLA compliance: of the resolution clocks that stopped in a period, how many met their target,
and how long resolving took in working hours, by service, priority or month."""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
from collections import defaultdict

from steward.slm.models import ClockState, Metric, SlaClock

GROUPINGS = ("service", "priority", "month")


def _percentile(values: list[int], p: float) -> float:
    """The p-th percentile by linear interpolation between closest ranks."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return float(ordered[0])
    rank = (len(ordered) - 1) * p
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def compliance(
    group_by: str = "service",
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    record_type: str = "incident",
) -> list[dict]:
    """One row per group: met, breached, met %, median and p90 working hours to resolve."""
    if group_by not in GROUPINGS:
        raise ValueError(f"group_by must be one of {GROUPINGS}")
    rows = SlaClock.objects.filter(
        record_type=record_type,
        metric=Metric.RESOLUTION,
        state__in=[ClockState.MET, ClockState.BREACHED],
        stopped_at__isnull=False,
    )
    if since:
        rows = rows.filter(stopped_at__gte=since)
    if until:
        rows = rows.filter(stopped_at__lt=until)
    groups: dict[str, dict] = defaultdict(lambda: {"met": 0, "breached": 0, "seconds": []})
    labels: dict[str, str] = {}
    values = rows.values_list(
        "service_id", "service__name", "priority", "stopped_at", "state", "elapsed_seconds"
    )
    for service_id, service_name, priority, stopped_at, state, elapsed in values.iterator():
        if group_by == "service":
            key, label = str(service_id or ""), service_name or "(no service)"
        elif group_by == "priority":
            key = label = priority or "(none)"
        else:
            key = label = stopped_at.strftime("%Y-%m")
        labels[key] = label
        g = groups[key]
        g["met" if state == ClockState.MET else "breached"] += 1
        g["seconds"].append(elapsed)
    result = []
    for key, g in groups.items():
        total = g["met"] + g["breached"]
        result.append(
            {
                "key": key,
                "label": labels[key],
                "met": g["met"],
                "breached": g["breached"],
                "total": total,
                "met_percent": round(100 * g["met"] / total, 1),
                "median_hours": round(statistics.median(g["seconds"]) / 3600, 2),
                "p90_hours": round(_percentile(g["seconds"], 0.9) / 3600, 2),
            }
        )
    return sorted(result, key=lambda r: r["label"])


def as_csv(rows: list[dict], group_by: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [group_by, "met", "breached", "total", "met_percent", "median_hours", "p90_hours"]
    )
    for r in rows:
        writer.writerow(
            [
                r["label"],
                r["met"],
                r["breached"],
                r["total"],
                r["met_percent"],
                r["median_hours"],
                r["p90_hours"],
            ]
        )
    return out.getvalue()
