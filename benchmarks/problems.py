"""The problems practice's hot paths at scale, each beside its floor measured in the same run.
Target: each path's p95 within 2x of its floor's p95.

The paths:

- **known errors of an incident** (``queries.known_errors_for_incident``): on every incident
  page an agent opens, and as the incident form is filled in. Floor: the one indexed SELECT of
  the five published known errors of the incident's service, CI or category.
- **trends** (``queries.trends``): the top services, CIs and categories of the last 30 days by
  incident count and hours, with the previous 30 days. Floor: one GROUP BY per dimension over
  the same 60 days (count and the sum of the hours, per key and period), no names.
- **recurring** (``queries.recurring``, 3 or more in 30 days): the same CI and category, not
  linked to a problem. Floor: one GROUP BY ... HAVING over the same window, the first 50
  groups by count.
- **problem list page 1** (``lists.filtered`` of the "Open problems" queue with its relations,
  the total, ``lists.queue_counts`` and ``queries.counts`` of the page, as the API's list).
  Floor: the count, the page's 25 rows with their owner, group and category joined, and the
  queue counts' aggregate, raw.

Each floor is run on the same connection right after (or before: the order alternates) the
path, and the script checks that the path's answer equals the floor's where they are
comparable (ids, counts, hours).

    python benchmarks/problems.py --incidents 100000                                   # SQLite
    python benchmarks/problems.py --incidents 1000000 --runs 5 \\
        --database postgresql://postgres@127.0.0.1:5432/steward_prbbench              # PostgreSQL

The data is benchmarks/incident_history.py's load (N incidents over 90 days), and on top of it,
set-based and deterministic: 30 categories and 200 CIs (through the operations) spread over the
incidents (1 in 10 without a CI, 1 in 20 without a category), N/100 problems (a tenth of them
published known errors; 1 or 2 services and CIs each, 2 in 3 with a category; numbered from
the PRB counter) and 1 in 20 incidents linked to a problem. It is loaded once and kept: a later
run on the same database (or SQLite file, /tmp/steward-prbbench/problems-N.sqlite3) measures at
once (a load interrupted after the incidents takes up the problems part again, keeping the
spread of CIs and categories); ``--reload`` drops it and loads again. ``--temp-index "CREATE
INDEX name ON ..."`` creates an index for this run only; ``--explain`` prints the plans of the
trends and recurring statements (EXPLAIN ANALYZE on PostgreSQL) instead of timing.
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
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.support import load_average, quantiles, setup_environment  # noqa: E402

SQLITE_DIR = Path(tempfile.gettempdir()) / "steward-prbbench"
PATHS = ("known_errors", "trends", "recurring", "list")
CIS, CATEGORIES = 200, 30


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--incidents", type=int, default=100_000)
    p.add_argument("--database", default="", help="PostgreSQL URL (default: a SQLite file)")
    p.add_argument("--runs", type=int, default=10, help="timed runs per path (after 1 warm-up)")
    p.add_argument("--only", default=",".join(PATHS), help=",".join(PATHS))
    p.add_argument("--reload", action="store_true", help="drop the database and load again")
    p.add_argument(
        "--temp-index", action="append", default=[], help="CREATE INDEX ... for this run only"
    )
    p.add_argument("--explain", action="store_true", help="print plans instead of timing")
    return p.parse_args()


# --- the load -----------------------------------------------------------------------------------


def problems_loaded(n: int) -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM problems_problem")
        problems = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM problems_problemincident")
        links = cursor.fetchone()[0]
    return problems == n // 100 and links > 0


def load_problems(n: int, log=print) -> None:
    """Categories and CIs spread over the incidents, the problems with their services, CIs and
    linked incidents (see the module docstring)."""
    from django.db import connection, transaction

    from benchmarks.incident_history import Sql, _contiguous
    from steward.core.numbering import next_values
    from steward.incidents.models import IncidentCategory
    from steward.incidents.operations.reference_data import create_category
    from steward.services.models import ConfigurationItem, Service
    from steward.services.operations import cmdb

    started = time.perf_counter()
    # an interrupted load is taken up again: its categories and CIs kept, its problems dropped
    categories = list(IncidentCategory.objects.filter(name__startswith="Category ").order_by("id"))
    if not categories:
        categories = [create_category(None, name=f"Category {i}") for i in range(CATEGORIES)]
    cis = list(ConfigurationItem.objects.filter(ci_class__name="Bench server").order_by("id"))
    if not cis:
        ci_class = cmdb.create_ci_class(None, name="Bench server")
        cis = cmdb.bulk_cis(
            None, [ConfigurationItem(name=f"ci-{i:03d}", ci_class=ci_class) for i in range(CIS)]
        )
    with transaction.atomic(), connection.cursor() as cursor:
        for table in ("problemincident", "problem_services", "problem_cis", "problem"):
            cursor.execute(f"DELETE FROM problems_{table}")
    cat0, ci0 = _contiguous(categories), _contiguous(cis)
    service0 = Service.objects.order_by("id").values_list("id", flat=True).first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id) FROM people_supportgroup")
        group0 = cursor.fetchone()[0]
        cursor.execute("SELECT id FROM people_user WHERE username = 'agent0'")
        agent0 = cursor.fetchone()[0]
    p = n // 100
    number0 = next_values("PRB", p)[0]
    log(f"  categories and CIs ({time.perf_counter() - started:.1f} s)")

    s = Sql(connection.vendor)
    # k = problem 1..p: 1 in 10 a published known error (root cause analysis, fix in progress,
    # resolved), the rest new, assessment, root cause analysis, fix in progress (6 in 10),
    # closed (2 in 10) or cancelled (1 in 10)
    status = (
        "CASE WHEN k % 10 = 0 THEN (CASE (k / 10) % 3 WHEN 0 THEN 'root_cause_analysis' "
        "WHEN 1 THEN 'fix_in_progress' ELSE 'resolved' END) "
        "WHEN k % 10 <= 6 THEN (CASE k % 4 WHEN 0 THEN 'new' WHEN 1 THEN 'assessment' "
        "WHEN 2 THEN 'root_cause_analysis' ELSE 'fix_in_progress' END) "
        "WHEN k % 10 <= 8 THEN 'closed' ELSE 'cancelled' END"
    )
    known = "k % 10 = 0"
    prb_number = (
        f"'PRB' || lpad(CAST({number0 - 1} + k AS text), 7, '0')"
        if s.pg
        else f"printf('PRB%07d', {number0 - 1} + k)"
    )
    now = int(time.time())
    statements = [
        (
            "incidents: CIs and categories",
            f"UPDATE incidents_incident SET "
            f"affected_ci_id = CASE WHEN id % 10 = 9 THEN NULL "
            f"ELSE {ci0} + (id * 13 + id / 30) % {CIS} END, "
            f"category_id = CASE WHEN id % 20 = 11 THEN NULL "
            f"ELSE {cat0} + (id * 7 + id / 1000) % {CATEGORIES} END",
        ),
        (
            "problems",
            f"INSERT INTO problems_problem (id, version, created_at, updated_at, number, title, "
            f"statement, category_id, owner_id, owning_group_id, impact, urgency, priority, "
            f"status, known_error, workaround, fix_description, no_fix_reason, cancel_reason, "
            f"known_error_at, root_cause_at, resolved_at, closed_at) "
            f"SELECT k, 1, {s.at(f'{now} - 86400 * (k % 90)')}, {s.at(str(now))}, "
            f"{prb_number}"
            f", 'Problem ' || k, 'Bench problem', "
            f"CASE WHEN k % 3 = 2 THEN NULL ELSE {cat0} + (k / 10 + k) % {CATEGORIES} END, "
            f"CASE WHEN k % 5 = 4 THEN NULL ELSE {agent0} + k % 400 END, {group0} + k % 20, "
            f"1 + k % 3, 1 + (k / 3) % 3, 1 + k % 5, {status}, {known}, "
            f"CASE WHEN {known} THEN 'Restart the service ' || k ELSE '' END, "
            f"CASE WHEN k % 10 IN (7, 8) OR (k % 10 = 0 AND (k / 10) % 3 = 2) "
            f"THEN 'Fixed' ELSE '' END, '', CASE WHEN k % 10 = 9 THEN 'Duplicate' ELSE '' END, "
            f"CASE WHEN {known} THEN {s.at(str(now))} END, NULL, NULL, NULL "
            f"FROM {s.series(p)}",
        ),
        (
            "problems: services",
            f"INSERT INTO problems_problem_services (problem_id, service_id) "
            f"SELECT k, {service0} + (k / 10 + k) % 100 FROM {s.series(p)} "
            f"UNION ALL SELECT k, {service0} + (k / 10 + k + 50) % 100 FROM {s.series(p)} "
            f"WHERE k % 3 = 0",
        ),
        (
            "problems: CIs",
            f"INSERT INTO problems_problem_cis (problem_id, configurationitem_id) "
            f"SELECT k, {ci0} + ((k / 10) * 7 + k) % {CIS} FROM {s.series(p)} "
            f"UNION ALL SELECT k, {ci0} + ((k / 10) * 7 + k + 101) % {CIS} FROM {s.series(p)} "
            f"WHERE k % 2 = 0",
        ),
        (
            "problems: linked incidents",
            f"INSERT INTO problems_problemincident (problem_id, incident_id, via, linked_by_id, "
            f"linked_at) SELECT 1 + (i.id / 20) % {p}, i.id, 'linked', NULL, i.created_at "
            f"FROM incidents_incident AS i WHERE i.id % 20 = 7",
        ),
    ]
    if s.pg:
        statements.append(
            (
                "sequences",
                "SELECT setval(pg_get_serial_sequence('problems_problem', 'id'), "
                "(SELECT max(id) FROM problems_problem))",
            )
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM incidents_incident WHERE affected_ci_id IS NOT NULL")
        spread = cursor.fetchone()[0] > 0
    for label, sql in statements:
        if spread and label.startswith("incidents"):
            log(f"  {label}: kept from the interrupted load")
            continue
        t0 = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            if s.pg and label.startswith("incidents"):
                # as incident_history: no triggers to keep (the tallies and search documents
                # do not read the CI or category)
                cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(sql)
        log(f"  {label} ({time.perf_counter() - t0:.1f} s)")
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if s.pg else "ANALYZE")
    log(f"  {'VACUUM ANALYZE' if s.pg else 'ANALYZE'} ({time.perf_counter() - t0:.1f} s)")
    log(f"  problems loaded in {time.perf_counter() - started:.1f} s")


# --- the floors ---------------------------------------------------------------------------------


def raw(sql: str, params) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def known_errors_floor(incident) -> list[tuple]:
    from steward.problems.choices import PUBLISHED_STATUSES

    statuses = sorted(PUBLISHED_STATUSES)
    ids = [incident.service_id or 0, incident.affected_ci_id or 0, incident.category_id or 0]
    return raw(
        "SELECT p.id, p.number, p.title, p.workaround FROM problems_problem AS p "
        f"WHERE p.known_error = %s AND p.status IN ({', '.join(['%s'] * len(statuses))}) AND ("
        "p.id IN (SELECT problem_id FROM problems_problem_services WHERE service_id = %s) "
        "OR p.id IN (SELECT problem_id FROM problems_problem_cis "
        "WHERE configurationitem_id = %s) "
        "OR p.category_id = %s) ORDER BY p.priority, p.id DESC LIMIT 5",
        [True, *statuses, *ids],
    )


DIMENSIONS = ("service_id", "affected_ci_id", "category_id")


def trends_floor(start, end) -> dict:
    """{column: {(key, current): (count, seconds)}}: one GROUP BY per dimension (the hours as
    queries._hours has them: there is no shorter way to say them)."""
    from steward.core.kpis import dialect

    d = dialect()
    m = d.moment
    stop = "CASE WHEN i.created_at >= %s THEN %s ELSE %s END"
    out = {}
    for column in DIMENSIONS:
        sql = (
            f"SELECT t.k, t.cur, COUNT(*), SUM(CASE WHEN t.r IS NOT NULL AND t.r < t.stop THEN "
            f"(CASE WHEN t.r > t.c THEN {d.seconds('t.c', 't.r')} ELSE 0 END) "
            f"ELSE {d.seconds('t.c', 't.stop')} END) FROM (SELECT i.{column} AS k, "
            f"CASE WHEN i.created_at >= %s THEN 1 ELSE 0 END AS cur, i.created_at AS c, "
            f"i.resolved_at AS r, {stop} AS stop FROM incidents_incident AS i "
            f"WHERE i.created_at >= %s AND i.created_at < %s) AS t GROUP BY t.k, t.cur"
        )
        previous = start - (end - start)
        params = [m(start), m(start), m(end), m(start), m(previous), m(end)]
        # no IS NOT NULL on the key (SQLite would walk the key's index): the NULL key dropped
        rows = raw(sql, params)
        out[column] = {(k, cur): (n, float(secs)) for k, cur, n, secs in rows if k is not None}
    return out


def recurring_floor(end, min_count: int, days: int) -> list[tuple]:
    """(CI, category, count) of the first 50 groups by count (no IS NOT NULL on the keys,
    as trends_floor: the NULL groups dropped)."""
    from steward.core.kpis import dialect

    m = dialect().moment
    start = end - dt.timedelta(days=days)
    rows = raw(
        "SELECT i.affected_ci_id, i.category_id, COUNT(*) FROM incidents_incident AS i "
        "WHERE i.created_at >= %s AND i.created_at < %s AND NOT EXISTS (SELECT 1 FROM "
        "problems_problemincident AS l WHERE l.incident_id = i.id) "
        "GROUP BY i.affected_ci_id, i.category_id HAVING COUNT(*) >= %s ORDER BY COUNT(*) DESC",
        [m(start), m(end), min_count],
    )
    return [row for row in rows if row[0] is not None and row[1] is not None][:50]


def list_floor(user) -> tuple:
    from steward.problems.choices import ACTIVE_STATUSES, PUBLISHED_STATUSES

    active = sorted(ACTIVE_STATUSES)
    published = sorted(PUBLISHED_STATUSES)
    marks = lambda xs: ", ".join(["%s"] * len(xs))  # noqa: E731
    where = f"p.status IN ({marks(active)})"
    count = raw(f"SELECT COUNT(*) FROM problems_problem AS p WHERE {where}", active)[0][0]
    page = raw(
        "SELECT p.*, u.username, g.name, c.name FROM problems_problem AS p "
        "LEFT JOIN people_user AS u ON u.id = p.owner_id "
        "JOIN people_supportgroup AS g ON g.id = p.owning_group_id "
        "LEFT JOIN incidents_incidentcategory AS c ON c.id = p.category_id "
        f"WHERE {where} ORDER BY p.id DESC LIMIT 25",
        active,
    )
    counts = raw(
        f"SELECT SUM(CASE WHEN {where} THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN {where} AND p.owner_id = %s THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN {where} AND p.owner_id IS NULL THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN p.known_error = %s AND p.status IN ({marks(published)}) THEN 1 ELSE 0 END) "
        "FROM problems_problem AS p",
        [*active, *active, user.pk, *active, True, *published],
    )
    return count, [row[0] for row in page], counts[0]


# --- the paths ----------------------------------------------------------------------------------


def run_list(user):
    from steward.problems import lists, queries

    qs = queries.with_relations(lists.filtered(user, SimpleNamespace(queue="open", sort="-id")))
    count = qs.count()
    rows = list(qs[:25])
    counts = queries.counts(rows)
    return count, [p.pk for p in rows], lists.queue_counts(user), counts


def timed(fn, n: int) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn(n)
    return (time.perf_counter() - t0) * 1000, out


def measure(runs: int, path, floor):
    """(path times, floor times, last path answer, last floor answer); ``path`` and ``floor``
    take the run's number (the known errors cycle through incidents)."""
    paths, floors, answer, expected = [], [], None, None
    for n in range(runs + 1):
        if n % 2:
            (f, expected), (c, answer) = timed(floor, n), timed(path, n)
        else:
            (c, answer), (f, expected) = timed(path, n), timed(floor, n)
        if n:
            paths.append(c)
            floors.append(f)
    return paths, floors, answer, expected


def check_trends(report, expected) -> str:
    """'' if every row's counts and hours equal the floor's, else what differs."""
    problems = []
    for name, column in zip(("services", "cis", "categories"), DIMENSIONS, strict=True):
        found = expected[column]
        for row in report[name]:
            n, secs = found.get((row.key, 1), (0, 0.0))
            pn, psecs = found.get((row.key, 0), (0, 0.0))
            want = (n, round(secs / 3600, 1), pn, round(psecs / 3600, 1))
            got = (row.count, row.hours, row.previous_count, row.previous_hours)
            if got != want:
                problems.append(f"{name} {row.key}: {got} != floor {want}")
        top = sorted(((-n, k) for (k, cur), (n, _s) in found.items() if cur), key=lambda x: x)
        if [r.count for r in report[name]] != [-n for n, _k in top[: len(report[name])]]:
            problems.append(f"{name}: the top counts differ from the floor's")
    return "; ".join(problems[:3])


def explain(sql_params: list[tuple[str, str, list]]) -> None:
    from django.db import connection

    prefix = (
        "EXPLAIN (ANALYZE, BUFFERS) "
        if connection.vendor == "postgresql"
        else ("EXPLAIN QUERY PLAN ")
    )
    for label, sql, params in sql_params:
        print(f"--- {label}\n{sql}\n{params}")
        for row in raw(prefix + sql, params):
            print("  " + " | ".join(str(x) for x in row))


class Recorder:
    """The statements a call runs (for --explain)."""

    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append((sql, list(params or [])))
        return execute(sql, params, many, context)


def main() -> None:
    args = parse_args()
    setup_environment(args.database, SQLITE_DIR / f"problems-{args.incidents}.sqlite3", args.reload)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from benchmarks import incident_history
    from steward.incidents.models import Incident
    from steward.people.models import User
    from steward.problems import queries

    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    print(f"Problems benchmark: {args.incidents:,} incidents on {vendor}", flush=True)
    call_command("migrate", verbosity=0)
    if not incident_history.loaded(args.incidents):
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM incidents_incident")
            if cursor.fetchone()[0]:
                sys.exit("the database holds another load: run with --reload")
        print(f"loading (load average {load_average()})", flush=True)
        t0 = time.perf_counter()
        incident_history.load(args.incidents, int(time.time()), log=lambda m: print(m, flush=True))
        load_problems(args.incidents, log=lambda m: print(m, flush=True))
        print(f"load: {time.perf_counter() - t0:.1f} s in all")
    elif not problems_loaded(args.incidents):
        print("incidents kept from an earlier run; loading the problems", flush=True)
        load_problems(args.incidents, log=lambda m: print(m, flush=True))
    else:
        print("data already loaded (kept from an earlier run)")
    shape = {
        label: raw(sql, [])[0][0]
        for label, sql in (
            ("problems", "SELECT COUNT(*) FROM problems_problem"),
            ("known errors", "SELECT COUNT(*) FROM problems_problem WHERE known_error = true"),
            ("linked incidents", "SELECT COUNT(*) FROM problems_problemincident"),
            ("incidents with a CI", "SELECT COUNT(affected_ci_id) FROM incidents_incident"),
        )
    }
    print(", ".join(f"{v:,} {k}" for k, v in shape.items()))
    last = raw("SELECT MAX(created_at) FROM incidents_incident", [])[0][0]
    if isinstance(last, str):
        last = dt.datetime.fromisoformat(last)
    last = last.replace(tzinfo=dt.UTC) if last.tzinfo is None else last
    end = last.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    start = end - dt.timedelta(days=30)
    user = User.objects.get(username="agent0")
    step = max(1, args.incidents // 37)
    samples = list(
        Incident.objects.filter(pk__in=range(1, args.incidents + 1, step)).order_by("id")
    )

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

    if args.explain:
        try:
            recorder = Recorder()
            with connection.execute_wrapper(recorder):
                queries.trends(start, end)
                queries.recurring(end, min_count=3, days=30)
            explain([(f"statement {i}", s, p) for i, (s, p) in enumerate(recorder.statements)])
        finally:
            with connection.cursor() as cursor:
                for name in indexes:
                    cursor.execute(f"DROP INDEX IF EXISTS {name}")
        return

    chosen = [p for p in args.only.split(",") if p]
    print(
        f"\nperiod {start:%Y-%m-%d} to {end:%Y-%m-%d} (previous: the 30 days before), "
        f"{args.runs} runs each after 1 warm-up (times in ms); load average at start "
        f"{load_average()}",
        flush=True,
    )
    print(
        f"{'path':28} {'answer':>14} | {'p50':>8} {'p95':>8} | {'floor p50':>9} {'p95':>8} | "
        "p95/floor | load 1m"
    )
    print("-" * 104)
    worst = (0.0, "")
    try:
        for name in chosen:
            check = ""
            if name == "known_errors":
                times, floors, answer, expected = measure(
                    args.runs,
                    lambda n: queries.known_errors_for_incident(user, samples[n % len(samples)]),
                    lambda n: known_errors_floor(samples[n % len(samples)]),
                )
                shown = f"{len(answer)} shown"
                for incident in samples:
                    got = [p.pk for p in queries.known_errors_for_incident(user, incident)]
                    if got != [row[0] for row in known_errors_floor(incident)]:
                        check = f" (differs from the floor for incident {incident.pk})"
            elif name == "trends":
                times, floors, answer, expected = measure(
                    args.runs,
                    lambda n: queries.trends(start, end),
                    lambda n: trends_floor(start, end),
                )
                shown = f"{sum(r.count for r in answer['services']):,} in top"
                problems = check_trends(answer, expected)
                check = f" (differs: {problems})" if problems else ""
            elif name == "recurring":
                times, floors, answer, expected = measure(
                    args.runs,
                    lambda n: queries.recurring(end, min_count=3, days=30),
                    lambda n: recurring_floor(end, 3, 30),
                )
                shown = f"{len(answer)} groups"
                got = sorted(g.count for g in answer)
                if got != sorted(row[2] for row in expected):
                    check = " (the counts differ from the floor's)"
            elif name == "list":
                times, floors, answer, expected = measure(
                    args.runs, lambda n: run_list(user), lambda n: list_floor(user)
                )
                shown = f"{answer[0]:,} open"
                if answer[:2] != expected[:2] or list(answer[2].values()) != list(expected[2]):
                    check = " (differs from the floor)"
            else:
                sys.exit(f"unknown path {name!r}")
            c50, c95 = quantiles(times)
            f50, f95 = quantiles(floors)
            ratio = c95 / f95 if f95 else float("inf")
            if ratio > worst[0]:
                worst = (ratio, name)
            print(
                f"{name:28} {shown:>14} | {c50:8.1f} {c95:8.1f} | {f50:9.1f} {f95:8.1f} | "
                f"{ratio:8.2f}x | {os.getloadavg()[0]:6.2f}{check}",
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
