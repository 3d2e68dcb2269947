"""The knowledge KPIs (declared in the knowledge practice, apps.py; computed by core.kpis), so
that reporting's catalogue and dashboards list them beside the other practices'.

Each is the KPI form of a measure of ``measures.py`` (same definitions, in the facts'
columns of ``core.kpis``): incident facts (link rate, reuse share) carry the incident's
service, owning group, priority and organisation; portal facts the requester's organisation;
participation the agent's groups and the service worked on. Article facts (time to validate,
to external, flag resolution time, AQI) are cut by nothing in reporting: an article has several
services and no owning group, and a fact counted once per service would count twice in the
total. The knowledge metrics page cuts those by service, category, agent and group."""

from __future__ import annotations

from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from steward.core.kpis import Dialect, Kpi
from steward.incidents.kpis import incident_records
from steward.knowledge import measures_sql as q
from steward.knowledge.choices import Confidence, FlagStatus, LinkKind, PortalEventKind
from steward.knowledge.models import Article

_INC_DIMS = (
    "i.service_id AS service_id, i.owning_group_id AS group_id, i.priority AS priority, "
    "i.organization_id AS organization_id"
)
_INCIDENT_DIMENSIONS = ("service", "group", "priority", "organization")


def article_records(user, sql: str, params: list, offset: int, limit: int):
    """The articles whose ids ``sql`` selects, as ``user`` may see them, newest first."""
    rows = (
        Article.objects.for_user(user, "view")
        .filter(pk__in=RawSQL(sql, params))  # noqa: S611  (core.kpis builds it, values bound)
        .order_by("-id")
    )
    count = rows.count()
    page = rows.values_list("number", "title", "confidence")[offset : offset + limit]
    labels = dict(Confidence.choices)
    return count, [
        (f"{number} {title}", Article(number=number).get_absolute_url(), labels.get(c, c))
        for number, title, c in page
    ]


def _link_rate(d: Dialect) -> str:
    linked = f"EXISTS (SELECT 1 FROM {q.LINK} AS x WHERE x.incident_id = i.id)"
    return (
        f"SELECT i.resolved_at AS at, i.id AS rid, NULL AS v, CASE WHEN {linked} THEN 1 ELSE 0 "
        f"END AS num, 1 AS den, {_INC_DIMS} FROM {q.INCIDENT} AS i "
        "WHERE i.resolved_at IS NOT NULL"
    )


def _reuse(d: Dialect) -> str:
    return (
        f"SELECT l.linked_at AS at, i.id AS rid, NULL AS v, CASE WHEN l.kind = "
        f"'{LinkKind.REUSE.value}' THEN 1 ELSE 0 END AS num, 1 AS den, {_INC_DIMS} "
        f"FROM {q.LINK} AS l JOIN {q.INCIDENT} AS i ON i.id = l.incident_id"
    )


def _participation(d: Dialect) -> str:
    """One row per piece of work: incident work (den only) and taking part (num and den),
    ``rid`` the agent: the distinct rate is the agents who took part ÷ the active agents."""
    work = (
        f"SELECT j.at AS at, j.actor_id AS uid, 0 AS part, i.service_id AS service_id "
        f"FROM {q.JOURNAL} AS j JOIN {q.INCIDENT} AS i ON CAST(i.id AS TEXT) = j.record_id "
        f"WHERE j.record_type = 'incidents.incident' AND j.actor_id IS NOT NULL "
        f"AND {q.is_it('j.actor_id')}"
    )
    linked = (
        f"SELECT l.linked_at, l.linked_by_id, 1, i.service_id FROM {q.LINK} AS l "
        f"JOIN {q.INCIDENT} AS i ON i.id = l.incident_id "
        f"WHERE l.linked_by_id IS NOT NULL AND {q.is_it('l.linked_by_id')}"
    )
    written = (
        f"SELECT a.created_at, a.created_by_id, 1, sv.service_id FROM {q.ARTICLE} AS a "
        f"LEFT JOIN {q.ARTICLE_SERVICES} AS sv ON sv.article_id = a.id "
        f"WHERE {q.is_it('a.created_by_id')}"
    )
    # an agent in several groups: one row per group (the distinct rate counts them once)
    return (
        "SELECT p.at AS at, p.uid AS rid, NULL AS v, p.part AS num, 1 AS den, "
        f"p.service_id AS service_id, gm.supportgroup_id AS group_id "
        f"FROM ({work} UNION ALL {linked} UNION ALL {written}) AS p "
        f"LEFT JOIN {q.MEMBERS} AS gm ON gm.user_id = p.uid"
    )


def _articles(at: str, since: str):
    def facts(d: Dialect) -> str:
        return (
            f"SELECT a.{at} AS at, a.id AS rid, {d.seconds(f'a.{since}', f'a.{at}')} AS v, "
            f"1 AS num, 1 AS den FROM {q.ARTICLE} AS a WHERE a.{at} IS NOT NULL"
        )

    return facts


def _flags(d: Dialect) -> str:
    return (
        f"SELECT f.resolved_at AS at, f.article_id AS rid, "
        f"{d.seconds('f.created_at', 'f.resolved_at')} AS v, 1 AS num, 1 AS den "
        f"FROM {q.FLAG} AS f WHERE f.status <> '{FlagStatus.OPEN.value}' "
        "AND f.resolved_at IS NOT NULL"
    )


def _aqi(d: Dialect) -> str:
    """One row per review: 1 - its weighted defects / the weights' sum; the mean of these is
    the AQI: 100 * (1 - sum(weighted defects) / (reviews * sum(weights))), shown in percent."""
    return (
        f"SELECT r.created_at AS at, r.article_id AS rid, "
        f"1.0 - {q.weighted_defects(d)} * 1.0 / {q.WEIGHT_TOTAL} AS v, 1 AS num, 1 AS den "
        f"FROM {q.REVIEW} AS r"
    )


def _settled(d: Dialect) -> str:
    """SQL: the portal event ``e`` is over 24 hours old (a younger one may still be followed
    by an incident)."""
    if d.postgres:
        return "e.at <= NOW() - INTERVAL '24 hours'"
    return "julianday(e.at) <= julianday('now') - 1.0"


def _portal(kind: str):
    def facts(d: Dialect) -> str:
        return (
            f"SELECT e.at AS at, e.id AS rid, NULL AS v, CASE WHEN "
            f"{q.no_incident_within_a_day(d)} THEN 1 ELSE 0 END AS num, 1 AS den, "
            f"u.organization_id AS organization_id FROM {q.PORTAL} AS e "
            f"JOIN {q.USERS} AS u ON u.id = e.user_id WHERE e.kind = '{kind}' AND {_settled(d)}"
        )

    return facts


_INCIDENTS = _("incidents")
_ARTICLES = _("articles")


def _kpi(key, name, description, formula, unit, good, aggregate, facts, order, **extra):
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
        **extra,
    )


_OF_INCIDENTS = {
    "dimensions": _INCIDENT_DIMENSIONS,
    "records": incident_records,
    "records_label": _INCIDENTS,
}
_OF_ARTICLES = {"dimensions": (), "records": article_records, "records_label": _ARTICLES}

KPIS = [
    _kpi(
        "knowledge_link_rate",
        _("Knowledge link rate"),
        _("The share of the incidents resolved in the period with at least one linked article."),
        _("incidents resolved with ≥ 1 linked article ÷ incidents resolved"),
        "percent",
        "up",
        "rate",
        _link_rate,
        150,
        **_OF_INCIDENTS,
    ),
    _kpi(
        "knowledge_reuse_share",
        _("Knowledge reuse share"),
        _(
            "Of the articles linked to incidents in the period, the share that existed before "
            "the incident was raised (reused) rather than written from it (created)."
        ),
        _("links of kind reuse ÷ links made"),
        "percent",
        "up",
        "rate",
        _reuse,
        151,
        **_OF_INCIDENTS,
    ),
    _kpi(
        "knowledge_participation",
        _("Knowledge participation"),
        _(
            "The active agents who linked an article to an incident or wrote one in the period. "
            "Active: IT staff with any incident work in the period (a change, a note, a link) "
            "or who took part."
        ),
        _("agents who linked or wrote an article ÷ active agents"),
        "percent",
        "up",
        "distinct_rate",
        _participation,
        152,
        dimensions=("service", "group"),
        records_label=_("agents"),
    ),
    _kpi(
        "knowledge_time_to_validate",
        _("Time to validate an article"),
        _("From writing an article to its first validation, for those validated in the period."),
        _("median of (validated − created), in hours"),
        "hours",
        "down",
        "median",
        _articles("validated_at", "created_at"),
        153,
        **_OF_ARTICLES,
    ),
    _kpi(
        "knowledge_time_to_external",
        _("Time to publish an article externally"),
        _(
            "From writing an article to the first time customers could read it, for those "
            "published in the period."
        ),
        _("median of (first external − created), in hours"),
        "hours",
        "down",
        "median",
        _articles("published_at", "created_at"),
        154,
        **_OF_ARTICLES,
    ),
    _kpi(
        "knowledge_aqi",
        _("Article Quality Index"),
        _(
            "The coaches' checklist reviews of the period, weighted by criterion: 100 when no "
            "review found a defect."
        ),
        _("100 × (1 − Σ weight × defects ÷ (reviews × Σ weights))"),
        "percent",
        "up",
        "mean",
        _aqi,
        155,
        **_OF_ARTICLES,
    ),
    _kpi(
        "knowledge_flag_resolution_time",
        _("Flag resolution time"),
        _("From an article being flagged to the flag being fixed or dismissed."),
        _("median of (resolved − raised), in hours, of the flags resolved in the period"),
        "hours",
        "down",
        "median",
        _flags,
        156,
        **_OF_ARTICLES,
    ),
    _kpi(
        "knowledge_self_service_success",
        _("Self-service success"),
        _(
            "The requesters' knowledge searches in the portal that no incident of theirs "
            "followed within 24 hours (searches younger than a day are not counted yet)."
        ),
        _("portal searches followed by no incident within 24 h ÷ portal searches"),
        "percent",
        "up",
        "rate",
        _portal(PortalEventKind.SEARCH.value),
        157,
        dimensions=("organization",),
        records_label=_("portal searches"),
    ),
    _kpi(
        "knowledge_deflection_rate",
        _("Deflection rate"),
        _(
            "The articles read by requesters in the portal that no incident of theirs followed "
            "within 24 hours."
        ),
        _("portal article views followed by no incident within 24 h ÷ portal article views"),
        "percent",
        "up",
        "rate",
        _portal(PortalEventKind.VIEW.value),
        158,
        dimensions=("organization",),
        records_label=_("portal article views"),
    ),
]
