"""Impact analysis: which services a failing CI affects, through the relationship graph.

Impact flows *against* dependencies: when the database fails, the application that
``depends_on`` it fails too; when the host fails, the VM that ``runs_on`` it fails. A failing
part affects the whole it is ``part_of``, and ``connected_to`` carries impact both ways.

The reachable part of the graph is found in the database by one statement that runs on SQLite
and PostgreSQL alike: a recursive CTE collects the reachable CIs, combining its rows with
``UNION`` (not ``UNION ALL``) so that a CI already reached is never produced — nor expanded —
again: cycles stop by themselves and the work is linear in the reachable subgraph, where carrying
every path as a string would enumerate every simple path (exponential in diamonds). The same
statement then returns every impact-carrying edge out of the reached CIs and their service links.
The shortest explaining path to each affected service is read from those edges by a
breadth-first walk in Python; ties are broken by CI id so the answer is stable.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from itertools import pairwise

from django.db import connection
from django.db.models import Prefetch

from steward.people.models import Organization
from steward.services.choices import RelationshipType
from steward.services.models import CIRelationship, ConfigurationItem, Service, ServiceCI

#: Relationship types along which impact flows from the target to the source, and the reverse.
FROM_TARGET = (RelationshipType.DEPENDS_ON, RelationshipType.RUNS_ON, RelationshipType.CONNECTED_TO)
FROM_SOURCE = (RelationshipType.PART_OF, RelationshipType.CONNECTED_TO)


def _in(values) -> str:
    return ", ".join(f"'{v.value}'" for v in values)  # enumeration constants, never user input


def impact_sql() -> str:
    """One statement: the CIs reachable from ``%s`` (a recursive CTE whose ``UNION`` expands each
    CI once), then every impact-carrying edge out of them and their service links."""
    rel = CIRelationship._meta.db_table
    link = ServiceCI._meta.db_table
    from_target, from_source = _in(FROM_TARGET), _in(FROM_SOURCE)
    return f"""
WITH RECURSIVE reach(ci_id) AS (
    SELECT CAST(%s AS BIGINT)
    UNION
    SELECT CASE WHEN e.target_id = r.ci_id THEN e.source_id ELSE e.target_id END
    FROM reach r
    JOIN {rel} e
      ON (e.target_id = r.ci_id AND e.type IN ({from_target}))
      OR (e.source_id = r.ci_id AND e.type IN ({from_source}))
)
SELECT e.source_id, e.target_id, e.type, CAST(NULL AS BIGINT)
FROM {rel} e
WHERE e.target_id IN (SELECT ci_id FROM reach) AND e.type IN ({from_target})
UNION ALL
SELECT e.target_id, e.source_id, e.type, NULL
FROM {rel} e
WHERE e.source_id IN (SELECT ci_id FROM reach) AND e.type IN ({from_source})
UNION ALL
SELECT l.ci_id, NULL, NULL, l.service_id
FROM {link} l
WHERE l.ci_id IN (SELECT ci_id FROM reach)
"""  # noqa: S608 - table names from the models, values as parameters


@dataclass(frozen=True)
class Step:
    ci_id: int
    relationship: str | None  # how impact reached this CI from the previous step
    reversed: bool  # True when the stored edge points from this CI to the previous one


@dataclass
class Reach:
    start: int
    parent: dict[int, tuple[int, str] | None]  # CI -> (the CI before it, relationship type)
    depth: dict[int, int]
    services: dict[int, list[int]]  # service id -> CIs through which it is affected

    def path(self, ci_id: int) -> list[Step]:
        """The shortest path from the failing CI to ``ci_id``, first step first."""
        steps = []
        current: int | None = ci_id
        while current is not None:
            link = self.parent[current]
            if link is None:
                steps.append(Step(current, None, False))
                current = None
            else:
                previous, rel_type = link
                reversed_ = rel_type in FROM_TARGET and rel_type != RelationshipType.CONNECTED_TO
                steps.append(Step(current, rel_type, reversed_))
                current = previous
        return steps[::-1]


def reach(ci_id: int) -> Reach:
    """Every CI reachable from ``ci_id`` (breadth first, so with its shortest path), and the
    services they deliver."""
    with connection.cursor() as cursor:
        cursor.execute(impact_sql(), [ci_id])
        rows = cursor.fetchall()
    edges: dict[int, list[tuple[int, str]]] = {}
    services: dict[int, list[int]] = {}
    for to_id, from_id, rel_type, service_id in rows:
        if service_id is not None:
            services.setdefault(service_id, []).append(to_id)
        else:
            edges.setdefault(from_id, []).append((to_id, rel_type))
    parent: dict[int, tuple[int, str] | None] = {ci_id: None}
    depth = {ci_id: 0}
    queue = deque([ci_id])
    while queue:
        current = queue.popleft()
        for to_id, rel_type in sorted(edges.get(current, ())):
            if to_id not in parent:
                parent[to_id] = (current, rel_type)
                depth[to_id] = depth[current] + 1
                queue.append(to_id)
    return Reach(ci_id, parent, depth, services)


def _sentence(prev, step: Step, names: dict[int, str]) -> str:
    label = str(RelationshipType(step.relationship).label)
    a, b = names[prev], names[step.ci_id]
    return f"{b} {label} {a}" if step.reversed else f"{a} {label} {b}"


def analyse(ci: ConfigurationItem) -> dict:
    """The impact of ``ci`` failing: each affected service with its owner, customers, the CI that
    delivers it and the shortest path that explains it, most critical first."""
    result = reach(ci.pk)
    best: dict[int, list[Step]] = {}
    for service_id, linked in result.services.items():
        nearest = min(result.depth[c] for c in linked if c in result.depth)
        paths = [result.path(c) for c in linked if result.depth.get(c) == nearest]
        best[service_id] = min(paths, key=lambda p: [s.ci_id for s in p])
    on_paths = {s.ci_id for path in best.values() for s in path}
    cis = {
        c.pk: c
        for c in ConfigurationItem.objects.filter(pk__in=on_paths).select_related("ci_class")
    }
    names = {pk: c.name for pk, c in cis.items()}
    services = (
        Service.objects.filter(pk__in=best)
        .select_related("owner")
        .prefetch_related(Prefetch("customers", queryset=Organization.objects.order_by("name")))
    )
    out = []
    for s in services:
        path = best[s.pk]
        out.append(
            {
                "service": {
                    "id": s.pk,
                    "name": s.name,
                    "status": s.status,
                    "criticality": s.criticality,
                },
                "owner": {
                    "id": s.owner.pk,
                    "username": s.owner.username,
                    "name": s.owner.display_name,
                },
                "customers": [{"id": o.pk, "name": o.name} for o in s.customers.all()],
                "delivered_by": _ci(cis[path[-1].ci_id]),
                "depth": len(path) - 1,
                "path": [
                    {"ci": _ci(cis[st.ci_id]), "relationship": st.relationship} for st in path
                ],
                "explanation": [_sentence(prev.ci_id, st, names) for prev, st in pairwise(path)]
                + [f"{s.name} is delivered by {names[path[-1].ci_id]}"],
            }
        )
    out.sort(key=lambda r: (r["service"]["criticality"], r["depth"], r["service"]["name"]))
    return {
        "ci": _ci(ci),
        "affected_ci_count": len(result.parent) - 1,
        "count": len(out),
        "services": out,
    }


def _ci(ci: ConfigurationItem) -> dict:
    return {"id": ci.pk, "name": ci.name, "ci_class": ci.ci_class.name}


def propose_service(ci: ConfigurationItem) -> Service | None:
    """The service an incident on ``ci`` most likely concerns: the most critical service that
    the CI delivers directly, else the nearest affected one (for "choosing a CI proposes its
    service"). None when the CI affects no service."""
    direct = (
        Service.objects.filter(ci_links__ci=ci).order_by("criticality", "name").first()
        if ci.pk
        else None
    )
    if direct is not None:
        return direct
    result = reach(ci.pk)
    if not result.services:
        return None
    nearest = {
        service_id: min(result.depth[c] for c in linked)
        for service_id, linked in result.services.items()
    }
    candidates = Service.objects.filter(pk__in=nearest).only("pk", "name", "criticality")
    return min(candidates, key=lambda s: (nearest[s.pk], s.criticality, s.name), default=None)
