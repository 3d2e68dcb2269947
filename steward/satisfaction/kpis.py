"""The satisfaction KPIs (declared in the satisfaction practice, apps.py; computed by
core.kpis), so that reporting's catalogue, dashboards and the service review list them beside
the other practices'.

The facts are the surveys, dated when they were **sent** (as on the results page): CSAT is
the answers scoring 4 or 5 ÷ the answers; the mean score the mean of the answers; the
response rate the surveys answered ÷ the surveys sent. Each is cut by the ticket's service,
owning group and the respondent's organisation (reporting has no agent dimension: the
results page and ``GET /api/v1/csat`` cut by agent)."""

from __future__ import annotations

from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from steward.core.kpis import Dialect, Kpi
from steward.satisfaction.choices import SATISFIED_SCORES
from steward.satisfaction.models import Survey

SURVEY = Survey._meta.db_table
_DIMS = "s.service_id AS service_id, s.group_id AS group_id, s.organization_id AS organization_id"
_SATISFIED = ", ".join(str(n) for n in SATISFIED_SCORES)


def survey_records(user, sql: str, params: list, offset: int, limit: int):
    """The surveys whose ids ``sql`` selects, as ``user`` may see them, newest first."""
    rows = (
        Survey.objects.for_user(user, "view")
        .filter(pk__in=RawSQL(sql, params))  # noqa: S611  (core.kpis builds it, values bound)
        .order_by("-sent_at", "-id")
    )
    count = rows.count()
    page = rows.values_list("pk", "record_label", "score")[offset : offset + limit]
    return count, [
        (
            label,
            reverse("satisfaction:survey", args=[pk]),
            _("Score %(score)s of 5") % {"score": score} if score else _("Not answered"),
        )
        for pk, label, score in page
    ]


def _csat(d: Dialect) -> str:
    return (
        f"SELECT s.sent_at AS at, s.id AS rid, NULL AS v, CASE WHEN s.score IN ({_SATISFIED}) "
        f"THEN 1 ELSE 0 END AS num, 1 AS den, {_DIMS} FROM {SURVEY} AS s "
        "WHERE s.answered_at IS NOT NULL"
    )


def _mean(d: Dialect) -> str:
    return (
        f"SELECT s.sent_at AS at, s.id AS rid, s.score AS v, 1 AS num, 1 AS den, {_DIMS} "
        f"FROM {SURVEY} AS s WHERE s.answered_at IS NOT NULL"
    )


def _response(d: Dialect) -> str:
    return (
        f"SELECT s.sent_at AS at, s.id AS rid, NULL AS v, CASE WHEN s.answered_at IS NOT NULL "
        f"THEN 1 ELSE 0 END AS num, 1 AS den, {_DIMS} FROM {SURVEY} AS s"
    )


_DIMENSIONS = ("service", "group", "organization")

KPIS = [
    Kpi(
        key="satisfaction_csat",
        name=_("CSAT"),
        description=_(
            "Customer satisfaction: of the surveys sent in the period and answered, the share "
            "scoring 4 or 5 (satisfied or very satisfied)."
        ),
        formula=_("answers scoring 4 or 5 ÷ answers"),
        unit="percent",
        good="up",
        aggregate="rate",
        facts=_csat,
        dimensions=_DIMENSIONS,
        records=survey_records,
        records_label=_("survey answers"),
        order=170,
    ),
    Kpi(
        key="satisfaction_mean_score",
        name=_("Mean satisfaction score"),
        description=_(
            "The mean score (1 very dissatisfied to 5 very satisfied) of the surveys sent in "
            "the period and answered."
        ),
        formula=_("mean of the scores, 1 to 5"),
        unit="ratio",
        good="up",
        aggregate="mean",
        facts=_mean,
        dimensions=_DIMENSIONS,
        records=survey_records,
        records_label=_("survey answers"),
        order=171,
    ),
    Kpi(
        key="satisfaction_response_rate",
        name=_("Survey response rate"),
        description=_(
            "Of the satisfaction surveys sent in the period, the share answered (a recent "
            "period's rate grows while its surveys can still be answered)."
        ),
        formula=_("surveys answered ÷ surveys sent"),
        unit="percent",
        good="up",
        aggregate="rate",
        facts=_response,
        dimensions=_DIMENSIONS,
        records=survey_records,
        records_label=_("surveys"),
        order=172,
    ),
]
