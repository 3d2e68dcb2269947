"""Read-side helpers of the problems app: problems with their relations, the known errors that
match an incident, the linked incidents' counts per service and week, the workaround's use, and
the trends report (proactive problem management)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from steward.incidents.choices import ACTIVE_STATUSES as INCIDENT_ACTIVE
from steward.incidents.models import Incident, IncidentCategory
from steward.problems import search
from steward.problems.choices import PUBLISHED_STATUSES
from steward.problems.models import Problem, ProblemIncident, RootCauseAnalysis, WorkaroundUse
from steward.services.models import ConfigurationItem, Service


def with_relations(qs):
    return qs.select_related(
        "owner", "owning_group", "category", "rca", "fix_change"
    ).prefetch_related(
        Prefetch("services", queryset=Service.objects.order_by("name")),
        Prefetch("cis", queryset=ConfigurationItem.objects.order_by("name")),
    )


def problem_for(user, number: str) -> Problem | None:
    return (
        with_relations(Problem.objects.for_user(user, "view"))
        .filter(number=number.strip().upper())
        .first()
    )


def rca_of(problem: Problem) -> RootCauseAnalysis | None:
    try:
        return problem.rca
    except RootCauseAnalysis.DoesNotExist:
        return None


def counts(problems: list[Problem]) -> dict[int, dict]:
    """Per problem: linked incidents, workaround uses (one statement each)."""
    ids = [p.pk for p in problems]
    links = dict(
        ProblemIncident.objects.filter(problem_id__in=ids)
        .values("problem_id")
        .annotate(n=Count("pk"))
        .values_list("problem_id", "n")
    )
    uses = dict(
        WorkaroundUse.objects.filter(problem_id__in=ids)
        .values("problem_id")
        .annotate(n=Count("pk"))
        .values_list("problem_id", "n")
    )
    return {pk: {"incidents": links.get(pk, 0), "uses": uses.get(pk, 0)} for pk in ids}


# --- known errors -------------------------------------------------------------------------------


def known_errors(user, *, service=None, ci=None, category=None, q: str = ""):
    """The published known errors ``user`` may see that match the service, CI or category (any
    of them), and the text ``q``. With none of the three, every published known error."""
    qs = Problem.objects.for_user(user, "view").filter(
        known_error=True, status__in=sorted(PUBLISHED_STATUSES)
    )
    match = Q()
    if service:
        match |= Q(
            pk__in=Problem.services.through.objects.filter(service_id=service).values("problem_id")
        )
    if ci:
        match |= Q(
            pk__in=Problem.cis.through.objects.filter(configurationitem_id=ci).values("problem_id")
        )
    if category:
        match |= Q(category_id=category)
    if match:
        qs = qs.filter(match)
    if q and q.strip():
        qs = search.text_filter(qs, q)
    return qs.order_by("priority", "-id")


def known_errors_for_incident(user, incident: Incident, limit: int = 5) -> list[Problem]:
    """The known errors an agent sees on an open incident: same service, CI or category."""
    if not (incident.service_id or incident.affected_ci_id or incident.category_id):
        return []
    qs = known_errors(
        user,
        service=incident.service_id,
        ci=incident.affected_ci_id,
        category=incident.category_id,
    )
    return list(qs[:limit])


# --- the problem page ---------------------------------------------------------------------------


def linked_incidents(problem: Problem):
    return (
        Incident.objects.filter(
            pk__in=ProblemIncident.objects.filter(problem=problem).values("incident_id")
        )
        .select_related("service", "caller")
        .order_by("-id")
    )


def week_of(moment: dt.datetime) -> dt.date:
    day = timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return day - dt.timedelta(days=day.weekday())


def incident_breakdown(problem: Problem) -> dict:
    """The linked incidents' counts per service and per week (Monday), for the page's SVG."""
    rows = list(
        Incident.objects.filter(
            pk__in=ProblemIncident.objects.filter(problem=problem).values("incident_id")
        ).values_list("service__name", "created_at", "status")
    )
    per_service = Counter(name or "—" for name, _, _ in rows)
    per_week = Counter(week_of(at) for _, at, _ in rows)
    return {
        "total": len(rows),
        "open": sum(1 for *_, status in rows if status in INCIDENT_ACTIVE),
        "services": sorted(per_service.items(), key=lambda kv: (-kv[1], kv[0])),
        "weeks": sorted(per_week.items()),
    }


def workaround_use(problem: Problem) -> dict:
    """How often the workaround was used, and whether those incidents then resolved."""
    uses = list(
        WorkaroundUse.objects.filter(problem=problem)
        .select_related("incident", "used_by")
        .order_by("-id")
    )
    incidents = {u.incident_id: u.incident for u in uses}
    resolved = sum(1 for i in incidents.values() if i.status not in INCIDENT_ACTIVE)
    return {"count": len(uses), "incidents": len(incidents), "resolved": resolved, "uses": uses}


# --- trends -------------------------------------------------------------------------------------


@dataclass
class TrendRow:
    key: int | None
    name: str
    count: int
    hours: float
    previous_count: int
    previous_hours: float

    @property
    def change(self) -> int:
        return self.count - self.previous_count


def _hours(d) -> str:
    """The SQL of one incident's seconds in its period (of ``t``, see ``_tally``): raised to
    resolved, or to the period's end if it was resolved later or not at all; never below 0."""
    return (
        f"CASE WHEN t.r IS NOT NULL AND t.r < t.stop THEN "
        f"(CASE WHEN t.r > t.c THEN {d.seconds('t.c', 't.r')} ELSE 0 END) "
        f"ELSE {d.seconds('t.c', 't.stop')} END"
    )


def _tally(column: str, previous_start, start, end) -> dict:
    """``{(key, current): (count, seconds)}`` of the incidents raised in ``[previous_start,
    end)`` per value of ``column`` and period (current: from ``start``), in one GROUP BY. No
    ``IS NOT NULL`` on the key: SQLite would walk the key's index and read the rows in its order
    (4x slower than the scan); the NULL key's row is dropped here."""
    from steward.core.kpis import dialect

    d = dialect()
    m = d.moment
    sql = (
        f"SELECT t.k, t.cur, COUNT(*), SUM({_hours(d)}) FROM (SELECT i.{column} AS k, "  # noqa: S608
        f"CASE WHEN i.created_at >= %s THEN 1 ELSE 0 END AS cur, i.created_at AS c, "
        f"i.resolved_at AS r, CASE WHEN i.created_at >= %s THEN %s ELSE %s END AS stop "
        f"FROM {Incident._meta.db_table} AS i WHERE i.created_at >= %s AND i.created_at < %s) "
        f"AS t GROUP BY t.k, t.cur"
    )
    params = [m(start), m(start), m(end), m(start), m(previous_start), m(end)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # seconds to the millisecond: SQLite's julianday arithmetic is off by microseconds, which
    # would tip hours such as 0.25 over a rounding edge
    return {(k, cur): (n, round(float(secs or 0), 3)) for k, cur, n, secs in rows if k is not None}


DIMENSIONS = {
    "services": ("service_id", "service__name"),
    "cis": ("affected_ci_id", "affected_ci__name"),
    "categories": ("category_id", "category__name"),
}


def trends(start: dt.datetime, end: dt.datetime, *, top: int = 10) -> dict:
    """The top services, CIs and categories by incident count in ``[start, end)``, with their
    incident hours (raised to resolved, or to the period's end) and the previous period of the
    same length beside them."""
    length = end - start
    previous_start = start - length
    out = {}
    for name, (key, _label) in DIMENSIONS.items():
        found = _tally(key, previous_start, start, end)
        keys = [k for k, current in found if current]
        model = Incident._meta.get_field(key).related_model
        names = dict(model._base_manager.filter(pk__in=keys).values_list("pk", "name"))
        rows = []
        for k in keys:
            count, seconds = found[(k, 1)]
            previous_count, previous_seconds = found.get((k, 0), (0, 0.0))
            rows.append(
                TrendRow(
                    k,
                    names[k],
                    count,
                    round(seconds / 3600, 1),
                    previous_count,
                    round(previous_seconds / 3600, 1),
                )
            )
        rows.sort(key=lambda r: (-r.count, -r.hours, r.name))
        out[name] = rows[:top]
    return {"from": start, "to": end, "previous_from": previous_start, "previous_to": start, **out}


@dataclass
class Recurring:
    ci_id: int
    ci: str
    category_id: int
    category: str
    numbers: list[str]
    first: dt.datetime
    last: dt.datetime

    @property
    def count(self) -> int:
        return len(self.numbers)


def recurring(end: dt.datetime, *, min_count: int, days: int, limit: int = 50) -> list[Recurring]:
    """Incidents of the same CI and category raised ``min_count`` times or more in the ``days``
    days before ``end``, not yet linked to any problem."""
    start = end - dt.timedelta(days=days)
    window = Incident.objects.filter(created_at__gte=start, created_at__lt=end).exclude(
        pk__in=ProblemIncident.objects.values("incident_id")
    )
    # the groups in one GROUP BY ... HAVING (no IS NOT NULL on the keys: see _tally)
    groups = [
        g
        for g in window.values("affected_ci_id", "category_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=min_count)
        .order_by()
        if g["affected_ci_id"] is not None and g["category_id"] is not None
    ]
    ci_names = dict(
        ConfigurationItem._base_manager.filter(
            pk__in={g["affected_ci_id"] for g in groups}
        ).values_list("pk", "name")
    )
    category_names = dict(
        IncidentCategory.objects.filter(pk__in={g["category_id"] for g in groups}).values_list(
            "pk", "name"
        )
    )
    for g in groups:
        g["ci"], g["category"] = ci_names[g["affected_ci_id"]], category_names[g["category_id"]]
    # by count, then CI and category name (in Python, as before: not the database's collation),
    # then ids (two groups with the same names: CIs of two classes, subcategories)
    groups.sort(
        key=lambda g: (-g["n"], g["ci"], g["category"], g["affected_ci_id"], g["category_id"])
    )
    shown = groups[:limit]
    # the incidents of the groups shown only, in order: their numbers, first and last
    pairs = Q()
    for g in shown:
        pairs |= Q(affected_ci_id=g["affected_ci_id"], category_id=g["category_id"])
    incidents = defaultdict(list)
    if shown:
        for ci_id, cat_id, number, created in (
            window.filter(pairs)
            .values_list("affected_ci_id", "category_id", "number", "created_at")
            .order_by("created_at", "id")
        ):
            incidents[(ci_id, cat_id)].append((number, created))
    out = []
    for g in shown:
        rows = incidents[(g["affected_ci_id"], g["category_id"])]
        out.append(
            Recurring(
                g["affected_ci_id"],
                g["ci"],
                g["category_id"],
                g["category"],
                [number for number, _created in rows],
                rows[0][1],
                rows[-1][1],
            )
        )
    return out
