"""Read-side helpers of the problems app: problems with their relations, the known errors that
match an incident, the linked incidents' counts per service and week, the workaround's use, and
the trends report (proactive problem management)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from steward.incidents.choices import ACTIVE_STATUSES as INCIDENT_ACTIVE
from steward.incidents.models import Incident
from steward.problems import search
from steward.problems.choices import PUBLISHED_STATUSES
from steward.problems.models import Problem, ProblemIncident, RootCauseAnalysis, WorkaroundUse
from steward.services.models import ConfigurationItem, Service


def with_relations(qs):
    return qs.select_related("owner", "owning_group", "category", "rca").prefetch_related(
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


def _hours(created, resolved, end) -> float:
    stop = min(resolved or end, end)
    return max(0.0, (stop - created).total_seconds() / 3600)


def _tally(rows, end) -> dict:
    counts, hours, names = Counter(), defaultdict(float), {}
    for key, name, created, resolved in rows:
        counts[key] += 1
        hours[key] += _hours(created, resolved, end)
        names[key] = name
    return counts, hours, names


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
    for name, (key, label) in DIMENSIONS.items():
        now = Incident.objects.filter(
            created_at__gte=start, created_at__lt=end, **{f"{key}__isnull": False}
        ).values_list(key, label, "created_at", "resolved_at")
        before = Incident.objects.filter(
            created_at__gte=previous_start, created_at__lt=start, **{f"{key}__isnull": False}
        ).values_list(key, label, "created_at", "resolved_at")
        c_now, h_now, names = _tally(now, end)
        c_before, h_before, _names = _tally(before, start)
        rows = [
            TrendRow(
                k,
                names[k],
                c_now[k],
                round(h_now[k], 1),
                c_before.get(k, 0),
                round(h_before.get(k, 0.0), 1),
            )
            for k in c_now
        ]
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
    rows = (
        Incident.objects.filter(
            created_at__gte=start,
            created_at__lt=end,
            affected_ci__isnull=False,
            category__isnull=False,
        )
        .exclude(pk__in=ProblemIncident.objects.values("incident_id"))
        .values_list(
            "affected_ci_id",
            "affected_ci__name",
            "category_id",
            "category__name",
            "number",
            "created_at",
        )
        .order_by("created_at", "id")
    )
    groups: dict[tuple, Recurring] = {}
    for ci_id, ci, cat_id, cat, number, created in rows:
        group = groups.get((ci_id, cat_id))
        if group is None:
            group = groups[(ci_id, cat_id)] = Recurring(
                ci_id, ci, cat_id, cat, [], created, created
            )
        group.numbers.append(number)
        group.last = created
    found = [g for g in groups.values() if g.count >= min_count]
    found.sort(key=lambda g: (-g.count, g.ci, g.category))
    return found[:limit]
