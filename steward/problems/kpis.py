"""The problem KPIs (declared in the problems practice, apps.py; computed by core.kpis).

Facts of problems carry the problem's owning group and priority; facts of incidents (linked to
a known error, workaround uses) the incident's service, group, priority and organization.
"""

from __future__ import annotations

from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from steward.core.kpis import Dialect, Kpi
from steward.incidents.kpis import incident_records
from steward.incidents.models import Incident
from steward.problems.models import Problem, ProblemIncident, WorkaroundUse

_PRB = Problem._meta.db_table
_CIS = Problem.cis.through._meta.db_table
_LINK = ProblemIncident._meta.db_table
_USE = WorkaroundUse._meta.db_table
_INC = Incident._meta.db_table
#: The days before and after a fix compared by "incidents avoided".
AVOIDED_DAYS = 30

_PRB_DIMS = "p.owning_group_id AS group_id, p.priority AS priority"
_INC_DIMS = (
    "i.service_id AS service_id, i.owning_group_id AS group_id, i.priority AS priority, "
    "i.organization_id AS organization_id"
)
_PROBLEM_DIMENSIONS = ("group", "priority")


def problem_records(user, sql: str, params: list, offset: int, limit: int):
    """The problems whose ids ``sql`` selects, as ``user`` may see them, newest first."""
    rows = (
        Problem.objects.for_user(user, "view")
        .filter(pk__in=RawSQL(sql, params))  # noqa: S611  (core.kpis builds it, values bound)
        .order_by("-id")
    )
    count = rows.count()
    page = rows.values_list("number", "title", "priority")[offset : offset + limit]
    return count, [
        (f"{number} {title}", Problem(number=number).get_absolute_url(), f"P{priority}")
        for number, title, priority in page
    ]


def _problems(at: str, *, v="NULL", where: str = ""):
    def facts(d: Dialect) -> str:
        measure = v(d) if callable(v) else v
        return (
            f"SELECT {at} AS at, p.id AS rid, {measure} AS v, 1 AS num, 1 AS den, {_PRB_DIMS} "
            f"FROM {_PRB} AS p{f' WHERE {where}' if where else ''}"
        )

    return facts


def _linked_to_known_error(d: Dialect) -> str:
    known = (
        f"EXISTS (SELECT 1 FROM {_LINK} AS l JOIN {_PRB} AS p ON p.id = l.problem_id "
        f"WHERE l.incident_id = i.id AND p.known_error_at IS NOT NULL)"
    )
    return (
        f"SELECT i.created_at AS at, i.id AS rid, NULL AS v, CASE WHEN {known} THEN 1 ELSE 0 "
        f"END AS num, 1 AS den, {_INC_DIMS} FROM {_INC} AS i"
    )


def _uses(d: Dialect) -> str:
    return (
        f"SELECT u.used_at AS at, i.id AS rid, NULL AS v, 1 AS num, 1 AS den, {_INC_DIMS} "
        f"FROM {_USE} AS u JOIN {_INC} AS i ON i.id = u.incident_id"
    )


def _shift(d: Dialect, column: str, days: int) -> str:
    if d.postgres:
        return f"({column} + INTERVAL '{days} days')"
    return f"strftime('%%Y-%%m-%%d %%H:%%M:%%f', {column}, '{days:+d} days')"


def _avoided(d: Dialect) -> str:
    """Per problem resolved with a fix at least AVOIDED_DAYS ago, naming CIs: incidents of its
    CIs (and category, if it has one) in the days before the fix minus those after."""
    same = (
        f"i.affected_ci_id IN (SELECT c.configurationitem_id FROM {_CIS} AS c "
        f"WHERE c.problem_id = p.id) AND (p.category_id IS NULL OR i.category_id = p.category_id)"
    )
    before = (
        f"(SELECT COUNT(*) FROM {_INC} AS i WHERE {same} AND i.created_at >= "
        f"{_shift(d, 'p.resolved_at', -AVOIDED_DAYS)} AND i.created_at < p.resolved_at)"
    )
    after = (
        f"(SELECT COUNT(*) FROM {_INC} AS i WHERE {same} AND i.created_at >= p.resolved_at "
        f"AND i.created_at < {_shift(d, 'p.resolved_at', AVOIDED_DAYS)})"
    )
    now = "NOW()" if d.postgres else "strftime('%%Y-%%m-%%d %%H:%%M:%%f', 'now')"
    return (
        f"SELECT p.resolved_at AS at, p.id AS rid, ({before} - {after}) AS v, 1 AS num, "
        f"1 AS den, {_PRB_DIMS} FROM {_PRB} AS p WHERE p.resolved_at IS NOT NULL "
        f"AND p.fix_description <> '' AND {_shift(d, 'p.resolved_at', AVOIDED_DAYS)} <= {now} "
        f"AND EXISTS (SELECT 1 FROM {_CIS} AS c WHERE c.problem_id = p.id)"
    )


_PROBLEMS = _("problems")
_INCIDENTS = _("incidents")


def _kpi(key, name, description, formula, unit, good, aggregate, facts, order, *, of_problems):
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
        dimensions=_PROBLEM_DIMENSIONS
        if of_problems
        else ("service", "group", "priority", "organization"),
        records=problem_records if of_problems else incident_records,
        records_label=_PROBLEMS if of_problems else _INCIDENTS,
    )


KPIS = [
    _kpi(
        "problems_opened",
        _("Problems opened"),
        _("How many problems were raised in the period."),
        _("count of problems created in the period"),
        "count",
        "up",
        "count",
        _problems("p.created_at"),
        110,
        of_problems=True,
    ),
    _kpi(
        "problems_resolved",
        _("Problems resolved"),
        _("How many problems were resolved in the period (with a fix or a reason for none)."),
        _("count of problems whose resolution time falls in the period"),
        "count",
        "up",
        "count",
        _problems("p.resolved_at", where="p.resolved_at IS NOT NULL"),
        111,
        of_problems=True,
    ),
    _kpi(
        "known_errors_published",
        _("Known errors published"),
        _("How many problems were published as known errors, with a workaround, in the period."),
        _("count of problems published as a known error in the period (and not retired)"),
        "count",
        "up",
        "count",
        _problems("p.known_error_at", where="p.known_error_at IS NOT NULL"),
        112,
        of_problems=True,
    ),
    _kpi(
        "incidents_linked_to_known_error",
        _("Incidents linked to a known error"),
        _("The share of the incidents raised in the period that are linked to a known error."),
        _("incidents raised in the period linked to a known error ÷ incidents raised"),
        "percent",
        "up",
        "rate",
        _linked_to_known_error,
        113,
        of_problems=False,
    ),
    _kpi(
        "problem_time_to_root_cause",
        _("Mean time to root cause"),
        _(
            "From raising a problem to recording its root cause, for the problems whose root "
            "cause was first recorded in the period."
        ),
        _("mean of (root cause recorded − created), in hours"),
        "hours",
        "down",
        "mean",
        _problems(
            "p.root_cause_at",
            v=lambda d: d.seconds("p.created_at", "p.root_cause_at"),
            where="p.root_cause_at IS NOT NULL",
        ),
        114,
        of_problems=True,
    ),
    _kpi(
        "workaround_uses",
        _("Workaround uses"),
        _("How often agents applied a known error's workaround to an incident in the period."),
        _("count of workarounds applied in the period"),
        "count",
        "up",
        "count",
        _uses,
        115,
        of_problems=False,
    ),
    _kpi(
        "incidents_avoided_after_fix",
        _("Incidents avoided per fix"),
        _(
            "For each problem fixed in the period (30 days ago or longer) that names its "
            "configuration items: the incidents of those items, and of its category, in the 30 "
            "days before the fix minus those in the 30 days after; the mean over the fixes."
        ),
        _("mean of (incidents of the same CI and category 30 days before − 30 days after)"),
        "count",
        "up",
        "mean",
        _avoided,
        116,
        of_problems=True,
    ),
]
