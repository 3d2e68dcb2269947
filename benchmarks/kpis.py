"""The month's KPI set at scale: every registered KPI over the last month, by week, through
the API (``GET /api/v1/kpis/{key}``, in process with Django's test client and a real token),
each beside its raw aggregate SQL — the one statement core.kpis builds — run alone through the
driver (sqlite3 or psycopg) on the same database. Target: each KPI's p95 within 2x of its raw
SQL's p95.

    python benchmarks/kpis.py --incidents 100000                                   # SQLite
    python benchmarks/kpis.py --incidents 1000000 \\
        --database postgresql://postgres@127.0.0.1:5432/steward_bench_kpis          # PostgreSQL

Seeding: people, groups, services and the incidents come through the bulk operations (as in
incident_scale.py); the history the KPIs read — times spread over 90 days, resolutions,
cancellations, reopenings, handovers (accepted, rejected, handed back), major incidents with
their reviews, SLA clocks and the journal entries of all of it — is then written by a few
INSERT ... SELECT / UPDATE statements, as an importer of historic data would: replaying months
of operations one by one would take hours and measure nothing the KPIs do. The database is
created afresh (the PostgreSQL database is dropped first): never point it at data you want to
keep.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DAY = 86_400


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--incidents", type=int, default=100_000)
    p.add_argument("--database", default="", help="PostgreSQL URL (default: SQLite in a temp dir)")
    p.add_argument("--runs", type=int, default=20, help="timed runs per KPI (after 2 warm-ups)")
    p.add_argument("--group-by", default="week", help="the series of each request")
    return p.parse_args()


def setup_environment(args) -> str:
    data = Path(tempfile.mkdtemp(prefix="steward-bench-kpis-"))
    url = args.database or f"sqlite:///{data / 'bench.sqlite3'}"
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "steward.settings",
            "DATABASE_URL": url,
            "STEWARD_DATA_DIR": str(data),
            "STEWARD_SECRET_KEY": "benchmark-only-secret-key",
            "STEWARD_DEBUG": "false",
            "STEWARD_ALLOWED_HOSTS": "127.0.0.1,testserver",
            "STEWARD_LOG_LEVEL": "WARNING",
        }
    )
    if url.startswith("postgres"):
        import psycopg

        parsed = urlparse(url)
        admin = url.replace(parsed.path, "/postgres")
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{parsed.path[1:]}"')
            conn.execute(f'CREATE DATABASE "{parsed.path[1:]}"')
    return url


class Sql:
    """Timestamps from POSIX seconds and back, per database."""

    def __init__(self, vendor: str):
        self.pg = vendor == "postgresql"

    def at(self, seconds: str) -> str:
        if self.pg:
            return f"to_timestamp({seconds})"
        return f"strftime('%Y-%m-%d %H:%M:%S', {seconds}, 'unixepoch')"

    def epoch(self, column: str) -> str:
        if self.pg:
            return f"CAST(EXTRACT(EPOCH FROM {column}) AS bigint)"
        return f"CAST(strftime('%s', {column}) AS INTEGER)"

    def json(self, literal: str) -> str:
        return f"CAST('{literal}' AS jsonb)" if self.pg else f"'{literal}'"

    def text(self, column: str) -> str:
        return f"CAST({column} AS {'text' if self.pg else 'TEXT'})"


def seed(n: int, now: int) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    from steward.incidents import operations as incident_ops
    from steward.people import operations as people_ops
    from steward.services import operations as service_ops
    from steward.slm import operations as slm_ops
    from steward.slm.models import Calendar

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    orgs = people_ops.bulk_create_organizations(
        None, [{"name": f"Org {i}", "code": f"org{i}"} for i in range(10)]
    )
    agents = people_ops.bulk_create_users(
        None,
        [{"username": f"agent{i}", "first_name": "Agent", "last_name": str(i)} for i in range(400)],
    )
    callers = people_ops.bulk_create_users(
        None,
        [{"username": f"caller{i}", "organization": orgs[i % 10]} for i in range(2000)],
        roles=["requester"],
    )
    groups = people_ops.bulk_create_groups(
        None,
        [{"name": f"Group {i}", "manager": agents[i]} for i in range(20)],
        {f"Group {i}": agents[i * 20 : (i + 1) * 20] for i in range(20)},
    )
    services = service_ops.bulk_create_services(
        None, [{"name": f"Service {i}", "owner": agents[i]} for i in range(100)], {}
    )
    definition = slm_ops.create_definition(
        None, name="Standard", response_seconds=3600, resolution_seconds=16 * 3600
    )
    batch = 20_000
    for start in range(0, n, batch):
        rows = []
        for i in range(start, min(n, start + batch)):
            rows.append(
                {
                    "title": f"Incident {i}",
                    "caller": callers[(i * 7) % len(callers)],
                    "owning_group": groups[(i * 13) % len(groups)],
                    "service": services[(i * 17) % len(services)],
                    "impact": 1 + i % 3,
                    "urgency": 1 + (i // 3) % 3,
                    "status": "in_progress",
                }
            )
        incident_ops.bulk_open_incidents(None, rows)
    print(f"  {n:,} incidents opened ({time.perf_counter() - started:.1f} s)", flush=True)
    s = Sql(connection.vendor)
    span, base = 90 * DAY, now - 90 * DAY
    g1, g2 = groups[0].pk, groups[1].pk
    other = f"CASE WHEN i.owning_group_id = {g1} THEN {g2} ELSE {g1} END"
    created = s.epoch("i.created_at")
    resolved = s.epoch("i.resolved_at")
    calendar = Calendar.objects.default().pk
    own_created = s.epoch("created_at")
    to_resolved = s.json('{"status": ["in_progress", "resolved"]}')
    to_reopened = s.json('{"status": ["resolved", "in_progress"]}')
    to_cancelled = s.json('{"status": ["in_progress", "cancelled"]}')
    history = [
        # raised over 90 days
        f"UPDATE incidents_incident SET created_at = {s.at(f'{base} + (id * 7919) % {span}')}",
        # 8 in 10 resolved within 3 days (if that is already past)
        f"UPDATE incidents_incident SET status = 'resolved', resolution_code = 'solved', "
        f"resolution_notes = 'fixed', resolved_at = "
        f"{s.at(f'{own_created} + 600 + (id * 104729) % (72 * 3600)')} "
        f"WHERE id % 10 < 8 AND {s.epoch('created_at')} + 600 + (id * 104729) % (72 * 3600) "
        f"< {now}",
        # 1 in 10 cancelled after 2 hours
        f"UPDATE incidents_incident SET status = 'cancelled' WHERE id % 10 = 8 "
        f"AND {s.epoch('created_at')} + 7200 < {now}",
        # one in twenty resolved incidents was reopened once before its last resolution
        "UPDATE incidents_incident SET reopen_count = 1 "
        "WHERE id % 20 = 0 AND resolved_at IS NOT NULL",
        # the journal: resolutions, first resolutions and reopenings, cancellations
        f"INSERT INTO core_journalentry (at, record_type, record_id, record_label, action, "
        f"changes, comment) SELECT i.resolved_at, 'incidents.incident', {s.text('i.id')}, "
        f"i.number, 'status_changed', {to_resolved}, '' "
        f"FROM incidents_incident AS i WHERE i.resolved_at IS NOT NULL",
        f"INSERT INTO core_journalentry (at, record_type, record_id, record_label, action, "
        f"changes, comment) SELECT {s.at(f'{resolved} - 3600')}, 'incidents.incident', "
        f"{s.text('i.id')}, i.number, 'status_changed', "
        f"{to_resolved}, '' FROM incidents_incident AS i "
        f"WHERE i.reopen_count = 1",
        f"INSERT INTO core_journalentry (at, record_type, record_id, record_label, action, "
        f"changes, comment) SELECT {s.at(f'{resolved} - 1800')}, 'incidents.incident', "
        f"{s.text('i.id')}, i.number, 'reopened', "
        f"{to_reopened}, '' FROM incidents_incident AS i "
        f"WHERE i.reopen_count = 1",
        f"INSERT INTO core_journalentry (at, record_type, record_id, record_label, action, "
        f"changes, comment) SELECT {s.at(f'{created} + 7200')}, 'incidents.incident', "
        f"{s.text('i.id')}, i.number, 'status_changed', "
        f"{to_cancelled}, '' FROM incidents_incident AS i "
        f"WHERE i.status = 'cancelled'",
        # handovers: 1 in 10 went to another group and came back (the first leg here),
        f"INSERT INTO incidents_handover (incident_id, from_group_id, to_group_id, reason, note, "
        f"status, created_at, decided_at, rejection_reason) SELECT i.id, i.owning_group_id, "
        f"{other}, 'bench', '', 'accepted', {s.at(f'{created} + 600')}, "
        f"{s.at(f'{created} + 1200')}, '' FROM incidents_incident AS i WHERE i.id % 10 = 1",
        # 3 in 10 were accepted from another group (the way back, for the ping-pong ones),
        f"INSERT INTO incidents_handover (incident_id, from_group_id, to_group_id, reason, note, "
        f"status, created_at, decided_at, rejection_reason) SELECT i.id, {other}, "
        f"i.owning_group_id, 'bench', '', 'accepted', {s.at(f'{created} + 1800')}, "
        f"{s.at(f'{created} + 1800 + (i.id % 7) * 900')}, '' FROM incidents_incident AS i "
        f"WHERE i.id % 10 IN (1, 2, 3)",
        # and 1 in 10 had a handover rejected
        f"INSERT INTO incidents_handover (incident_id, from_group_id, to_group_id, reason, note, "
        f"status, created_at, decided_at, rejection_reason) SELECT i.id, i.owning_group_id, "
        f"{other}, 'bench', '', 'rejected', {s.at(f'{created} + 900')}, "
        f"{s.at(f'{created} + 4500')}, 'not ours' FROM incidents_incident AS i "
        f"WHERE i.id % 10 = 4",
        # 1 in 1,000 declared major, reviewed two days after its resolution
        f"INSERT INTO incidents_majorincident (incident_id, reason, manager_id, declared_at) "
        f"SELECT i.id, 'bench', {agents[0].pk}, {s.at(f'{created} + 900')} "
        f"FROM incidents_incident AS i WHERE i.id % 1000 = 0",
        f"INSERT INTO incidents_postincidentreview (major_id, cause, recorded_at) "
        f"SELECT m.id, 'bench', {s.at(f'{resolved} + 2 * {DAY}')} "
        f"FROM incidents_majorincident AS m JOIN incidents_incident AS i ON i.id = m.incident_id "
        f"WHERE i.resolved_at IS NOT NULL",
    ]
    for metric, stop, elapsed in (
        ("response", f"{created} + 600 + i.id % 3600", "600 + i.id % 3600"),
        ("resolution", resolved, f"{resolved} - {created}"),
    ):
        # SLA clocks of 7 in 10 incidents, stopped (met, or breached one time in five)
        history.append(
            f"INSERT INTO slm_slaclock (record_type, record_id, definition_id, metric, "
            f"calendar_id, priority, service_id, target_seconds, started_at, since, counting, "
            f"reason, elapsed_seconds, paused_seconds, state, stopped_at, thresholds_fired) "
            f"SELECT 'incident', {s.text('i.id')}, {definition.pk}, '{metric}', {calendar}, "
            f"'P' || {s.text('i.priority')}, i.service_id, 3600, i.created_at, "
            f"{s.at(stop)}, false, '', {elapsed}, 0, "
            f"CASE WHEN i.id % 5 = 0 THEN 'breached' ELSE 'met' END, {s.at(stop)}, '[]' "
            f"FROM incidents_incident AS i WHERE i.resolved_at IS NOT NULL AND i.id % 10 < 7"
        )
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in history:
            cursor.execute(statement)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if s.pg else "ANALYZE")
    print(f"  history written ({time.perf_counter() - started:.1f} s)", flush=True)


def quantiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


class Raw:
    """The statement run alone through the driver, on its own connection."""

    def __init__(self, url: str):
        self.pg = url.startswith("postgres")
        if self.pg:
            import psycopg

            self.conn = psycopg.connect(url, autocommit=True)
        else:
            self.conn = sqlite3.connect(urlparse(url).path)

    def run(self, sql: str, params: list) -> float:
        started = time.perf_counter()
        if self.pg:
            self.conn.execute(sql, params).fetchall()
        else:
            self.conn.execute(sql.replace("%s", "?"), params).fetchall()
        return time.perf_counter() - started


def main() -> None:
    args = parse_args()
    url = setup_environment(args)
    import django

    django.setup()
    import datetime as dt

    from django.test import Client

    from steward.core import kpis
    from steward.people import operations as people_ops
    from steward.people.models import User

    now = int(time.time())
    vendor = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    print(f"KPI benchmark: {args.incidents:,} incidents on {vendor}", flush=True)
    started = time.perf_counter()
    seed(args.incidents, now)
    print(f"seeding: {time.perf_counter() - started:.1f} s", flush=True)

    end = dt.datetime.fromtimestamp(now, dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    start = end - dt.timedelta(days=30)
    agent = User.objects.get(username="agent1")
    _, token = people_ops.create_api_token(agent, agent, name="bench", scope="read")
    client = Client(headers={"Authorization": f"Bearer {token}"})
    raw = Raw(url)
    query_string = (
        f"from={start.isoformat().replace('+00:00', 'Z')}&"
        f"to={end.isoformat().replace('+00:00', 'Z')}&group_by={args.group_by}"
    )
    print(
        f"period {start:%Y-%m-%d} to {end:%Y-%m-%d}, group_by={args.group_by}, "
        f"{args.runs} runs each after 2 warm-ups (times in ms)"
    )
    # the cost of the request without a KPI: the catalogue (authentication, the practice
    # switches, Django and ninja), the other part of the floor (docs/architecture.md)
    trivial = []
    for n in range(args.runs + 2):
        t0 = time.perf_counter()
        assert client.get("/api/v1/kpis").status_code == 200
        if n >= 2:
            trivial.append((time.perf_counter() - t0) * 1000)
    t50, t95 = quantiles(trivial)
    print(f"request without a KPI (GET /api/v1/kpis): p50 {t50:.1f} ms, p95 {t95:.1f} ms")
    print(
        f"{'KPI':38} {'value':>10} | {'API p50':>8} {'p95':>8} | {'raw p50':>8} {'p95':>8} "
        f"| p95/raw | p95/floor"
    )
    print("-" * 108)
    worst = worst_floor = 0.0
    for kpi in kpis.enabled_kpis():
        path = f"/api/v1/kpis/{kpi.key}?{query_string}"
        sql, params = kpis.statement(kpi, kpis.Query(start, end, {}, args.group_by))
        api_times, raw_times, value = [], [], None
        for n in range(args.runs + 2):
            t0 = time.perf_counter()
            response = client.get(path)
            elapsed = time.perf_counter() - t0
            assert response.status_code == 200, response.content
            value = response.json()["value"]
            raw_elapsed = raw.run(sql, params)
            if n >= 2:
                api_times.append(elapsed * 1000)
                raw_times.append(raw_elapsed * 1000)
        a50, a95 = quantiles(api_times)
        r50, r95 = quantiles(raw_times)
        ratio = a95 / r95 if r95 else float("inf")
        floor = a95 / (r95 + t95)
        worst = max(worst, ratio)
        worst_floor = max(worst_floor, floor)
        print(
            f"{kpi.key:38} {value if value is not None else '—':>10} | {a50:8.1f} {a95:8.1f} | "
            f"{r50:8.1f} {r95:8.1f} | {ratio:6.2f}x | {floor:5.2f}x",
            flush=True,
        )
    print(f"worst p95/raw: {worst:.2f}x; worst p95/floor: {worst_floor:.2f}x (target <= 2x)")


if __name__ == "__main__":
    main()
