"""The change KPIs (declared in the changes practice, apps.py; computed by core.kpis).

Facts are changes, cut by their owning group. Per template and per service the success rate is
shown on the template's and the service's change lists (a change names several services, so a
fact per service would count a change several times in the total).
"""

from __future__ import annotations

from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from steward.changes.choices import (
    CAUSED_INCIDENT_SCORE,
    OUTCOME_SCORE,
    ChangeType,
    Outcome,
    Status,
)
from steward.changes.models import ChangeIncident, ChangeRequest
from steward.core.kpis import Dialect, Kpi
from steward.incidents.models import Incident

_CHG = ChangeRequest._meta.db_table
_CAUSED = ChangeIncident._meta.db_table
_INC = Incident._meta.db_table
_DIMS = "c.owning_group_id AS group_id"
_CLOSED = f"c.status = '{Status.CLOSED}' AND c.outcome <> ''"


def change_records(user, sql: str, params: list, offset: int, limit: int):
    """The changes whose ids ``sql`` selects, as ``user`` may see them, newest first."""
    rows = (
        ChangeRequest.objects.for_user(user, "view")
        .filter(pk__in=RawSQL(sql, params))  # noqa: S611  (core.kpis builds it, values bound)
        .order_by("-id")
    )
    count = rows.count()
    page = rows.values_list("number", "title", "status")[offset : offset + limit]
    return count, [
        (
            f"{number} {title}",
            ChangeRequest(number=number).get_absolute_url(),
            str(Status(status).label),
        )
        for number, title, status in page
    ]


def _changes(at: str, *, v="NULL", num="1", where: str = ""):
    def facts(d: Dialect) -> str:
        measure = v(d) if callable(v) else v
        return (
            f"SELECT {at} AS at, c.id AS rid, {measure} AS v, {num} AS num, 1 AS den, {_DIMS} "
            f"FROM {_CHG} AS c{f' WHERE {where}' if where else ''}"
        )

    return facts


def _score(d: Dialect) -> str:
    """A closed change's success score: its outcome's, plus the penalty of each incident it
    caused by the incident's priority."""
    outcome = " ".join(f"WHEN '{o}' THEN {s}" for o, s in OUTCOME_SCORE.items())
    penalty = " ".join(f"WHEN {p} THEN {s}" for p, s in CAUSED_INCIDENT_SCORE.items())
    caused = (
        f"(SELECT COALESCE(SUM(CASE i.priority {penalty} ELSE 0 END), 0) FROM {_CAUSED} AS x "
        f"JOIN {_INC} AS i ON i.id = x.incident_id WHERE x.change_id = c.id)"
    )
    return f"((CASE c.outcome {outcome} ELSE 0 END) + {caused})"


_CAUSED_ANY = (
    f"CASE WHEN EXISTS (SELECT 1 FROM {_CAUSED} AS x WHERE x.change_id = c.id) THEN 1 ELSE 0 END"
)


def _unauthorized(d: Dialect) -> str:
    # a change waits for authorization from its request until it is authorized, or until it
    # ended (closed or cancelled: closed_at) without ever being authorized
    return (
        f"SELECT c.created_at AS opened_at, COALESCE(c.authorized_at, c.closed_at) AS closed_at, "
        f"c.id AS rid, {_DIMS} FROM {_CHG} AS c WHERE c.type <> '{ChangeType.STANDARD}'"
    )


_CHANGES = _("changes")


def _kpi(key, name, description, formula, unit, good, aggregate, facts, order, snapshot=False):
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
        snapshot=snapshot,
        dimensions=("group",),
        records=change_records,
        records_label=_CHANGES,
    )


KPIS = [
    _kpi(
        "change_success_rate",
        _("Change success rate"),
        _("The share of the changes closed in the period whose outcome was successful."),
        _("changes closed successful ÷ changes closed, in the period"),
        "percent",
        "up",
        "rate",
        _changes(
            "c.closed_at",
            num=f"CASE WHEN c.outcome = '{Outcome.SUCCESSFUL}' THEN 1 ELSE 0 END",
            where=_CLOSED,
        ),
        120,
    ),
    _kpi(
        "change_success_score",
        _("Change success score"),
        _(
            "The mean score of the changes closed in the period: +3 successful, −2 successful "
            "with issues, −5 failed or backed out, and −10, −5, −2 for each P1, P2, P3 "
            "incident the change caused."
        ),
        _("mean of (outcome score + caused-incident penalties) of the changes closed"),
        "count",
        "up",
        "mean",
        _changes("c.closed_at", v=_score, where=_CLOSED),
        121,
    ),
    _kpi(
        "emergency_change_share",
        _("Emergency changes"),
        _("The share of the changes requested in the period that were emergency changes."),
        _("emergency changes requested ÷ changes requested, in the period"),
        "percent",
        "down",
        "rate",
        _changes(
            "c.created_at",
            num=f"CASE WHEN c.type = '{ChangeType.EMERGENCY}' THEN 1 ELSE 0 END",
        ),
        122,
    ),
    _kpi(
        "changes_causing_incidents",
        _("Changes causing incidents"),
        _("The share of the changes closed in the period that caused at least one incident."),
        _("changes closed with a caused incident ÷ changes closed, in the period"),
        "percent",
        "down",
        "rate",
        _changes("c.closed_at", num=_CAUSED_ANY, where=_CLOSED),
        123,
    ),
    _kpi(
        "change_lead_time",
        _("Change lead time"),
        _(
            "From the request to the start of implementation, for the changes whose "
            "implementation started in the period."
        ),
        _("mean of (implementation started − requested), in hours"),
        "hours",
        "down",
        "mean",
        _changes(
            "c.started_at",
            v=lambda d: d.seconds("c.created_at", "c.started_at"),
            where="c.started_at IS NOT NULL",
        ),
        124,
    ),
    _kpi(
        "unauthorized_change_backlog",
        _("Changes awaiting authorization"),
        _(
            "The normal and emergency changes requested and not yet authorized (nor ended) at "
            "the end of the period, and how long they have waited."
        ),
        _("count of changes requested, not authorized, closed or cancelled, at the instant"),
        "count",
        "down",
        "count",
        _unauthorized,
        125,
        snapshot=True,
    ),
    _kpi(
        "change_conflicts_overridden",
        _("Conflicts overridden"),
        _("How many changes the change manager scheduled over their conflicts in the period."),
        _("count of conflict overrides in the period"),
        "count",
        "down",
        "count",
        _changes("c.conflicts_overridden_at", where="c.conflicts_overridden_at IS NOT NULL"),
        126,
    ),
]
