# ruff: noqa: S608  (SQL assembled from the code's own table and column names; values bound)
"""The SQL of the knowledge measures (``measures.py`` runs it and shapes the rows).

Each measure is one aggregate statement over its facts (links, resolved incidents, articles,
flags, portal events, coaches' reviews, the journal), grouped by a key: ``''`` for the
period's total, or a dimension:

- ``agent``: the person behind the fact (the incident's assignee, who linked, who wrote the
  article, who resolved the flag, the Candidate reviewed);
- ``group``: the incident's owning group for incident facts (link rate, links); the groups the
  agent is a member of for the others (an agent in two groups counts in both);
- ``service``: the incident's service, or each of the article's services (an article of two
  services counts in both);
- ``category``: the incident's or the article's category;
- ``month``: the UTC month of the fact's time (``YYYY-MM-01``).

A fact without a value of the dimension has key ``0`` (no group, no service...). No row reaches
Python: only one aggregated row per key."""

from __future__ import annotations

from dataclasses import dataclass, replace

from steward.core.kpis import Dialect
from steward.core.models import JournalEntry
from steward.incidents.models import Incident
from steward.knowledge.choices import (
    QUALITY_WEIGHTS,
    FlagStatus,
    LinkKind,
    PortalEventKind,
)
from steward.knowledge.models import (
    Article,
    CoachReview,
    Flag,
    IncidentArticle,
    PortalEvent,
)
from steward.people.choices import Role
from steward.people.models import SupportGroup, User, UserRole

ARTICLE = Article._meta.db_table
ARTICLE_SERVICES = Article.services.through._meta.db_table
LINK = IncidentArticle._meta.db_table
INCIDENT = Incident._meta.db_table
FLAG = Flag._meta.db_table
PORTAL = PortalEvent._meta.db_table
REVIEW = CoachReview._meta.db_table
JOURNAL = JournalEntry._meta.db_table
MEMBERS = SupportGroup.members.through._meta.db_table
ROLES = UserRole._meta.db_table
USERS = User._meta.db_table

#: The sum of the checklist's weights (the AQI's denominator per review).
WEIGHT_TOTAL = sum(QUALITY_WEIGHTS.values())


def is_it(column: str) -> str:
    """SQL: the user ``column`` works in IT (any role but requester, or a superuser) — the
    same rule as ``User.is_it``, less ``is_active``: people who left still did the work. Not
    correlated: the database reads the IT staff once per statement."""
    return (
        f"{column} IN (SELECT ur.user_id FROM {ROLES} AS ur WHERE ur.role <> "
        f"'{Role.REQUESTER.value}' UNION SELECT su.id FROM {USERS} AS su WHERE su.is_superuser)"
    )


@dataclass(frozen=True)
class Source:
    """Where a measure's facts come from and which column gives each dimension.

    ``group`` names a group column, or is ``None`` to use the groups of the ``agent``; a
    dimension in ``missing`` does not apply (the measure is not cut by it). ``article`` is the
    alias of the article table whose services give ``service`` (else the ``service`` column)."""

    tables: str
    at: str
    agent: str = ""
    group: str | None = None
    service: str = ""
    category: str = ""
    article: str = ""
    where: str = ""
    missing: tuple[str, ...] = ()

    def applies(self, by: str) -> bool:
        return by not in self.missing

    def keyed(self, d: Dialect, by: str) -> tuple[str, str]:
        """(the joins the key needs, the key expression)."""
        if by == "":
            return "", "''"
        if by == "month":
            return "", d.bucket(self.at, "month")
        if by == "agent":
            return "", f"COALESCE({self.agent}, 0)"
        if by == "group":
            if self.group:
                return "", f"COALESCE({self.group}, 0)"
            join = f" LEFT JOIN {MEMBERS} AS gm ON gm.user_id = {self.agent}"
            return join, "COALESCE(gm.supportgroup_id, 0)"
        if by == "service" and self.article:
            join = f" LEFT JOIN {ARTICLE_SERVICES} AS sv ON sv.article_id = {self.article}.id"
            return join, "COALESCE(sv.service_id, 0)"
        if by == "service":
            return "", f"COALESCE({self.service}, 0)"
        if by == "category":
            return "", f"COALESCE({self.category}, 0)"
        raise ValueError(by)

    def select(self, d: Dialect, by: str, columns: str, *, where: str = "") -> str:
        """``SELECT <key> AS k, <columns> FROM <facts in [%s, %s)>`` (two parameters)."""
        join, key = self.keyed(d, by)
        conditions = [f"{self.at} >= %s", f"{self.at} < %s"]
        conditions += [c for c in (self.where, where) if c]
        return (
            f"SELECT {key} AS k, {columns} FROM {self.tables}{join} "
            f"WHERE {' AND '.join(conditions)}"
        )


# --- the facts ----------------------------------------------------------------------------------

RESOLVED = Source(
    tables=f"{INCIDENT} AS i",
    at="i.resolved_at",
    agent="i.assignee_id",
    group="i.owning_group_id",
    service="i.service_id",
    category="i.category_id",
)
LINKS = Source(
    tables=f"{LINK} AS l JOIN {INCIDENT} AS i ON i.id = l.incident_id",
    at="l.linked_at",
    agent="l.linked_by_id",
    group="i.owning_group_id",
    service="i.service_id",
    category="i.category_id",
)
#: Citations: links by the article's author and domains.
CITATIONS = Source(
    tables=f"{LINK} AS l JOIN {ARTICLE} AS a ON a.id = l.article_id",
    at="l.linked_at",
    agent="a.created_by_id",
    article="a",
    category="a.category_id",
)
VALIDATED = Source(
    tables=f"{ARTICLE} AS a",
    at="a.validated_at",
    agent="a.created_by_id",
    article="a",
    category="a.category_id",
)
PUBLISHED = Source(
    tables=f"{ARTICLE} AS a",
    at="a.published_at",
    agent="a.created_by_id",
    article="a",
    category="a.category_id",
)
FLAGS_RESOLVED = Source(
    tables=f"{FLAG} AS f JOIN {ARTICLE} AS a ON a.id = f.article_id",
    at="f.resolved_at",
    agent="f.resolved_by_id",
    article="a",
    category="a.category_id",
    where=f"f.status <> '{FlagStatus.OPEN.value}'",
)
SEARCHES = Source(
    tables=f"{PORTAL} AS e",
    at="e.at",
    where=f"e.kind = '{PortalEventKind.SEARCH.value}'",
    missing=("agent", "group", "service", "category"),
)
VIEWS = Source(
    tables=f"{PORTAL} AS e JOIN {ARTICLE} AS a ON a.id = e.article_id",
    at="e.at",
    article="a",
    category="a.category_id",
    where=f"e.kind = '{PortalEventKind.VIEW.value}'",
    missing=("agent", "group"),
)
REVIEWS = Source(
    tables=f"{REVIEW} AS r JOIN {ARTICLE} AS a ON a.id = r.article_id",
    at="r.created_at",
    agent="r.author_id",
    article="a",
    category="a.category_id",
)
#: Incident work: any journal entry on an incident by IT staff.
WORK = Source(
    tables=f"{JOURNAL} AS j",
    at="j.at",
    agent="j.actor_id",
    service="i.service_id",
    category="i.category_id",
    where=(
        f"j.record_type = 'incidents.incident' AND j.actor_id IS NOT NULL AND {is_it('j.actor_id')}"
    ),
)
#: Taking part: a link made, or an article written.
LINKED_BY = Source(
    tables=f"{LINK} AS l JOIN {INCIDENT} AS i ON i.id = l.incident_id",
    at="l.linked_at",
    agent="l.linked_by_id",
    service="i.service_id",
    category="i.category_id",
    where=f"l.linked_by_id IS NOT NULL AND {is_it('l.linked_by_id')}",
)
WRITTEN_BY = Source(
    tables=f"{ARTICLE} AS a",
    at="a.created_at",
    agent="a.created_by_id",
    article="a",
    category="a.category_id",
    where=is_it("a.created_by_id"),
)


# --- the statements (each: SQL and its parameters) -----------------------------------------------


def link_rate(d: Dialect, by: str, start, end) -> tuple[str, list]:
    """k, resolved, resolved with a link."""
    linked = f"EXISTS (SELECT 1 FROM {LINK} AS x WHERE x.incident_id = i.id)"
    columns = f"1 AS den, CASE WHEN {linked} THEN 1 ELSE 0 END AS num"
    facts = RESOLVED.select(d, by, columns)
    return f"SELECT k, SUM(den), SUM(num) FROM ({facts}) AS f GROUP BY k", [start, end]


def links(d: Dialect, by: str, start, end) -> tuple[str, list]:
    """k, links reused, links created."""
    columns = (
        f"CASE WHEN l.kind = '{LinkKind.REUSE.value}' THEN 1 ELSE 0 END AS reuse, "
        f"CASE WHEN l.kind = '{LinkKind.CREATE.value}' THEN 1 ELSE 0 END AS made"
    )
    facts = LINKS.select(d, by, columns)
    return f"SELECT k, SUM(reuse), SUM(made) FROM ({facts}) AS f GROUP BY k", [start, end]


def _work_source(by: str) -> Source:
    if by not in ("service", "category"):
        return WORK
    # the incident's service or category: join the incident the entry is about
    joined = f"{JOURNAL} AS j JOIN {INCIDENT} AS i ON CAST(i.id AS TEXT) = j.record_id"
    return replace(WORK, tables=joined)


def participation(d: Dialect, by: str, start, end) -> tuple[str, list]:
    """k, active agents, agents who took part (linked an article or wrote one).

    Active: IT staff with any incident work (a journal entry on an incident) or who took part;
    so the share is at most 100 %."""
    work = _work_source(by).select(d, by, "j.actor_id AS uid, 0 AS part")
    linked = LINKED_BY.select(d, by, "l.linked_by_id AS uid, 1 AS part")
    written = WRITTEN_BY.select(d, by, "a.created_by_id AS uid, 1 AS part")
    people = f"{work} UNION ALL {linked} UNION ALL {written}"
    sql = (
        "SELECT k, COUNT(DISTINCT uid), COUNT(DISTINCT CASE WHEN part = 1 THEN uid END) "
        f"FROM ({people}) AS p GROUP BY k"
    )
    return sql, [start, end] * 3


def durations(d: Dialect, facts: str) -> str:
    """k, count, mean and median of ``v`` (seconds) per key of ``facts`` (k, v)."""
    if d.postgres:
        return (
            "SELECT k, COUNT(v), AVG(v), percentile_cont(0.5) WITHIN GROUP (ORDER BY v) "
            f"FROM ({facts}) AS f WHERE v IS NOT NULL GROUP BY k"
        )
    # SQLite has no percentile: the middle value (or the mean of the two middle ones)
    ranked = (
        "SELECT k, v, ROW_NUMBER() OVER (PARTITION BY k ORDER BY v) AS rn, "
        f"COUNT(*) OVER (PARTITION BY k) AS n FROM ({facts}) AS f WHERE v IS NOT NULL"
    )
    return (
        "SELECT k, MAX(n), AVG(v), AVG(CASE WHEN rn IN ((n + 1) / 2, (n + 2) / 2) THEN v END) "
        f"FROM ({ranked}) AS r GROUP BY k"
    )


def time_to_validate(d: Dialect, by: str, start, end) -> tuple[str, list]:
    facts = VALIDATED.select(d, by, f"{d.seconds('a.created_at', 'a.validated_at')} AS v")
    return durations(d, facts), [start, end]


def time_to_external(d: Dialect, by: str, start, end) -> tuple[str, list]:
    facts = PUBLISHED.select(d, by, f"{d.seconds('a.created_at', 'a.published_at')} AS v")
    return durations(d, facts), [start, end]


def flag_resolution(d: Dialect, by: str, start, end) -> tuple[str, list]:
    facts = FLAGS_RESOLVED.select(d, by, f"{d.seconds('f.created_at', 'f.resolved_at')} AS v")
    return durations(d, facts), [start, end]


def citations(d: Dialect, by: str, start, end) -> tuple[str, list]:
    """k, links made in the period to the articles of the key."""
    facts = CITATIONS.select(d, by, "1 AS n")
    return f"SELECT k, SUM(n) FROM ({facts}) AS f GROUP BY k", [start, end]


def available(d: Dialect, by: str, start, end, months=()) -> tuple[str, list]:
    """k, articles available during the period (or each month of ``months``: (key, start,
    end)): written before its end and not archived before its start."""
    if by == "month":
        values = ", ".join(
            "(%s, CAST(%s AS timestamptz), CAST(%s AS timestamptz))"
            if d.postgres
            else "(%s, %s, %s)"
            for _ in months
        )
        params = [p for key, s, e in months for p in (key, d.moment(s), d.moment(e))]
        sql = (
            f"WITH b(k, s, e) AS (VALUES {values}) SELECT b.k, COUNT(a.id) FROM b "
            f"JOIN {ARTICLE} AS a ON a.created_at < b.e "
            "AND (a.archived_at IS NULL OR a.archived_at >= b.s) GROUP BY b.k"
        )
        return sql, params
    # the same key as the citations, from the article alone
    source = Source(
        tables=f"{ARTICLE} AS a",
        at="a.created_at",
        agent="a.created_by_id",
        article="a",
        category="a.category_id",
    )
    join, key = source.keyed(d, by)
    facts = (
        f"SELECT {key} AS k, a.id AS id FROM {ARTICLE} AS a{join} WHERE a.created_at < %s "
        "AND (a.archived_at IS NULL OR a.archived_at >= %s)"
    )
    sql = f"SELECT k, COUNT(id) FROM ({facts}) AS f GROUP BY k"
    return sql, [end, start]


def no_incident_within_a_day(d: Dialect) -> str:
    """SQL: no incident raised by the event's person within 24 hours after it."""
    if d.postgres:
        window = "i.created_at >= e.at AND i.created_at <= e.at + INTERVAL '24 hours'"
    else:
        window = (
            "julianday(i.created_at) >= julianday(e.at) "
            "AND julianday(i.created_at) <= julianday(e.at) + 1.0"
        )
    return f"NOT EXISTS (SELECT 1 FROM {INCIDENT} AS i WHERE i.caller_id = e.user_id AND {window})"


def _followed_by_nothing(source: Source, d: Dialect, by: str, start, end, settled) -> tuple:
    """k, events, events followed by no incident of the same person within 24 h. Only the
    events whose 24 hours are over at ``settled`` (now - 24 h) count: a younger one may still
    be followed by an incident."""
    columns = f"1 AS den, CASE WHEN {no_incident_within_a_day(d)} THEN 1 ELSE 0 END AS num"
    facts = source.select(d, by, columns, where="e.at <= %s")
    return (
        f"SELECT k, SUM(den), SUM(num) FROM ({facts}) AS f GROUP BY k",
        [start, end, settled],
    )


def self_service(d: Dialect, by: str, start, end, settled) -> tuple[str, list]:
    return _followed_by_nothing(SEARCHES, d, by, start, end, settled)


def deflection(d: Dialect, by: str, start, end, settled) -> tuple[str, list]:
    return _followed_by_nothing(VIEWS, d, by, start, end, settled)


def weighted_defects(d: Dialect) -> str:
    """SQL: Σ weight of the criteria a review (``r``) found wanting (each criterion once)."""
    cases = " ".join(f"WHEN '{c.value}' THEN {w}" for c, w in QUALITY_WEIGHTS.items())
    if d.postgres:
        items = "(SELECT DISTINCT x AS c FROM jsonb_array_elements_text(r.defects) AS x)"
    else:
        items = "(SELECT DISTINCT value AS c FROM json_each(r.defects))"
    return f"(SELECT COALESCE(SUM(CASE c {cases} ELSE 0 END), 0) FROM {items} AS dx)"


def aqi(d: Dialect, by: str, start, end) -> tuple[str, list]:
    """k, reviews, Σ weighted defects."""
    facts = REVIEWS.select(d, by, f"{weighted_defects(d)} AS w")
    return f"SELECT k, COUNT(*), SUM(w) FROM ({facts}) AS f GROUP BY k", [start, end]


#: The sources of each measure (which dimensions it can be cut by).
SOURCES = {
    "link_rate": RESOLVED,
    "links": LINKS,
    "participation": WORK,
    "time_to_validate": VALIDATED,
    "time_to_external": PUBLISHED,
    "citations": CITATIONS,
    "flag_resolution": FLAGS_RESOLVED,
    "self_service": SEARCHES,
    "deflection": VIEWS,
    "aqi": REVIEWS,
}
