"""Service-level KPIs, read from the SLA/OLA clocks: targets met per metric, and the time to
resolve in business hours on each SLA's calendar.

Clocks run on records of any practice (``record_type``), and slm does not know those
records' tables. So these are factories: a practice that keeps clocks on its records
(incidents, later requests) calls them with its record type, the SQL join that gives the
dimensions of its records, and its drill-down, and registers the KPIs in its own
``Practice(kpis=[...])``; switching the practice off removes them with its other KPIs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from steward.core.kpis import Dialect, Kpi
from steward.slm.models import ClockState, Metric, OlaDefinition, SlaClock

_CLOCK = SlaClock._meta.db_table
_OLA = OlaDefinition._meta.db_table


@dataclass(frozen=True)
class RecordSource:
    """How a practice's records join their clocks: its table (``r``) and the columns of ``r``
    that give each dimension."""

    record_type: str
    table: str
    service: str = "r.service_id"
    group: str = "r.owning_group_id"
    priority: str = "r.priority"
    organization: str = "r.organization_id"
    #: The drill-down (core.kpis.Kpi.records) for these records.
    records: Callable | None = None
    records_label: str = ""


def _clock_facts(
    source: RecordSource, metric: str, measure: str, num: str, group: str | None = None
) -> Callable:
    def facts(d: Dialect) -> str:
        return (
            f"SELECT c.stopped_at AS at, r.id AS rid, {measure} AS v, {num} AS num, 1 AS den, "
            f"{source.service} AS service_id, {group or source.group} AS group_id, "
            f"{source.priority} AS priority, {source.organization} AS organization_id "
            f"FROM {_CLOCK} AS c JOIN {source.table} AS r ON r.id = {d.to_int('c.record_id')} "
            f"WHERE c.record_type = '{source.record_type}' AND c.metric = '{metric}' "
            f"AND c.state IN ('{ClockState.MET}', '{ClockState.BREACHED}') "
            f"AND c.stopped_at IS NOT NULL"
        )

    return facts


_MET_NAMES = {
    Metric.RESPONSE: (
        _("SLA response met"),
        _(
            "Share of the SLA response clocks stopped in the period that met their target "
            "(cancelled clocks are left out)."
        ),
    ),
    Metric.RESOLUTION: (
        _("SLA resolution met"),
        _(
            "Share of the SLA resolution clocks stopped in the period that met their target "
            "(cancelled clocks are left out)."
        ),
    ),
    Metric.HANDOVER_ACCEPTANCE: (
        _("OLA handover acceptance met"),
        _(
            "Share of the groups' handover acceptance clocks stopped in the period that met "
            "the OLA's target; the group is the receiving group (withdrawn handovers are left "
            "out)."
        ),
    ),
    Metric.TIME_WITH_GROUP: (
        _("OLA time with group met"),
        _(
            "Share of the groups' time-with-group clocks stopped in the period that met the "
            "OLA's target; the group is the OLA's group."
        ),
    ),
}


def met_kpis(source: RecordSource, prefix: str, order: int = 200) -> list[Kpi]:
    """SLA met % per metric (response, resolution) and OLA met % (handover acceptance, time
    with group) for ``source``'s records; keys ``<prefix>_sla_<metric>_met``."""
    out = []
    for n, metric in enumerate(Metric):
        name, description = _MET_NAMES[metric]
        ola = metric in (Metric.HANDOVER_ACCEPTANCE, Metric.TIME_WITH_GROUP)
        # an OLA clock belongs to a group: its group, not the record's owning group
        group = f"(SELECT o.group_id FROM {_OLA} AS o WHERE o.id = c.ola_id)" if ola else None
        out.append(
            Kpi(
                key=f"{prefix}_{'ola' if ola else 'sla'}_{metric}_met",
                name=name,
                description=description,
                formula=_("clocks met ÷ clocks met or breached, stopped in the period"),
                unit="percent",
                good="up",
                aggregate="rate",
                facts=_clock_facts(
                    source,
                    metric,
                    "NULL",
                    f"CASE WHEN c.state = '{ClockState.MET}' THEN 1 ELSE 0 END",
                    group,
                ),
                records=source.records,
                records_label=source.records_label,
                order=order + n,
            )
        )
    return out


def business_resolution_kpi(source: RecordSource, key: str, order: int = 100) -> Kpi:
    """Mean time to resolve in business hours: the resolution clock's working time on its SLA's
    calendar, paused time included (the clock keeps it apart), for clocks stopped in the
    period. Records without an SLA have no calendar and are left out."""
    return Kpi(
        key=key,
        name=_("MTTR (business hours)"),
        description=_(
            "Mean time to resolve in working hours of the SLA's business calendar, for records "
            "whose resolution clock stopped (met or breached) in the period. Time on hold "
            "counts; time outside working hours and on holidays does not. Records without an "
            "SLA are left out."
        ),
        formula=_("mean of (counted + paused working seconds of the resolution clock) ÷ 3600"),
        unit="hours",
        good="down",
        aggregate="mean",
        facts=_clock_facts(
            source, Metric.RESOLUTION, "(c.elapsed_seconds + c.paused_seconds)", "1"
        ),
        records=source.records,
        records_label=source.records_label,
        order=order,
    )
