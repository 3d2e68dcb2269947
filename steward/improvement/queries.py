"""Measuring an item against its KPI: the request checked like the KPI API checks it, the
baseline's period, the live figure now and the series (read-side only; the operations store
what they freeze)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from steward.core import kpis as registry
from steward.core.errors import DomainError, ValidationError
from steward.improvement.choices import Status
from steward.reporting import queries as reporting

#: The baseline covers the 90 days before approval unless the item names another period.
BASELINE_DAYS = 90
#: The dimension filters an item may keep (those of every KPI).
FILTER_KEYS = registry.DIMENSIONS


def kpi_of(key: str) -> registry.Kpi | None:
    """The KPI ``key`` while its practice is on."""
    return registry.get_kpi(key) if key else None


def _field(exc: DomainError, prefix: str) -> ValidationError:
    fields = {}
    for name, problems in exc.fields.items():
        if name in ("from", "to"):
            name = "baseline_from" if name == "from" else "baseline_to"
        elif name in FILTER_KEYS:
            name = f"{prefix}.{name}"
        fields[name] = problems
    return ValidationError(exc.message, fields)


def check_kpi(key: str, filters: dict, start=None, end=None) -> None:
    """Refuse (422, naming the field) a KPI that is not in the catalogue, a filter it cannot
    be cut by, or a baseline period the KPI API would refuse."""
    if not key:
        if filters:
            raise ValidationError.field("kpi_filters", _("filters need a KPI"))
        if start or end:
            raise ValidationError.field("baseline_from", _("a baseline period needs a KPI"))
        return
    kpi = kpi_of(key)
    if kpi is None:
        raise ValidationError.field(
            "kpi", _("no KPI %(key)s in the catalogue") % {"key": repr(key)}
        )
    unknown = set(filters) - set(FILTER_KEYS)
    if unknown:
        raise ValidationError.field(
            "kpi_filters",
            _("unknown filters: %(names)s") % {"names": ", ".join(sorted(unknown))},
        )
    if (start is None) != (end is None):
        raise ValidationError.field(
            "baseline_to" if end is None else "baseline_from",
            _("name both ends of the baseline period, or neither"),
        )
    probe_end = end or timezone.now()
    probe_start = start or probe_end - dt.timedelta(days=BASELINE_DAYS)
    try:
        reporting.build(kpi, start=probe_start, end=probe_end, **filters)
    except DomainError as exc:
        raise _field(exc, "kpi_filters") from exc


def baseline_period(item, at: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The item's named baseline period, or the 90 days before ``at``."""
    if item.baseline_from and item.baseline_to:
        return item.baseline_from, item.baseline_to
    return at - dt.timedelta(days=BASELINE_DAYS), at


def measure(kpi: registry.Kpi, filters: dict, start, end) -> dict:
    """The KPI's value over ``[start, end)`` with the item's filters (one statement)."""
    figure = reporting.figure(reporting.build(kpi, start=start, end=end, **filters))
    return {"value": figure["value"], "count": figure["count"], "from": start, "to": end}


def period_length(item) -> dt.timedelta:
    if item.baseline_from and item.baseline_to:
        return item.baseline_to - item.baseline_from
    return dt.timedelta(days=BASELINE_DAYS)


def target_met(kpi_good: str, value, target) -> bool | None:
    if value is None or target is None:
        return None
    return value >= target if kpi_good == "up" else value <= target


def progress(item, now: dt.datetime | None = None) -> dict:
    """Baseline (frozen), now (live, over the same-length period ending now), target, and the
    KPI per week (or month) from the baseline's start to now. Without a KPI, or while its
    practice is off, only the stored figures."""
    now = now or timezone.now()
    kpi = kpi_of(item.kpi_key)
    baseline = None
    if item.baseline_captured_at is not None:
        baseline = {
            "value": item.baseline_value,
            "count": item.baseline_count or 0,
            "from": item.baseline_from,
            "to": item.baseline_to,
        }
    review = None
    if item.review_to is not None:
        review = {
            "value": item.review_value,
            "count": item.review_count or 0,
            "from": item.review_from,
            "to": item.review_to,
        }
    out = {
        "kpi": item.kpi_key or None,
        "name": str(kpi.name) if kpi else None,
        "unit": kpi.unit if kpi else (item.baseline_unit or None),
        "good": kpi.good if kpi else None,
        "filters": item.kpi_filters or {},
        "baseline": baseline,
        "now": None,
        "review": review,
        "target": item.target,
        "target_met": None,
        "series_unit": None,
        "series": [],
    }
    if kpi is None:
        return out
    length = period_length(item)
    start = max(now - length, now - dt.timedelta(days=reporting.MAX_DAYS))
    current = measure(kpi, item.kpi_filters or {}, start, now)
    out["now"] = current
    measured = review["value"] if item.status == Status.CLOSED and review else current["value"]
    out["target_met"] = target_met(kpi.good, measured, item.target)
    first = (baseline or {}).get("from") or start
    first = max(first, now - dt.timedelta(days=reporting.MAX_DAYS - 1))
    unit = "week" if now - first <= dt.timedelta(days=366) else "month"
    built = reporting.build(kpi, start=first, end=now, group_by=unit, **(item.kpi_filters or {}))
    figure = reporting.figure(built)
    out["series_unit"] = unit
    out["series"] = [
        {"key": p["key"], "value": p["value"], "count": p["count"]} for p in figure["series"]
    ]
    return out
