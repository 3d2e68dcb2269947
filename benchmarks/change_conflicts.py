"""Change conflicts and the change calendar at scale (issue 18): N changes over two years on
C CIs with 3C relationships, then

- the conflict check of one change (``changes.conflicts.find``: every kind, windows and
  blackouts included) p50/p95, beside the floor: the statements it ran, recorded from the real
  call and replayed raw through the driver (sqlite3 or psycopg), same database, same run;
- the calendar month (``changes.calendar.entries``: the month's changes with their conflicts)
  p50/p95, beside its recorded statements replayed raw.

    python benchmarks/change_conflicts.py                     # SQLite file under /tmp
    python benchmarks/change_conflicts.py \\
        --database postgresql://postgres@127.0.0.1:5432/steward_chgbench

The load is kept for reruns (``--reload`` starts afresh). It is written set-based, as an
importer of history would (``INSERT ... SELECT`` over a number series, every value a function
of the row's number, so two loads hold the same facts); people, the group, services and the
windows come through the operations or the ORM. Shape (``k`` = change number, 1..N):

- planned start ``now - 1 year + (k * 7919) mod 2 years`` (whole hours), lasting 1-6 hours;
- in the past: 9 in 10 closed (successful), 1 in 10 cancelled; ahead: New, Assess, Authorize
  and (2 in 5) Scheduled;
- two CIs each: one of 5,000 "busy" CIs (each in about ten changes over the two years) and
  one of all C; 20 implementers;
- CI ``k`` relates to ``k+1``, ``k+1000`` and ``k+33333`` (mod C): 3C relationships;
- 500 services of 20 CIs each; weekly maintenance windows on 3 of 10 CI classes and on 20
  services; 5 dated blackouts on services, one a month ahead;
- the conflicts of the changes going on in the next three months are computed and stored
  (``_store``), as the operations would have left them; then ``ANALYZE``, as after a restore.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.incident_history import Sql  # noqa: E402

HOUR = 3600
DAY = 86_400
YEAR = 365 * DAY
IMPLEMENTERS = 20
BUSY_CIS = 5_000
CLASSES = 10
#: How far ahead the stored conflicts and the calendar months reach.
AHEAD = 92 * DAY


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--changes", type=int, default=50_000)
    p.add_argument("--cis", type=int, default=100_000)
    p.add_argument("--samples", type=int, default=200, help="changes checked")
    p.add_argument("--months", type=int, default=6, help="calendar months read (x5 each)")
    p.add_argument("--database", default="", help="PostgreSQL URL (default: SQLite under /tmp)")
    p.add_argument("--reload", action="store_true", help="drop the kept load and load again")
    return p.parse_args()


def setup(args) -> str:
    data = Path("/tmp/steward-chgbench")  # noqa: S108 - a benchmark kept for reruns
    data.mkdir(exist_ok=True)
    url = args.database or f"sqlite:///{data / 'changes.sqlite3'}"
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "steward.settings",
            "DATABASE_URL": url,
            "STEWARD_DATA_DIR": str(data),
            "STEWARD_SECRET_KEY": "benchmark-only-secret-key",
            "STEWARD_LOG_LEVEL": "WARNING",
        }
    )
    if url.startswith("postgres"):
        import psycopg

        name = urlparse(url).path[1:]
        with psycopg.connect(url.replace(f"/{name}", "/postgres"), autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if args.reload and exists:
                conn.execute(f'DROP DATABASE "{name}"')
            if args.reload or not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
    elif args.reload:
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    return url


def loaded(n: int) -> bool:
    from steward.changes.models import ChangeRequest

    return ChangeRequest.objects.count() >= n


def run(cursor, sql: str) -> None:
    cursor.execute(sql)


def load(n: int, c: int, now: int) -> None:
    """Write the load into the current (migrated, empty) database."""
    from django.db import connection, transaction

    from steward.changes.models import ChangeRequest, ChangeWindow
    from steward.people import operations as people_ops
    from steward.people.models import User
    from steward.services import operations as service_ops
    from steward.services.models import CIClass, ConfigurationItem, Service, ServiceCI

    sql = Sql(connection.vendor)
    started = time.perf_counter()
    owner = people_ops.create_user(None, username="chg-owner", roles=["agent"])
    people = [
        people_ops.create_user(None, username=f"impl{i}", roles=["agent"])
        for i in range(IMPLEMENTERS)
    ]
    ids = [p.pk for p in people]
    assert ids == list(range(ids[0], ids[0] + IMPLEMENTERS)), "implementers not consecutive"
    group = people_ops.create_group(None, name="Platform", manager=owner, members=people)
    services = service_ops.bulk_create_services(
        None, [{"name": f"Service {i}", "owner": owner} for i in range(500)], {}
    )
    classes = [CIClass.objects.create(name=f"Class {i}") for i in range(CLASSES)]
    first_class = classes[0].pk
    assert [k.pk for k in classes] == list(range(first_class, first_class + CLASSES))
    stamp = sql.at(str(now))
    start = f"({now - YEAR} + ((g.k * 7919) % {2 * 365 * 24}) * {HOUR})"
    end = f"({start} + (1 + g.k % 6) * {HOUR})"
    past = f"{end} < {now}"
    status = (
        f"CASE WHEN {past} THEN (CASE WHEN g.k % 10 = 0 THEN 'cancelled' ELSE 'closed' END) "
        "ELSE (CASE g.k % 5 WHEN 0 THEN 'new' WHEN 1 THEN 'assess' WHEN 2 THEN 'authorize' "
        "ELSE 'scheduled' END) END"
    )
    number = sql.number("g.k").replace("INC", "CHG")
    false = "false" if sql.pg else "0"
    with transaction.atomic(), connection.cursor() as cur:
        run(
            cur,
            f"INSERT INTO {ConfigurationItem._meta.db_table} (id, version, created_at, "
            "updated_at, name, ci_class_id, status, environment, owner_group_id, description, "
            f"attributes) SELECT g.k, 1, {stamp}, {stamp}, 'ci' || {sql.text('g.k')}, "
            f"{first_class} + g.k % {CLASSES}, 'active', 'production', NULL, '', "
            f"{sql.json('{}')} FROM {sql.series(c)}",
        )
        rel = "services_cirelationship"
        for j, offset in enumerate((1, 1000, 33333)):
            run(
                cur,
                f"INSERT INTO {rel} (id, source_id, target_id, type, created_at) "
                f"SELECT 3 * (g.k - 1) + {j + 1}, g.k, ((g.k - 1 + {offset}) % {c}) + 1, "
                f"'depends_on', {stamp} FROM {sql.series(c)}",
            )
        run(
            cur,
            f"INSERT INTO {ChangeRequest._meta.db_table} (id, version, created_at, updated_at, "
            "number, type, title, description, reason, requester_id, owning_group_id, "
            "implementer_id, planned_start, planned_end, implementation_plan, backout_plan, "
            "test_plan, communication_plan, risk, risk_reasons, impact, outage_expected, status, "
            "approval_round, rejection_reasons, outcome, outcome_notes, cancel_reason, "
            "conflicts_override_reason, conflicts_overridden, closed_at, tasks) "
            f"SELECT g.k, 1, {stamp}, {stamp}, {number}, 'normal', "
            f"'Change ' || {sql.text('g.k')}, '', '', {owner.pk}, {group.pk}, "
            f"{ids[0]} + g.k % {IMPLEMENTERS}, {sql.at(start)}, {sql.at(end)}, 'plan', 'back', "
            f"'test', 'tell', 'low', {sql.json('[]')}, 'medium', {false}, {status}, 1, '', "
            f"CASE WHEN {past} AND g.k % 10 <> 0 THEN 'successful' ELSE '' END, '', "
            f"CASE WHEN {past} AND g.k % 10 = 0 THEN 'Not needed' ELSE '' END, '', "
            f"{sql.json('[]')}, CASE WHEN {past} THEN {sql.at(end)} END, {sql.json('[]')} "
            f"FROM {sql.series(n)}",
        )
        through = ChangeRequest.cis.through._meta.db_table
        run(
            cur,
            f"INSERT INTO {through} (id, changerequest_id, configurationitem_id) "
            f"SELECT 2 * g.k - 1, g.k, (g.k * 7919) % {BUSY_CIS} + 1 FROM {sql.series(n)}",
        )
        run(
            cur,
            f"INSERT INTO {through} (id, changerequest_id, configurationitem_id) "
            f"SELECT 2 * g.k, g.k, (g.k * 104729) % {c} + 1 FROM {sql.series(n)} "
            f"WHERE (g.k * 104729) % {c} <> (g.k * 7919) % {BUSY_CIS}",
        )
        if sql.pg:
            for model in (ConfigurationItem, ChangeRequest, ChangeRequest.cis.through):
                table = model._meta.db_table
                run(
                    cur,
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))",
                )
            run(cur, f"SELECT setval(pg_get_serial_sequence('{rel}', 'id'), {3 * c})")
        ServiceCI.objects.bulk_create(
            [
                ServiceCI(service=s, ci_id=((i * 20 + j) * 13) % c + 1)
                for i, s in enumerate(services)
                for j in range(20)
            ],
            ignore_conflicts=True,
        )
        night = {"sat": [["22:00", "24:00"]], "sun": [["00:00", "06:00"]]}
        for k in classes[:3]:
            w = ChangeWindow.objects.create(
                kind="maintenance", name=f"Nights of {k}", time_zone="Europe/Amsterdam", hours=night
            )
            w.ci_classes.set([k])
        for s in services[:20]:
            w = ChangeWindow.objects.create(
                kind="maintenance", name=f"Evenings of {s}", hours={"tue": [["18:00", "23:00"]]}
            )
            w.services.set([s])
        import datetime as dt

        moment = dt.datetime.fromtimestamp(now, dt.UTC)
        for i, s in enumerate(Service.objects.order_by("id")[20:25]):
            w = ChangeWindow.objects.create(
                kind="blackout",
                name=f"Freeze {i}",
                starts_at=moment + dt.timedelta(days=30 * (i + 1)),
                ends_at=moment + dt.timedelta(days=30 * (i + 1) + 3),
            )
            w.services.set([s])
    with connection.cursor() as cur:  # as after a restore: the planner needs statistics
        cur.execute("ANALYZE")
    print(
        f"loaded {n:,} changes, {c:,} CIs, {3 * c:,} relationships in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    store_all(now)
    assert User.objects.filter(username="impl0").exists()


def store_all(now: int) -> None:
    """Store the conflicts of the going-on changes planned up to ``AHEAD`` from now (those the
    calendar months read), as the operations would have left them."""
    import datetime as dt

    from django.db import transaction

    from steward.changes.choices import CONFLICTING_STATUSES
    from steward.changes.models import ChangeRequest, Conflict
    from steward.changes.operations.conflicts import _store

    started = time.perf_counter()
    until = dt.datetime.fromtimestamp(now + AHEAD, dt.UTC)
    going_on = ChangeRequest.objects.filter(
        status__in=sorted(CONFLICTING_STATUSES), planned_start__lt=until
    )
    count = 0
    with transaction.atomic():
        for change in going_on.order_by("id").iterator(chunk_size=2000):
            _store(change)
            count += 1
    took = time.perf_counter() - started
    print(
        f"stored the conflicts of {count:,} going-on changes ({Conflict.objects.count():,} "
        f"rows) in {took:.1f} s ({took / max(count, 1) * 1000:.1f} ms each)",
        flush=True,
    )


def quantiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.95)] * 1000


def recorded(call):
    """Run ``call`` once, returning the SQL it sent (as the database received it)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        call()
    return [q["sql"] for q in ctx.captured_queries]


def replay(conn, statements: list[str]) -> float:
    t0 = time.perf_counter()
    for statement in statements:
        cur = conn.cursor()
        cur.execute(statement)
        cur.fetchall()
    return time.perf_counter() - t0


def timed(call) -> float:
    t0 = time.perf_counter()
    call()
    return time.perf_counter() - t0


def report(label: str, raw: list[float], full: list[float], target: float = 3.0) -> str:
    r50, r95 = quantiles(raw)
    f50, f95 = quantiles(full)
    verdict = "OK" if f95 <= target * r95 else "MISSED"
    return (
        f"{label}: Steward p50 {f50:7.1f} ms  p95 {f95:7.1f} ms | raw SQL p50 {r50:7.1f} ms  "
        f"p95 {r95:7.1f} ms | p95 ratio {f95 / r95:.2f}x (target <= {target:g}x: {verdict})"
    )


def main() -> None:
    args = parse_args()
    url = setup(args)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import datetime as dt
    import random

    from steward.changes import calendar, conflicts
    from steward.changes.choices import CONFLICTING_STATUSES
    from steward.changes.models import ChangeRequest
    from steward.people.models import User

    now = int(time.time()) // HOUR * HOUR
    if not loaded(args.changes):
        load(args.changes, args.cis, now)
    else:
        print(f"kept load: {ChangeRequest.objects.count():,} changes", flush=True)

    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"))
    else:
        import psycopg

        conn = psycopg.connect(url, autocommit=True)

    rng = random.Random(7)
    until = dt.datetime.fromtimestamp(now + AHEAD, dt.UTC)
    going_on = list(
        ChangeRequest.objects.filter(
            status__in=sorted(CONFLICTING_STATUSES), planned_start__lt=until
        )
        .order_by("id")
        .values_list("id", flat=True)
    )
    sample = ChangeRequest.objects.in_bulk(rng.sample(going_on, min(args.samples, len(going_on))))
    raw, full, found = [], [], []
    for change in sample.values():
        statements = recorded(lambda change=change: conflicts.find(change))
        raw.append(replay(conn, statements))
        full.append(timed(lambda change=change: found.append(len(conflicts.find(change)))))
    engine = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    print(
        f"{engine}: {len(sample)} conflict checks of going-on changes; conflicts per change: "
        f"median {statistics.median(found):.0f}, max {max(found)}"
    )
    print(report("conflict check of one change", raw, full))

    staff = User.objects.get(username="impl0")
    staff.roles  # noqa: B018 - read once per request, as a page would
    base = dt.datetime.fromtimestamp(now, dt.UTC).replace(day=1, hour=0)
    months = []
    for i in range(-args.months // 2, args.months - args.months // 2):
        year, month = divmod(base.month - 1 + i, 12)
        first = base.replace(year=base.year + year, month=month + 1)
        year2, month2 = divmod(month + 1, 12)
        months.append((first, first.replace(year=first.year + year2, month=month2 + 1)))
    raw, full, rows = [], [], []
    for start, end in months:
        statements = recorded(lambda s=start, e=end: calendar.entries(staff, s, e))
        for _ in range(5):
            raw.append(replay(conn, statements))
            full.append(
                timed(lambda s=start, e=end: rows.append(len(calendar.entries(staff, s, e))))
            )
    print(
        f"calendar month: {len(months)} months x 5; changes per month: median "
        f"{statistics.median(rows):.0f}, max {max(rows)}"
    )
    print(report("calendar month (entries)", raw, full))


if __name__ == "__main__":
    main()
