"""The month's KPI set at scale: every registered KPI for the last 30 days of the load, through
``steward.core.kpis.compute`` (the one statement with its previous period and series, and the
shaping of its rows), each beside its floor measured in the same run. Target: each KPI's p95
within 2x of its floor's p95.

The floor of a KPI is the raw aggregate SQL of the same facts, run alone on the same connection
right after (or before: the order alternates) each compute: the KPI's facts subquery, filtered
to the same window (both periods: compute reports the previous period too) and dimensions,
wrapped in one plain aggregate (COUNT, AVG, percentile, rate) grouped by period — or by day
for the day series — without the materialized CTE and the tagging of parts (value, previous,
series) that compute adds. Snapshot KPIs (the backlog) have no parts to strip (the instants are
the parts): their floor is the facts open in the window, read once, joined with the same
instants (value, previous and each day's end) — compute's statement without the Python around
it. When the floor's grouping gives the period's value (all variants but the day series), the
script checks that compute's value equals it.

Three variants of the set: the month (``group_by`` none), the month by day (``group_by=day``:
30 buckets, 32 instants for the backlog) and the month for one service (a dimension filter).

    python benchmarks/kpis.py --incidents 100000                                     # SQLite
    python benchmarks/kpis.py --incidents 1000000 --runs 5 \\
        --database postgresql://postgres@127.0.0.1:5432/steward_kpibench            # PostgreSQL

The data (benchmarks/incident_history.py: N incidents over 90 days with their journal,
handovers, major incidents, reviews and SLA/OLA clocks) is loaded once and kept: a later run on
the same database (or the same SQLite file, /tmp/steward-kpibench/kpis-N.sqlite3) finds it and
measures at once. ``--reload`` drops the database and loads again: never point it at data you
want to keep. ``--only`` measures some KPIs (default: every registered one).

Proposed fixes are measured here before they reach ``steward/``: ``--proposal`` runs compute
with the statement proposed to the lead (proposed_statement, proposed_compute below; the script
checks that it gives the same figure, series included), ``--temp-index "CREATE INDEX name ON
..."`` creates an index for this run only (dropped at the end), and ``--explain`` prints the
plans (EXPLAIN ANALYZE on PostgreSQL) of compute's statement and the floor instead of timing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.support import load_average, quantiles, setup_environment  # noqa: E402

SQLITE_DIR = Path(tempfile.gettempdir()) / "steward-kpibench"
VARIANTS = ("month", "day", "service")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--incidents", type=int, default=100_000)
    p.add_argument("--database", default="", help="PostgreSQL URL (default: a SQLite file)")
    p.add_argument("--runs", type=int, default=10, help="timed runs per KPI (after 1 warm-up)")
    p.add_argument("--variants", default=",".join(VARIANTS), help="month,day,service")
    p.add_argument("--only", default="", help="comma-separated KPI keys (default: all)")
    p.add_argument("--reload", action="store_true", help="drop the database and load again")
    p.add_argument(
        "--temp-index", action="append", default=[], help="CREATE INDEX ... for this run only"
    )
    p.add_argument(
        "--proposal",
        action="store_true",
        help="compute with the proposed statement (see proposed_statement) instead of core's",
    )
    p.add_argument(
        "--explain",
        action="store_true",
        help="print the plans (EXPLAIN ANALYZE on PostgreSQL) of compute's statement and the "
        "floor instead of timing them",
    )
    return p.parse_args()


def floor_statement(kpi, query, d) -> tuple[str, list]:
    """The KPI's facts in one plain aggregate (see the module docstring): rows of (part,
    bucket, n, value), part being the period ('value'/'previous') or the day."""
    from steward.core import kpis

    facts = kpi.facts(d)
    dims, dim_params = kpis._dimension_filters(kpi, query, "f0")
    if kpi.snapshot:
        instants = [("value", "", query.end), ("previous", "", query.start)]
        if query.group_by in kpis.TIME_BUCKETS:
            instants += [
                ("series", key, stop)
                for key, stop in kpis.buckets(query.group_by, query.start, query.end)
            ]
        values = ", ".join(
            "(%s, %s, CAST(%s AS timestamptz))" if d.postgres else "(%s, %s, %s)" for _ in instants
        )
        params = [x for part, key, moment in instants for x in (part, key, d.moment(moment))]
        # the facts read once (as compute does: a plain subquery would evaluate the facts'
        # correlated subqueries once per instant), joined with the instants
        first, last = min(m for *_, m in instants), max(m for *_, m in instants)
        window = (
            f"f AS MATERIALIZED (SELECT * FROM ({facts}) AS f0 WHERE f0.opened_at <= %s "
            f"AND (f0.closed_at IS NULL OR f0.closed_at > %s){dims})"
        )
        source = (
            f"(SELECT e.part AS part, e.bucket AS bucket, {d.seconds('f.opened_at', 'e.t')} "
            f"AS v, 1 AS num, 1 AS den, f.rid AS rid FROM instants AS e JOIN f "
            f"ON f.opened_at <= e.t AND (f.closed_at IS NULL OR f.closed_at > e.t)) AS t"
        )
        sql = f"WITH instants(part, bucket, t) AS (VALUES {values}), {window} " + kpis._aggregate(
            kpi, d, source
        )
        params += [d.moment(last), d.moment(first)]
        return sql, [*params, *dim_params]
    if query.group_by in kpis.TIME_BUCKETS:
        part, params = d.bucket("f0.at", query.group_by), []
    else:
        part, params = (
            "CASE WHEN f0.at >= %s THEN 'value' ELSE 'previous' END",
            [d.moment(query.start)],
        )
    source = (
        f"(SELECT {part} AS part, '' AS bucket, f0.v AS v, f0.num AS num, f0.den AS den, "
        f"f0.rid AS rid FROM ({facts}) AS f0 WHERE f0.at >= %s AND f0.at < %s{dims}) AS t"
    )
    params += [d.moment(query.previous_start), d.moment(query.end), *dim_params]
    return kpis._aggregate(kpi, d, source), params


def measure(kpi, query, runs: int):
    """(figure, compute times, floor times, floor's value for the period or None) in ms."""
    from django.db import connection

    from steward.core import kpis

    d = kpis.dialect()
    sql, params = floor_statement(kpi, query, d)
    computed, floors, figure, rows = [], [], None, []

    def run_floor():
        nonlocal rows
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return (time.perf_counter() - t0) * 1000

    def run_compute():
        nonlocal figure
        t0 = time.perf_counter()
        figure = kpis.compute(kpi, query)
        return (time.perf_counter() - t0) * 1000

    for n in range(runs + 1):
        if n % 2:
            f, c = run_floor(), run_compute()
        else:
            c, f = run_compute(), run_floor()
        if n:
            computed.append(c)
            floors.append(f)
    floor_value = None
    if query.group_by not in kpis.TIME_BUCKETS:
        found = {part: value for part, _bucket, _n, value in rows}
        floor_value = kpi.scale(found.get("value", 0 if kpi.aggregate == "count" else None))
        if kpi.aggregate == "count" and floor_value is None:
            floor_value = 0
    return figure, computed, floors, floor_value


def proposed_statement(original):
    """core.kpis.statement with the change proposed to the lead: the filtered facts keep only
    the columns the request reads (not ``SELECT *``: every dimension, some of them correlated
    subqueries, and on SQLite no covering index), and are materialized only when the series
    reads them a second time."""
    from steward.core import kpis

    def statement(kpi, query, d=None):
        sql, params = original(kpi, query, d)
        group = query.group_by
        dimension = f", f0.{kpis.DIMENSION_COLUMNS[group]}" if group in kpis.DIMENSIONS else ""
        if kpi.snapshot:
            old = "f AS MATERIALIZED (SELECT * FROM"
            new = f"f AS MATERIALIZED (SELECT f0.opened_at, f0.closed_at, f0.rid{dimension} FROM"
        else:
            old = "f AS MATERIALIZED (SELECT * FROM"
            materialized = "MATERIALIZED" if group else "NOT MATERIALIZED"
            new = f"f AS {materialized} (SELECT f0.at, f0.v, f0.num, f0.den, f0.rid{dimension} FROM"
        if old not in sql:
            raise RuntimeError("core.kpis.statement changed: update proposed_statement")
        return sql.replace(old, new, 1), params

    return statement


#: Aggregates whose value over the period is a roll-up of the series' buckets.
DECOMPOSABLE = ("count", "mean", "rate")


def _one_pass(kpi, query, d) -> tuple[str, list]:
    """A series of a decomposable aggregate in one pass over the facts: each row tagged once,
    as the previous period or a bucket of the period; the period's value is rolled up from
    the buckets (see proposed_compute)."""
    from steward.core import kpis

    facts = kpi.facts(d)
    dims, dim_params = kpis._dimension_filters(kpi, query, "f0")
    group = query.group_by
    bucket = (
        d.bucket("f0.at", group)
        if group in kpis.TIME_BUCKETS
        else f"CAST(f0.{kpis.DIMENSION_COLUMNS[group]} AS TEXT)"
    )
    tagged = (
        f"SELECT CASE WHEN f0.at >= %s THEN 'series' ELSE 'previous' END AS part, "
        f"CASE WHEN f0.at >= %s THEN {bucket} ELSE '' END AS bucket, f0.v AS v, "
        f"f0.num AS num, f0.den AS den, f0.rid AS rid FROM ({facts}) AS f0 "
        f"WHERE f0.at >= %s AND f0.at < %s{dims}"
    )
    start, previous, end = (d.moment(m) for m in (query.start, query.previous_start, query.end))
    return kpis._aggregate(kpi, d, f"({tagged}) AS t"), [start, start, previous, end, *dim_params]


def proposed_compute(kpi, query):
    """core.kpis.compute with the proposed one-pass series (count, mean and rate): the
    period's value rolled up from the buckets' (n, value) rows; otherwise as compute."""
    from django.db import connection

    from steward.core import kpis

    if kpi.snapshot or not query.group_by or kpi.aggregate not in DECOMPOSABLE:
        return ORIGINAL["compute"](kpi, query)
    sql, params = _one_pass(kpi, query, kpis.dialect())
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found = {(part, bucket or ""): (n, value) for part, bucket, n, value in rows}
    buckets = [(n or 0, value) for (part, _b), (n, value) in found.items() if part == "series"]
    total = sum(n for n, _v in buckets)
    if kpi.aggregate == "count":
        rolled = total
    else:  # mean and rate: weighted by each bucket's count (values) or denominator
        weighted = sum(n * float(v) for n, v in buckets if v is not None)
        rolled = weighted / total if total else None
    found[("value", "")] = (total, rolled)
    return _shape(kpi, query, [(part, bucket, n, v) for (part, bucket), (n, v) in found.items()])


def _shape(kpi, query, rows):
    """compute's shaping of its rows (copied from core.kpis.compute)."""
    from steward.core import kpis

    found = {(part, bucket or ""): (n, value) for part, bucket, n, value in rows}
    value_n, value = found.get(("value", ""), (0, None))
    previous_n, previous = found.get(("previous", ""), (0, None))
    empty = 0 if kpi.aggregate == "count" else None
    if kpi.aggregate == "count":
        value, previous = value or 0, previous or 0
    series = []
    if query.group_by in kpis.TIME_BUCKETS:
        for key, _stop in kpis.buckets(query.group_by, query.start, query.end):
            n, v = found.get(("series", key), (0, empty))
            series.append({"key": key, "value": kpi.scale(v), "count": int(n or 0)})
    elif query.group_by:
        for (part, key), (n, v) in sorted(found.items()):
            if part == "series":
                series.append({"key": key, "value": kpi.scale(v), "count": int(n or 0)})
    return kpis.Figure(
        kpi.scale(value), int(value_n or 0), kpi.scale(previous), int(previous_n or 0), series
    )


ORIGINAL: dict = {}


def explain(kpi, query) -> None:
    """Print the plans of compute's statement and of the floor."""
    from django.db import connection

    from steward.core import kpis

    d = kpis.dialect()
    for label, (sql, params) in (
        ("compute", kpis.statement(kpi, query, d)),
        ("floor", floor_statement(kpi, query, d)),
    ):
        prefix = "EXPLAIN (ANALYZE, BUFFERS) " if d.postgres else "EXPLAIN QUERY PLAN "
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql, params)
            rows = cursor.fetchall()
        print(f"--- {kpi.key}: {label}\n{sql}\n{params}")
        for row in rows:
            print("  " + " | ".join(str(x) for x in row))


def main() -> None:
    args = parse_args()
    setup_environment(args.database, SQLITE_DIR / f"kpis-{args.incidents}.sqlite3", args.reload)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from benchmarks import incident_history
    from steward.core import kpis
    from steward.services.models import Service

    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    print(f"KPI benchmark: {args.incidents:,} incidents on {vendor}", flush=True)
    call_command("migrate", verbosity=0)
    if not incident_history.loaded(args.incidents):
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM incidents_incident")
            if cursor.fetchone()[0]:
                sys.exit("the database holds another load: run with --reload")
        print(f"loading (load average {load_average()})", flush=True)
        incident_history.load(args.incidents, int(time.time()), log=lambda m: print(m, flush=True))
    else:
        print("data already loaded (kept from an earlier run)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(created_at) FROM incidents_incident")
        last = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM core_journalentry")
        entries = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM incidents_handover")
        handovers = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM slm_slaclock")
        clocks = cursor.fetchone()[0]
    if isinstance(last, str):
        last = dt.datetime.fromisoformat(last)
    last = last.replace(tzinfo=dt.UTC) if last.tzinfo is None else last
    print(f"{entries:,} journal entries, {handovers:,} handovers, {clocks:,} SLA/OLA clocks")
    end = last.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    start = end - dt.timedelta(days=30)
    service = Service.objects.order_by("id").first()

    indexes = []
    for statement in args.temp_index:
        name = re.search(r"INDEX\s+(?:IF NOT EXISTS\s+)?(\w+)", statement, re.I).group(1)
        table = re.search(r"\bON\s+(\w+)", statement, re.I).group(1)
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(statement)
            cursor.execute(f"ANALYZE {table}")
        indexes.append(name)
        print(f"temporary index {name} ({time.perf_counter() - t0:.1f} s): {statement}")

    if args.proposal:
        ORIGINAL.update(compute=kpis.compute, statement=kpis.statement)
        kpis.statement = proposed_statement(kpis.statement)
        kpis.compute = proposed_compute
        print("compute runs the proposed statement (--proposal)")
    only = {k for k in args.only.split(",") if k}
    chosen = [k for k in kpis.enabled_kpis() if not only or k.key in only]
    variants = {
        "month": ("the month", kpis.Query(start, end, {}, "")),
        "day": ("the month by day", kpis.Query(start, end, {}, "day")),
        "service": (
            f"the month for one service ({service.name})",
            kpis.Query(start, end, {"service": service.pk}, ""),
        ),
    }
    worst = (0.0, "")
    try:
        for name in args.variants.split(","):
            title, query = variants[name]
            print(
                f"\n{title}: {start:%Y-%m-%d} to {end:%Y-%m-%d}, {args.runs} runs each after "
                f"1 warm-up (times in ms); load average at start {load_average()}",
                flush=True,
            )
            print(
                f"{'KPI':38} {'value':>9} | {'compute p50':>11} {'p95':>8} | "
                f"{'floor p50':>9} {'p95':>8} | p95/floor | load 1m"
            )
            print("-" * 112)
            for kpi in chosen:
                if any(f not in kpi.dimensions for f in query.filters):
                    continue
                if args.explain:
                    explain(kpi, query)
                    continue
                figure, computed, floors, floor_value = measure(kpi, query, args.runs)
                if args.proposal:  # the proposal gives compute's figure, series included
                    kpis.statement = ORIGINAL["statement"]
                    expected = ORIGINAL["compute"](kpi, query)
                    kpis.statement = proposed_statement(ORIGINAL["statement"])
                    if expected != figure:
                        print(f"  {kpi.key}: the proposal gives {figure}, compute {expected}")
                c50, c95 = quantiles(computed)
                f50, f95 = quantiles(floors)
                ratio = c95 / f95 if f95 else float("inf")
                if ratio > worst[0]:
                    worst = (ratio, f"{kpi.key} ({name})")
                value = "—" if figure.value is None else figure.value
                check = ""
                if query.group_by not in kpis.TIME_BUCKETS and floor_value != figure.value:
                    check = f" (floor's value: {floor_value})"
                print(
                    f"{kpi.key:38} {value!s:>9} | {c50:11.1f} {c95:8.1f} | {f50:9.1f} "
                    f"{f95:8.1f} | {ratio:8.2f}x | {os.getloadavg()[0]:6.2f}{check}",
                    flush=True,
                )
    finally:
        with connection.cursor() as cursor:
            for name in indexes:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
    print(f"\nworst p95/floor: {worst[0]:.2f}x, {worst[1]} (target <= 2x)")
    print(f"load average at the end: {load_average()}")


if __name__ == "__main__":
    main()
