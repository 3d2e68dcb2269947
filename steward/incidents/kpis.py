"""The incident KPIs (declared in the incidents practice, apps.py; computed by core.kpis).

Each KPI is one SELECT of facts (see ``core.kpis``) over the incident tables, the handovers,
the major incidents and the journal; the dimensions of every fact are the incident's: its
service, owning group (the group that owns it now, or owned it last), priority and the
caller's organization — except the handover KPIs, whose group is the receiving group.
"""

from __future__ import annotations

from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from steward.core.kpis import Dialect, Kpi
from steward.core.models import JournalEntry
from steward.incidents.choices import ACTIVE_STATUSES, HandoverStatus, Status
from steward.incidents.models import Handover, Incident, MajorIncident, PostIncidentReview
from steward.slm import kpis as slm_kpis

_INC = Incident._meta.db_table
_HO = Handover._meta.db_table
_MAJOR = MajorIncident._meta.db_table
_REVIEW = PostIncidentReview._meta.db_table
_JOURNAL = JournalEntry._meta.db_table
_RECORD_TYPE = Incident._meta.label_lower
_ACTIVE = ", ".join(f"'{s}'" for s in sorted(ACTIVE_STATUSES))
_ACCEPTED = HandoverStatus.ACCEPTED.value
_REJECTED = HandoverStatus.REJECTED.value
_DIMS = (
    "i.service_id AS service_id, i.owning_group_id AS group_id, i.priority AS priority, "
    "i.organization_id AS organization_id"
)
_HANDOVER_DIMS = (
    "i.service_id AS service_id, h.to_group_id AS group_id, i.priority AS priority, "
    "i.organization_id AS organization_id"
)


def incident_records(user, sql: str, params: list, offset: int, limit: int):
    """The incidents whose ids ``sql`` selects, as ``user`` may see them, newest first."""
    rows = (
        Incident.objects.for_user(user, "view")
        .filter(pk__in=RawSQL(sql, params))  # noqa: S611  (core.kpis builds it, values bound)
        .order_by("-id")
    )
    count = rows.count()
    page = rows.values_list("number", "title", "priority", "status")[offset : offset + limit]
    statuses = dict(Status.choices)
    return count, [
        (
            f"{number} {title}",
            Incident(number=number).get_absolute_url(),
            f"P{priority} · {statuses.get(status, status)}",
        )
        for number, title, priority, status in page
    ]


def _event(at: str, *, v: str = "NULL", num: str = "1", where: str = "", source: str = ""):
    """Facts with one row per incident (``source``: more tables joined to ``i``)."""

    def facts(d: Dialect) -> str:
        measure = v(d) if callable(v) else v
        return (
            f"SELECT {at} AS at, i.id AS rid, {measure} AS v, {num} AS num, 1 AS den, {_DIMS} "
            f"FROM {_INC} AS i{source}{f' WHERE {where}' if where else ''}"
        )

    return facts


def _backlog(d: Dialect) -> str:
    # an incident leaves the backlog at its (latest) resolution, or at its cancellation
    return (
        f"SELECT i.created_at AS opened_at, CASE WHEN i.status IN ({_ACTIVE}) THEN NULL "
        f"WHEN i.status = '{Status.CANCELLED}' THEN i.cancelled_at "
        f"ELSE COALESCE(i.resolved_at, i.closed_at) END AS closed_at, "
        f"i.id AS rid, {_DIMS} FROM {_INC} AS i"
    )


def _reopen_facts(d: Dialect) -> str:
    resolved = d.json_text("j.changes", "status", 1)
    return (
        f"SELECT j.at AS at, i.id AS rid, NULL AS v, "
        f"CASE WHEN j.action = 'reopened' THEN 1 ELSE 0 END AS num, "
        f"CASE WHEN j.action = 'reopened' THEN 0 ELSE 1 END AS den, {_DIMS} "
        f"FROM {_JOURNAL} AS j JOIN {_INC} AS i ON i.id = {d.to_int('j.record_id')} "
        f"WHERE j.record_type = '{_RECORD_TYPE}' AND (j.action = 'reopened' OR "
        f"(j.action = 'status_changed' AND {resolved} = '{Status.RESOLVED}'))"
    )


def _handover_facts(at: str, v, num: str, statuses: tuple[str, ...]):
    def facts(d: Dialect) -> str:
        measure = v(d) if callable(v) else v
        listed = ", ".join(f"'{s}'" for s in statuses)
        return (
            f"SELECT {at} AS at, h.incident_id AS rid, {measure} AS v, {num} AS num, 1 AS den, "
            f"{_HANDOVER_DIMS} FROM {_HO} AS h JOIN {_INC} AS i ON i.id = h.incident_id "
            f"WHERE h.status IN ({listed}) AND h.decided_at IS NOT NULL"
        )

    return facts


def _major_facts(d: Dialect) -> str:
    return (
        f"SELECT m.declared_at AS at, i.id AS rid, NULL AS v, 1 AS num, 1 AS den, {_DIMS} "
        f"FROM {_MAJOR} AS m JOIN {_INC} AS i ON i.id = m.incident_id"
    )


def _review_facts(d: Dialect) -> str:
    waited = d.seconds("i.resolved_at", "r.recorded_at")
    return (
        f"SELECT r.recorded_at AS at, i.id AS rid, CASE WHEN i.resolved_at IS NULL THEN NULL "
        f"WHEN r.recorded_at < i.resolved_at THEN 0 ELSE {waited} END AS v, 1 AS num, 1 AS den, "
        f"{_DIMS} FROM {_REVIEW} AS r JOIN {_MAJOR} AS m ON m.id = r.major_id "
        f"JOIN {_INC} AS i ON i.id = m.incident_id"
    )


_ACCEPTED_OF_I = f"SELECT 1 FROM {_HO} AS h WHERE h.incident_id = i.id AND h.status = '{_ACCEPTED}'"
_RETURNED = (
    f"SELECT 1 FROM {_HO} AS h2 JOIN {_HO} AS h1 ON h1.incident_id = h2.incident_id "
    f"AND h1.id < h2.id AND h1.status = '{_ACCEPTED}' AND h1.from_group_id = h2.to_group_id "
    f"WHERE h2.incident_id = i.id AND h2.status = '{_ACCEPTED}'"
)
_HANDOVER_COUNT = (
    f"(SELECT COUNT(*) FROM {_HO} AS h WHERE h.incident_id = i.id AND h.status = '{_ACCEPTED}')"
)
_RESOLVED = "i.resolved_at IS NOT NULL"
_LABEL = _("incidents")

SOURCE = slm_kpis.RecordSource(
    record_type="incident", table=_INC, records=incident_records, records_label=_LABEL
)


def _kpi(key, name, description, formula, unit, good, aggregate, facts, order, **extra) -> Kpi:
    return Kpi(
        key=key,
        name=name,
        description=description,
        formula=formula,
        unit=unit,
        good=good,
        aggregate=aggregate,
        facts=facts,
        order=order,
        records=incident_records,
        records_label=_LABEL,
        **extra,
    )


KPIS = [
    _kpi(
        "incidents_raised",
        _("Incidents raised"),
        _("How many incidents were raised in the period."),
        _("count of incidents created in the period"),
        "count",
        "down",
        "count",
        _event("i.created_at"),
        10,
    ),
    _kpi(
        "incidents_resolved",
        _("Incidents resolved"),
        _(
            "How many incidents were resolved in the period (by their latest resolution: an "
            "incident reopened and resolved again counts once, when it was last resolved)."
        ),
        _("count of incidents whose resolution time falls in the period"),
        "count",
        "up",
        "count",
        _event("i.resolved_at", where=_RESOLVED),
        11,
    ),
    _kpi(
        "incident_backlog",
        _("Backlog"),
        _(
            "Incidents open (new, in progress or on hold) at the end of the period; each point "
            "of a series is the backlog at the end of that day, week or month. An incident "
            "leaves the backlog when it is resolved or cancelled."
        ),
        _("count of incidents created before the instant and not resolved or cancelled by it"),
        "count",
        "down",
        "count",
        _backlog,
        20,
        snapshot=True,
    ),
    _kpi(
        "incident_backlog_age_median",
        _("Backlog age (median)"),
        _("The median age of the incidents open at the end of the period."),
        _("median of (end of period − created) over the backlog, in hours"),
        "hours",
        "down",
        "median",
        _backlog,
        21,
        snapshot=True,
    ),
    _kpi(
        "incident_backlog_age_p90",
        _("Backlog age (p90)"),
        _("Nine in ten incidents open at the end of the period are younger than this."),
        _("90th percentile of (end of period − created) over the backlog, in hours"),
        "hours",
        "down",
        "p90",
        _backlog,
        22,
        snapshot=True,
    ),
    _kpi(
        "incident_mttr",
        _("MTTR (wall-clock)"),
        _(
            "Mean time to resolve, in calendar hours from raising to the latest resolution, of "
            "the incidents resolved in the period (time on hold included)."
        ),
        _("mean of (resolved − created) over incidents resolved in the period, in hours"),
        "hours",
        "down",
        "mean",
        _event(
            "i.resolved_at", v=lambda d: d.seconds("i.created_at", "i.resolved_at"), where=_RESOLVED
        ),
        30,
    ),
    slm_kpis.business_resolution_kpi(SOURCE, "incident_mttr_business", order=31),
    _kpi(
        "incident_first_level_resolution",
        _("First-level resolution"),
        _(
            "Share of the incidents resolved in the period that the group which first owned "
            "them resolved, with no handover accepted. Not first-contact resolution: that "
            "needs the contact log, which a later practice brings."
        ),
        _("incidents resolved with no accepted handover ÷ incidents resolved, in the period"),
        "percent",
        "up",
        "rate",
        _event(
            "i.resolved_at",
            num=f"CASE WHEN EXISTS ({_ACCEPTED_OF_I}) THEN 0 ELSE 1 END",
            where=_RESOLVED,
        ),
        40,
    ),
    _kpi(
        "incident_reopen_rate",
        _("Reopen rate"),
        _(
            "Incidents reopened at least once in the period, out of the incidents resolved in "
            "the period (each resolution and each reopening read from the journal)."
        ),
        _("distinct incidents reopened ÷ distinct incidents resolved, in the period"),
        "percent",
        "down",
        "distinct_rate",
        _reopen_facts,
        41,
    ),
    _kpi(
        "incident_reassignment_rate",
        _("Reassignment rate"),
        _(
            "Handovers per incident: accepted handovers of the incidents resolved in the "
            "period, divided by those incidents."
        ),
        _("accepted handovers ÷ incidents, over incidents resolved in the period"),
        "ratio",
        "down",
        "mean",
        _event("i.resolved_at", v=_HANDOVER_COUNT, where=_RESOLVED),
        50,
    ),
    _kpi(
        "incident_ping_pong_rate",
        _("Ping-pong rate"),
        _(
            "Share of the incidents resolved in the period that were handed back to a group "
            "that had owned them before (A → B → A)."
        ),
        _("incidents handed back to an earlier owner ÷ incidents resolved, in the period"),
        "percent",
        "down",
        "rate",
        _event(
            "i.resolved_at",
            num=f"CASE WHEN EXISTS ({_RETURNED}) THEN 1 ELSE 0 END",
            where=_RESOLVED,
        ),
        51,
    ),
    _kpi(
        "handover_acceptance_median",
        _("Handover acceptance time (median)"),
        _(
            "Median wall-clock time from a handover's request to its acceptance, for handovers "
            "accepted in the period; the group is the receiving group."
        ),
        _("median of (accepted − requested) over handovers accepted in the period, in hours"),
        "hours",
        "down",
        "median",
        _handover_facts(
            "h.decided_at", lambda d: d.seconds("h.created_at", "h.decided_at"), "1", (_ACCEPTED,)
        ),
        52,
    ),
    _kpi(
        "handover_acceptance_p90",
        _("Handover acceptance time (p90)"),
        _("Nine in ten handovers accepted in the period were accepted within this time."),
        _("90th percentile of (accepted − requested) over handovers accepted, in hours"),
        "hours",
        "down",
        "p90",
        _handover_facts(
            "h.decided_at", lambda d: d.seconds("h.created_at", "h.decided_at"), "1", (_ACCEPTED,)
        ),
        53,
    ),
    _kpi(
        "handover_rejection_rate",
        _("Handover rejection rate"),
        _(
            "Share of the handovers decided in the period that the receiving group rejected "
            "(withdrawn handovers are left out)."
        ),
        _("handovers rejected ÷ handovers accepted or rejected, in the period"),
        "percent",
        "down",
        "rate",
        _handover_facts(
            "h.decided_at",
            "NULL",
            f"CASE WHEN h.status = '{_REJECTED}' THEN 1 ELSE 0 END",
            (_ACCEPTED, _REJECTED),
        ),
        54,
    ),
    _kpi(
        "major_incidents",
        _("Major incidents"),
        _("How many incidents were declared major in the period."),
        _("count of major incident declarations in the period"),
        "count",
        "down",
        "count",
        _major_facts,
        60,
    ),
    _kpi(
        "major_incident_review_time",
        _("Major incident time to review"),
        _(
            "Mean time from a major incident's resolution to its post-incident review, for "
            "reviews recorded in the period (a review recorded before the resolution counts as "
            "0; an incident reopened and not yet resolved again is left out)."
        ),
        _("mean of (review recorded − resolved) over reviews recorded in the period, in hours"),
        "hours",
        "down",
        "mean",
        _review_facts,
        61,
    ),
    *slm_kpis.met_kpis(SOURCE, "incident", order=70),
]
