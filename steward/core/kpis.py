"""KPI definitions and the one statement that computes a KPI (the registry behind reporting).

A practice declares its KPIs in its ``Practice(kpis=[...])`` (``core.practices``); the
reporting app reads them with :func:`enabled_kpis` / :func:`get_kpi` and never imports the
practice. A practice that is switched off contributes no KPI.

A :class:`Kpi` is a definition (key, name, description, the formula in words, unit, which
direction is good, the dimensions it can be cut by) plus its SQL: ``facts(dialect)`` returns a
SELECT of one row per fact, with these columns:

- event KPIs (``snapshot=False``): ``at`` (when the fact happened: it decides the period and
  the day/week/month bucket), ``rid`` (the record behind the fact), ``v`` (the measure, in
  seconds for durations; NULL where not measured), ``num`` and ``den`` (0/1 flags of rates),
  and one column per dimension (``service_id``, ``group_id``, ``priority``,
  ``organization_id``);
- snapshot KPIs (``snapshot=True``, e.g. the backlog): ``opened_at`` and ``closed_at`` (NULL
  while open), ``rid`` and the dimension columns; a record counts at instant ``t`` when
  ``opened_at <= t < closed_at``, and ``v`` is its age at ``t``.

:func:`compute` wraps the facts in ONE statement that filters them (period, previous period,
dimensions), tags each row with its part (``value``, ``previous``, ``series``) and bucket, and
aggregates in the database (count, mean, median, p90, rate, distinct rate): no row reaches
Python. PostgreSQL computes percentiles with ``percentile_cont``; SQLite, which has none, with
window functions and the same linear interpolation. :func:`record_ids` gives the SQL of the
record ids behind one figure (the drill-down), from the same facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection

from steward.core.practices import contributions

#: What every KPI may be cut by (a KPI declares the subset it supports).
DIMENSIONS = ("service", "group", "priority", "organization")
#: The fact column of each dimension.
DIMENSION_COLUMNS = {
    "service": "service_id",
    "group": "group_id",
    "priority": "priority",
    "organization": "organization_id",
}
TIME_BUCKETS = ("day", "week", "month")
GROUPINGS = (*DIMENSIONS, *TIME_BUCKETS)
AGGREGATES = ("count", "mean", "median", "p90", "rate", "distinct_rate")
UNITS = ("count", "percent", "hours", "ratio")
GOOD = ("up", "down")
#: The bucket of the records without a value of the grouping dimension (no service...).
NO_VALUE = "none"
#: Most buckets one series may have (a day series over more than this is refused).
MAX_BUCKETS = 400

_PERCENTILES = {"median": 0.5, "p90": 0.9}


@dataclass(frozen=True)
class Kpi:
    """One KPI: what it means and the SQL that computes it (see the module docstring)."""

    key: str
    name: str
    description: str
    formula: str
    unit: str
    good: str
    aggregate: str
    facts: Callable  # (Dialect) -> SQL text (no parameters)
    dimensions: tuple[str, ...] = DIMENSIONS
    snapshot: bool = False
    #: What the records behind a figure are called ("incidents", "handovers of incidents").
    records_label: str = ""
    #: (user, sql, params, offset, limit) -> (count, [(label, url, meta)]): the records whose
    #: ids the SQL selects, as the user may see them (the drill-down page reads it).
    records: Callable | None = None
    order: int = 100

    def __post_init__(self):
        object.__setattr__(self, "dimensions", tuple(self.dimensions))
        if self.aggregate not in AGGREGATES:
            raise ValueError(f"{self.key}: aggregate must be one of {AGGREGATES}")
        if self.unit not in UNITS:
            raise ValueError(f"{self.key}: unit must be one of {UNITS}")
        if self.good not in GOOD:
            raise ValueError(f"{self.key}: good must be one of {GOOD}")
        if not set(self.dimensions) <= set(DIMENSIONS):
            raise ValueError(f"{self.key}: dimensions must be among {DIMENSIONS}")

    @property
    def groupings(self) -> tuple[str, ...]:
        return (*self.dimensions, *TIME_BUCKETS)

    def scale(self, value: float | None) -> float | int | None:
        """The aggregate as the unit shows it (seconds -> hours, share -> percent)."""
        if value is None:
            return None
        value = float(value)
        if self.unit == "count":
            return int(value) if value.is_integer() else round(value, 2)
        if self.unit == "hours":
            value /= 3600
        elif self.unit == "percent":
            value *= 100
        return round(value, 2)


def enabled_kpis() -> list[Kpi]:
    """The KPIs of the practices that are switched on, in their order."""
    return sorted(contributions("kpis"), key=lambda k: (k.order, k.key))


def get_kpi(key: str) -> Kpi | None:
    """The KPI ``key`` if its practice is on."""
    return next((k for k in contributions("kpis") if k.key == key), None)


# --- SQL per database ---------------------------------------------------------------------------


class Dialect:
    """The few expressions that differ between SQLite and PostgreSQL."""

    def __init__(self, vendor: str):
        self.vendor = vendor
        self.postgres = vendor == "postgresql"

    def seconds(self, start: str, end: str) -> str:
        """``end - start`` in seconds, as a number."""
        if self.postgres:
            return f"EXTRACT(EPOCH FROM ({end} - {start}))"
        return f"((julianday({end}) - julianday({start})) * 86400.0)"

    def to_int(self, text: str) -> str:
        return f"CAST({text} AS {'bigint' if self.postgres else 'INTEGER'})"

    def json_text(self, column: str, key: str, index: int) -> str:
        """The text at ``column[key][index]`` of a JSON column (a journal change's after)."""
        if self.postgres:
            return f"({column} -> '{key}' ->> {index})"
        return f"json_extract({column}, '$.{key}[{index}]')"

    def bucket(self, column: str, unit: str) -> str:
        """The first day of the UTC day, ISO week (Monday) or month of ``column``, as text."""
        if self.postgres:
            return f"to_char(date_trunc('{unit}', {column} AT TIME ZONE 'UTC'), 'YYYY-MM-DD')"
        if unit == "day":
            return f"substr({column}, 1, 10)"
        if unit == "week":
            return f"date({column}, '-6 days', 'weekday 1')"
        return f"(substr({column}, 1, 7) || '-01')"

    def moment(self, value: dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)


def dialect() -> Dialect:
    return Dialect(connection.vendor)


# --- the query ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """A KPI request: the period ``[start, end)``, dimension filters and the grouping."""

    start: dt.datetime
    end: dt.datetime
    filters: dict = field(default_factory=dict)  # dimension -> id
    group_by: str = ""

    @property
    def previous_start(self) -> dt.datetime:
        return self.start - (self.end - self.start)


def buckets(unit: str, start: dt.datetime, end: dt.datetime) -> list[tuple[str, dt.datetime]]:
    """The buckets of ``[start, end)`` in UTC: (first day as text, end of the bucket capped at
    ``end``), in order."""
    day = start.astimezone(dt.UTC).date()
    if unit == "week":
        day -= dt.timedelta(days=day.weekday())
    elif unit == "month":
        day = day.replace(day=1)
    out = []
    while True:
        moment = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
        if moment >= end:
            break
        if unit == "day":
            following = day + dt.timedelta(days=1)
        elif unit == "week":
            following = day + dt.timedelta(days=7)
        else:
            following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        stop = min(dt.datetime.combine(following, dt.time(), tzinfo=dt.UTC), end)
        out.append((day.isoformat(), stop))
        day = following
    return out


def _dimension_filters(kpi: Kpi, query: Query, alias: str) -> tuple[str, list]:
    where, params = [], []
    for name, value in query.filters.items():
        if value is None:
            continue
        if name not in kpi.dimensions:
            raise ValueError(name)
        where.append(f"{alias}.{DIMENSION_COLUMNS[name]} = %s")
        params.append(value)
    return "".join(f" AND {w}" for w in where), params


def _aggregate(kpi: Kpi, d: Dialect, source: str) -> str:
    """SELECT part, bucket, n, value FROM ``source`` (rows: part, bucket, v, num, den, rid)."""
    agg = kpi.aggregate
    if agg == "count":
        return f"SELECT part, bucket, COUNT(*), COUNT(*) FROM {source} GROUP BY part, bucket"
    if agg == "mean":
        return f"SELECT part, bucket, COUNT(v), AVG(v) FROM {source} GROUP BY part, bucket"
    if agg == "rate":
        return (
            f"SELECT part, bucket, SUM(den), SUM(num) * 1.0 / NULLIF(SUM(den), 0) "
            f"FROM {source} GROUP BY part, bucket"
        )
    if agg == "distinct_rate":
        num = "COUNT(DISTINCT CASE WHEN num = 1 THEN rid END)"
        den = "COUNT(DISTINCT CASE WHEN den = 1 THEN rid END)"
        return (
            f"SELECT part, bucket, {den}, {num} * 1.0 / NULLIF({den}, 0) "
            f"FROM {source} GROUP BY part, bucket"
        )
    p = _PERCENTILES[agg]
    if d.postgres:
        return (
            f"SELECT part, bucket, COUNT(v), percentile_cont({p}) WITHIN GROUP (ORDER BY v) "
            f"FROM {source} WHERE v IS NOT NULL GROUP BY part, bucket"
        )
    # SQLite: rank the values of each group, then interpolate between the ranks around p
    ranked = (
        f"SELECT part, bucket, v, ROW_NUMBER() OVER (PARTITION BY part, bucket ORDER BY v) AS rn, "
        f"COUNT(*) OVER (PARTITION BY part, bucket) AS n FROM {source} WHERE v IS NOT NULL"
    )
    placed = (
        f"SELECT part, bucket, v, rn, n, CAST((n - 1) * {p} AS INTEGER) + 1 AS lo, "
        f"(n - 1) * {p} - CAST((n - 1) * {p} AS INTEGER) AS frac FROM ({ranked}) AS ranked"
    )
    low = "MAX(CASE WHEN rn = lo THEN v END)"
    high = f"COALESCE(MAX(CASE WHEN rn = lo + 1 THEN v END), {low})"
    return (
        f"SELECT part, bucket, MAX(n), {low} + ({high} - {low}) * MAX(frac) "
        f"FROM ({placed}) AS placed GROUP BY part, bucket"
    )


def statement(kpi: Kpi, query: Query, d: Dialect | None = None) -> tuple[str, list]:
    """The one statement of a KPI request: rows of (part, bucket, n, value).

    The facts of both periods are filtered once into a CTE (``f``) of only the columns the
    request reads. A series of a count, mean or rate reads the facts once, its buckets rolled
    up into the period's value (:func:`rolls_up`). Other series (percentiles, distinct rates:
    no roll-up) read it in two parts, so it is materialized: the facts' own
    expressions (a correlated subquery, a duration) are computed once per record, not once per
    part. Without one it is not: a materialized CTE computes every column of the facts (a
    dimension's subquery too), rules out a parallel plan and an index-only scan, and writes its
    rows out to read them back (benchmarks/RESULTS.md, "kpis.py")."""
    d = d or dialect()
    facts = kpi.facts(d)
    dims, dim_params = _dimension_filters(kpi, query, "f0")
    if kpi.snapshot:
        return _snapshot_statement(kpi, query, d, facts, dims, dim_params)
    group_by = query.group_by
    start, end = d.moment(query.start), d.moment(query.end)
    previous = d.moment(query.previous_start)
    if rolls_up(kpi, query):
        return _one_pass_statement(kpi, query, d, facts, (dims, dim_params))
    columns = "f0.at, f0.v, f0.num, f0.den, f0.rid"
    if group_by in DIMENSIONS:
        columns += f", f0.{DIMENSION_COLUMNS[group_by]}"
    materialized = "MATERIALIZED" if group_by else "NOT MATERIALIZED"
    filtered = (
        f"f AS {materialized} (SELECT {columns} FROM ({facts}) AS f0 "
        f"WHERE f0.at >= %s AND f0.at < %s{dims})"
    )
    params = [previous, end, *dim_params]
    tagged = (
        "SELECT CASE WHEN f.at >= %s THEN 'value' ELSE 'previous' END AS part, "
        "'' AS bucket, f.v AS v, f.num AS num, f.den AS den, f.rid AS rid FROM f"
    )
    params.append(start)
    if group_by:
        bucket = (
            d.bucket("f.at", group_by)
            if group_by in TIME_BUCKETS
            else f"CAST(f.{DIMENSION_COLUMNS[group_by]} AS TEXT)"
        )
        tagged += (
            f" UNION ALL SELECT 'series', {bucket}, f.v, f.num, f.den, f.rid FROM f "
            f"WHERE f.at >= %s"
        )
        params.append(start)
    return f"WITH {filtered} " + _aggregate(kpi, d, f"({tagged}) AS t"), params


#: Aggregates whose value over a period is a roll-up of its buckets' (count, n, value).
ROLLED_UP = ("count", "mean", "rate")


def rolls_up(kpi: Kpi, query: Query) -> bool:
    """Whether the period's value is rolled up from the series' buckets (one pass over the
    facts) rather than aggregated in a part of its own (two passes)."""
    return not kpi.snapshot and bool(query.group_by) and kpi.aggregate in ROLLED_UP


def _one_pass_statement(kpi, query, d, facts, dimensions) -> tuple[str, list]:
    """A series of a count, mean or rate in one pass: each fact tagged once, as the previous
    period or as its bucket of the period (:func:`compute` rolls the period's value up from
    the buckets). Reading the facts once halves a series' cost (benchmarks/RESULTS.md)."""
    dims, dim_params = dimensions
    group_by = query.group_by
    bucket = (
        d.bucket("f0.at", group_by)
        if group_by in TIME_BUCKETS
        else f"CAST(f0.{DIMENSION_COLUMNS[group_by]} AS TEXT)"
    )
    tagged = (
        "SELECT CASE WHEN f0.at >= %s THEN 'series' ELSE 'previous' END AS part, "
        f"CASE WHEN f0.at >= %s THEN {bucket} ELSE '' END AS bucket, f0.v AS v, "
        f"f0.num AS num, f0.den AS den, f0.rid AS rid FROM ({facts}) AS f0 "
        f"WHERE f0.at >= %s AND f0.at < %s{dims}"
    )
    start, previous, end = (d.moment(m) for m in (query.start, query.previous_start, query.end))
    return _aggregate(kpi, d, f"({tagged}) AS t"), [start, start, previous, end, *dim_params]


def _rolled_up(aggregate: str, buckets: list[tuple[int, float | None]]) -> tuple[int, float | None]:
    """The period's (n, value) from its buckets' (n, value): a count is the sum; a mean or a
    rate is the buckets' values weighted by their n (values, or the rate's denominator)."""
    total = sum(n for n, _v in buckets)
    if aggregate == "count":
        return total, total
    weighted = sum(n * float(v) for n, v in buckets if v is not None)
    return total, (weighted / total if total else None)


def _snapshot_statement(kpi, query, d, facts, dims, dim_params) -> tuple[str, list]:
    """Snapshot KPIs: the records open at each instant (the period's end, the previous period's
    end, each bucket's end), joined with those instants."""
    group_by = query.group_by
    instants = [("value", "", query.end), ("previous", "", query.start)]
    if group_by in TIME_BUCKETS:
        instants += [
            ("series", key, stop) for key, stop in buckets(group_by, query.start, query.end)
        ]
    elif group_by:
        instants.append(("series", "", query.end))
    values = ", ".join(
        "(%s, %s, CAST(%s AS timestamptz))" if d.postgres else "(%s, %s, %s)" for _ in instants
    )
    params: list = []
    for part, key, moment in instants:
        params += [part, key, d.moment(moment)]
    first, last = min(m for *_, m in instants), max(m for *_, m in instants)
    columns = "f0.opened_at, f0.closed_at, f0.rid"
    if group_by in DIMENSIONS:
        columns += f", f0.{DIMENSION_COLUMNS[group_by]}"
    filtered = (
        f"f AS MATERIALIZED (SELECT {columns} FROM ({facts}) AS f0 WHERE f0.opened_at <= %s "
        f"AND (f0.closed_at IS NULL OR f0.closed_at > %s){dims})"
    )
    params += [d.moment(last), d.moment(first), *dim_params]
    bucket = "e.bucket"
    if group_by in DIMENSIONS:
        bucket = (
            f"CASE WHEN e.part = 'series' THEN CAST(f.{DIMENSION_COLUMNS[group_by]} AS TEXT) "
            f"ELSE '' END"
        )
    tagged = (
        f"SELECT e.part AS part, {bucket} AS bucket, {d.seconds('f.opened_at', 'e.t')} AS v, "
        f"1 AS num, 1 AS den, f.rid AS rid FROM instants AS e JOIN f "
        f"ON f.opened_at <= e.t AND (f.closed_at IS NULL OR f.closed_at > e.t)"
    )
    sql = f"WITH instants(part, bucket, t) AS (VALUES {values}), {filtered} " + _aggregate(
        kpi, d, f"({tagged}) AS t"
    )
    return sql, params


@dataclass
class Figure:
    """A computed KPI: the value, the previous period's, and the series (bucket -> value)."""

    value: float | None
    count: int
    previous: float | None
    previous_count: int
    series: list[dict]


def compute(kpi: Kpi, query: Query) -> Figure:
    """Run the KPI's one statement and shape its rows (one per part and bucket)."""
    sql, params = statement(kpi, query)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found = {(part, bucket or ""): (n, value) for part, bucket, n, value in rows}
    if rolls_up(kpi, query):
        found["value", ""] = _rolled_up(
            kpi.aggregate, [(n or 0, v) for (part, _), (n, v) in found.items() if part == "series"]
        )
    value_n, value = found.get(("value", ""), (0, None))
    previous_n, previous = found.get(("previous", ""), (0, None))
    empty = 0 if kpi.aggregate == "count" else None
    if kpi.aggregate == "count":
        value, previous = value or 0, previous or 0
    series = []
    if query.group_by in TIME_BUCKETS:
        for key, _stop in buckets(query.group_by, query.start, query.end):
            n, v = found.get(("series", key), (0, empty))
            series.append({"key": key, "value": kpi.scale(v), "count": int(n or 0)})
    elif query.group_by:
        for (part, key), (n, v) in sorted(found.items()):
            if part == "series":
                series.append({"key": key, "value": kpi.scale(v), "count": int(n or 0)})
    return Figure(
        kpi.scale(value), int(value_n or 0), kpi.scale(previous), int(previous_n or 0), series
    )


def record_ids(kpi: Kpi, query: Query, bucket: str = "") -> tuple[str, list]:
    """SQL selecting the distinct ids of the records behind the period's figure (or one
    bucket's: a day/week/month's first day, a dimension's id, or ``NO_VALUE`` for the
    records without one)."""
    d = dialect()
    facts = kpi.facts(d)
    dims, params = _dimension_filters(kpi, query, "f")
    start, end = query.start, query.end
    group_by = query.group_by
    extra = ""
    if bucket and group_by in TIME_BUCKETS:
        stops = dict(buckets(group_by, start, end))
        if bucket not in stops:
            raise ValueError("bucket")
        if kpi.snapshot:
            end = stops[bucket]
        else:
            start = max(start, dt.datetime.fromisoformat(bucket).replace(tzinfo=dt.UTC))
            end = stops[bucket]
    elif bucket == NO_VALUE and group_by in DIMENSIONS:
        extra, bucket = f" AND f.{DIMENSION_COLUMNS[group_by]} IS NULL", ""
    elif bucket and group_by in DIMENSIONS:
        extra = f" AND CAST(f.{DIMENSION_COLUMNS[group_by]} AS TEXT) = %s"
    if kpi.snapshot:
        sql = (
            f"SELECT DISTINCT f.rid FROM ({facts}) AS f WHERE f.opened_at <= %s "
            f"AND (f.closed_at IS NULL OR f.closed_at > %s){dims}{extra}"
        )
        moments = [d.moment(end), d.moment(end)]
    else:
        sql = (
            f"SELECT DISTINCT f.rid FROM ({facts}) AS f WHERE f.at >= %s AND f.at < %s{dims}{extra}"
        )
        moments = [d.moment(start), d.moment(end)]
    return sql, [*moments, *params, *([bucket] if bucket and extra else [])]
