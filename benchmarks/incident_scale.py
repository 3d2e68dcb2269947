"""Incidents at scale: seed N incidents (about 3 journal entries each), then measure, with
concurrent clients against gunicorn on loopback, creating incidents through the API, page 1 of
the "My groups" queue, a selective text search (API), a word in half of the incidents (the
list page) and two words typed in part (the list page, as it searches while an agent types) —
each beside its floor measured in the same run.

The floor of a request is the raw SQL it needs plus one request to a trivial view of the same
server (see docs/architecture.md, "Performance"). The raw SQL is recorded from the real request
(Django's execute_wrapper, in this process) and replayed through psycopg (PostgreSQL) or sqlite3
(SQLite) on the same database, so the comparison is statement for statement.

    python benchmarks/incident_scale.py --incidents 100000                       # SQLite
    python benchmarks/incident_scale.py --incidents 1000000 \\
        --database postgresql://postgres@127.0.0.1:5432/steward_bench               # PostgreSQL

The database is created afresh (the PostgreSQL database is dropped first): never point it at
data you want to keep.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = [
    "printer",
    "vpn",
    "outlook",
    "laptop",
    "password",
    "network",
    "database",
    "backup",
    "payment",
    "mortgage",
    "server",
    "disk",
    "memory",
    "latency",
    "timeout",
    "certificate",
    "firewall",
    "login",
    "account",
    "mailbox",
    "portal",
    "report",
    "invoice",
    "batch",
    "transfer",
]
RARE = "quasar"  # in about 1 of 2,000 titles: a selective search
COMMON = "printer"  # in about half of the incidents: the search agents type most
TYPED = "prin vp"  # two words typed in part, as the list searches while an agent types


def other_words(count: int = 3000, seed: int = 7) -> list[str]:
    """The rest of a ticket's vocabulary: made-up words of 4-9 letters. Real ticket text has
    thousands of distinct words, and PostgreSQL estimates a typed prefix ("prin") from its
    statistics of the most common ones only when it has at least 100 of them: with the 25 topic
    words alone every prefix got a fixed guess (2% of the rows) and a search of two prefixes
    was planned as if it matched 600 incidents instead of 230,000."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    return sorted(
        {"".join(rng.choice(letters) for _ in range(rng.randint(4, 9))) for _ in range(count)}
    )


def description(rng: random.Random, words: random.Random, others: list[str]) -> str:
    """Twelve topic words (as every earlier run seeded them, from ``rng``) and eight other
    words (from ``words``, so that ``rng`` draws what it always drew): half from a Zipf-like
    head of a few very common words, half from the whole tail."""
    tail = [
        others[min(int(words.paretovariate(1.1)) - 1, len(others) - 1)]
        if words.random() < 0.5
        else words.choice(others)
        for _ in range(8)
    ]
    return " ".join([*rng.choices(WORDS, k=12), *tail])


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--incidents", type=int, default=100_000)
    p.add_argument("--database", default="", help="PostgreSQL URL (default: SQLite in a temp dir)")
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--requests", type=int, default=400, help="requests per workload")
    p.add_argument(
        "--web-workers", type=int, default=3, help="gunicorn workers (default: as manage.py serve)"
    )
    p.add_argument(
        "--web-threads",
        type=int,
        default=4,
        help="threads per worker (default: as manage.py serve)",
    )
    p.add_argument("--rounds", type=int, default=3, help="rounds of the read workloads")
    p.add_argument("--keep", action="store_true", help="reuse an already seeded database")
    return p.parse_args()


def setup_environment(args) -> tuple[str, Path]:
    data = Path(tempfile.mkdtemp(prefix="steward-bench-"))
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
    if url.startswith("postgres") and not args.keep:
        import psycopg

        parsed = urlparse(url)
        admin = url.replace(parsed.path, "/postgres")
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{parsed.path[1:]}"')
            conn.execute(f'CREATE DATABASE "{parsed.path[1:]}"')
    return url, data


def seed(n: int) -> None:
    from django.core.management import call_command

    from steward.core import journal
    from steward.incidents import operations as incident_ops
    from steward.incidents.models import Incident
    from steward.people import operations as people_ops
    from steward.people.models import SupportGroup, User
    from steward.services import operations as service_ops

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    if Incident.objects.exists():
        return
    rng = random.Random(2014)
    tail_rng, others = random.Random(8), other_words()
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
    if not SupportGroup.objects.filter(name="Service Desk").exists():
        people_ops.create_group(None, name="Service Desk", members=agents[:20])
    services = service_ops.bulk_create_services(
        None, [{"name": f"Service {i}", "owner": agents[i]} for i in range(100)], {}
    )
    members = {g.pk: agents[i * 20 : (i + 1) * 20] for i, g in enumerate(groups)}
    batch = 20_000
    for start in range(0, n, batch):
        rows = []
        for _ in range(start, min(n, start + batch)):
            words = rng.sample(WORDS, 4)
            if rng.random() < 0.0005:
                words[0] = RARE
            group = rng.choice(groups)
            status = rng.choice(["new", "in_progress", "in_progress"])
            rows.append(
                {
                    "title": " ".join(words).capitalize(),
                    "description": description(rng, tail_rng, others),
                    "caller": rng.choice(callers),
                    "owning_group": group,
                    "assignee": rng.choice(members[group.pk]) if status != "new" else None,
                    "service": rng.choice(services),
                    "impact": rng.randint(1, 3),
                    "urgency": rng.randint(1, 3),
                    "status": status,
                }
            )
        created = incident_ops.bulk_open_incidents(None, rows)
        journal.record_many(None, created, "assigned", comment="bulk load")
        journal.record_many(None, created, "commented", comment="bulk load")
        print(
            f"  seeded {start + len(created):>9,} incidents "
            f"({time.perf_counter() - started:6.1f} s)",
            flush=True,
        )
    print(f"  users: {User.objects.count():,}; groups: {len(groups) + 1}", flush=True)


def analyze() -> None:
    """Fresh planner statistics after the bulk load, as an operator would run after an import
    (PostgreSQL's autovacuum would get there on its own, a few minutes later)."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("VACUUM (ANALYZE)")
        else:
            cur.execute("ANALYZE")
    print(f"  planner statistics: {time.perf_counter() - started:.1f} s", flush=True)


# --- recording the SQL of a request, and replaying it raw ---------------------------------------


class Recorder:
    def __init__(self):
        self.calls: list[tuple[str, object, bool]] = []

    def __call__(self, execute, sql, params, many, context):
        self.calls.append((sql, params, many))
        return execute(sql, params, many, context)


def record(do) -> list:
    from django.db import connection

    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        do()
    return recorder.calls


class RawReplayer:
    """Runs recorded statements on a plain driver connection (no ORM, no Django)."""

    def __init__(self, url: str):
        self.sqlite = url.startswith("sqlite")
        if self.sqlite:
            self.conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        else:
            import psycopg

            self.conn = psycopg.connect(url)

    def run(self, calls, rollback: bool) -> float:
        started = time.perf_counter()
        cur = self.conn.cursor()
        if self.sqlite:
            cur.execute("BEGIN")
        for sql, params, many in calls:
            if sql.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
                continue  # the replay runs its own transaction
            if self.sqlite:
                sql = re.sub(r"(?<!%)%s", "?", sql).replace("%%", "%")
            if many:
                cur.executemany(sql, params)
            else:
                cur.execute(sql, params or ())
            if cur.description:
                cur.fetchall()
        if rollback:
            self.conn.rollback() if not self.sqlite else cur.execute("ROLLBACK")
        else:
            self.conn.commit() if not self.sqlite else cur.execute("COMMIT")
        return time.perf_counter() - started


# --- the server and the clients ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(workers: int, threads: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "steward.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(cmd, cwd=ROOT, env=os.environ.copy())
    for _ in range(100):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/healthz/live")
            if c.getresponse().status == 200:
                return server, port
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def concurrently(clients: int, total: int, open_session, one) -> tuple[list[float], float]:
    """``total`` calls of ``one(session, i)`` from ``clients`` threads, each thread with its own
    ``open_session()`` (a connection); the latency of every call and the elapsed time."""
    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(total))

    def worker():
        session = open_session()
        mine = []
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            t0 = time.perf_counter()
            one(session, i)
            mine.append(time.perf_counter() - t0)
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, time.perf_counter() - started


def load(port: int, clients: int, total: int, make_request) -> dict:
    """``total`` requests from ``clients`` threads with keep-alive; latencies and throughput."""
    errors: list[str] = []

    def one(conn, i):
        method, path, body, headers = make_request(i)
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        if response.status >= 400:
            errors.append(f"{method} {path}: {response.status}")

    latencies, elapsed = concurrently(
        clients, total, lambda: http.client.HTTPConnection("127.0.0.1", port, timeout=60), one
    )
    if errors:
        raise RuntimeError(f"{len(errors)} failed requests, e.g. {errors[:3]}")
    return {"rps": len(latencies) / elapsed, **quantiles(latencies)}


def quantiles(values: list[float]) -> dict:
    ordered = sorted(values)
    return {
        "p50": statistics.median(ordered) * 1000,
        "p95": ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000,
    }


def replay_many(replayer: RawReplayer, calls, n: int, rollback: bool) -> dict:
    return quantiles([replayer.run(calls, rollback) for _ in range(n)])


def replay_concurrently(url: str, calls, clients: int, n: int) -> dict:
    """The raw statements from ``clients`` threads at once, each on its own driver connection:
    the database under the same concurrency as the pages (read-only workloads only)."""
    latencies, _ = concurrently(
        clients, n, lambda: RawReplayer(url), lambda r, i: r.run(calls, rollback=True)
    )
    return quantiles(latencies)


def main() -> None:
    args = parse_args()
    url, _ = setup_environment(args)
    import django

    django.setup()
    from django.db import transaction
    from django.test import Client

    from steward.people import operations as people_ops
    from steward.people.models import SupportGroup, User

    engine = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    print(
        f"Steward incident benchmark: {args.incidents:,} incidents on {engine}, "
        f"{args.clients} clients, {args.requests} requests per workload, "
        f"gunicorn {args.web_workers} workers x {args.web_threads} threads"
    )
    t0 = time.perf_counter()
    seed(args.incidents)
    analyze()
    print(f"seeding: {time.perf_counter() - t0:.1f} s")

    agent = User.objects.get(username="agent25")  # a member of Group 1
    admin = people_ops.create_user(
        None, username=f"bench{int(time.time())}", roles=["admin", "agent"]
    )
    _, token = people_ops.create_api_token(admin, admin, name="bench", scope="write")
    client = Client()
    client.force_login(agent)
    session = client.cookies["sessionid"].value
    caller = User.objects.filter(username__startswith="caller").first()
    group = SupportGroup.objects.get(name="Group 3")
    auth = {"Authorization": f"Bearer {token}"}
    body = json.dumps(
        {
            "title": "Benchmark: printer offline",
            "description": "created by load",
            "caller": caller.pk,
            "impact": 2,
            "urgency": 2,
            "owning_group": group.pk,
        }
    )
    queue_path = "/incidents/?queue=my_groups"
    search_path = f"/api/v1/incidents?q={RARE}&limit=50"
    common_path = f"/incidents/?queue=all&q={COMMON}"
    typed_path = f"/incidents/?queue=all&q={TYPED.replace(' ', '+')}"

    # the SQL each request runs, recorded from the real code path
    client.get(queue_path)  # warm up
    queue_sql = record(lambda: client.get(queue_path))
    api = Client(headers=auth)
    api.get(search_path)  # warm up (the token's first use writes its last-used time)
    search_sql = record(lambda: api.get(search_path))
    client.get(common_path)  # warm up
    common_sql = record(lambda: client.get(common_path))
    client.get(typed_path)  # warm up
    typed_sql = record(lambda: client.get(typed_path))

    def create_once():
        with transaction.atomic():
            response = api.post("/api/v1/incidents", body, content_type="application/json")
            assert response.status_code == 201, response.content
            transaction.set_rollback(True)

    from steward.core.numbering import next_value

    next_value("INC")  # committed: a first use makes PostgreSQL's number sequence
    create_sql = record(create_once)
    print(
        f"statements per request: create {len(create_sql)}, queue page {len(queue_sql)}, "
        f"search {len(search_sql)}, list search {len(common_sql)}, typed {len(typed_sql)}"
    )

    # raw SQL alone first: the recorded create was rolled back, so its number is still free
    replayer = RawReplayer(url)
    queue_name, search_name = "My groups queue, page 1", f"search '{RARE}' (API)"
    common_name = f"list search '{COMMON}'"
    typed_name = f"list search '{TYPED}'"
    raw = {
        "create (API)": replay_many(replayer, create_sql, 100, rollback=True),
        queue_name: replay_many(replayer, queue_sql, 100, rollback=True),
        search_name: replay_many(replayer, search_sql, 100, rollback=True),
        common_name: replay_many(replayer, common_sql, 100, rollback=True),
        typed_name: replay_many(replayer, typed_sql, 100, rollback=True),
    }
    cookie = {"Cookie": f"sessionid={session}"}
    reads = {
        queue_name: (queue_sql, ("GET", queue_path, None, cookie)),
        search_name: (search_sql, ("GET", search_path, None, auth)),
        common_name: (common_sql, ("GET", common_path, None, cookie)),
        typed_name: (typed_sql, ("GET", typed_path, None, cookie)),
    }
    server, port = start_server(args.web_workers, args.web_threads)
    try:
        for request in (  # warm every worker thread up before measuring
            ("GET", "/healthz/live", None, {}),
            *(request for _, request in reads.values()),
        ):
            load(port, args.clients, 4 * args.clients, lambda i, r=request: r)
        create = load(
            port,
            args.clients,
            args.requests,
            lambda i: (
                "POST",
                "/api/v1/incidents",
                body,
                {**auth, "Content-Type": "application/json"},
            ),
        )
        # each round measures every read and its floor back to back, so a page and its floor
        # see the same machine (this shared 2-core machine drifts by a quarter between minutes)
        rounds = []
        for _ in range(args.rounds):
            trivial = load(
                port, args.clients, args.requests, lambda i: ("GET", "/healthz/live", None, {})
            )
            measured = {}
            for name, (calls, request) in reads.items():
                floor_sql = replay_concurrently(url, calls, args.clients, args.requests)
                page = load(port, args.clients, args.requests, lambda i, r=request: r)
                measured[name] = (page, floor_sql)
            rounds.append((trivial, measured))
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(args, create, raw, rounds)


def report(args, create, raw, rounds) -> None:
    c = args.clients
    print()
    alone = raw["create (API)"]
    print(
        f"create (API), {c} clients: {create['rps']:.1f} req/s, p50 {create['p50']:.1f} ms, "
        f"p95 {create['p95']:.1f} ms | raw SQL alone p50 {alone['p50']:.1f} ms, "
        f"p95 {alone['p95']:.1f} ms"
    )
    header = (
        f"{'round':<5} {'workload':<26} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} | "
        f"{'raw SQL p50':>11} {'p95':>7} | {f'raw, {c} clients':>15} {'p95':>7} | "
        f"{'floor p50':>9} {'p95':>7} | {'p95/floor':>9}"
    )
    print(header)
    print("-" * len(header))
    ratios: dict[str, list[float]] = {}
    for n, (trivial, measured) in enumerate(rounds, 1):
        print(
            f"{n:<5} {'trivial view (no database)':<26} {trivial['rps']:>7.0f} "
            f"{trivial['p50']:>8.1f} {trivial['p95']:>8.1f} |"
        )
        for name, (page, under_load) in measured.items():
            floor50 = under_load["p50"] + trivial["p50"]
            floor95 = under_load["p95"] + trivial["p95"]
            ratio = page["p95"] / floor95
            ratios.setdefault(name, []).append(ratio)
            print(
                f"{n:<5} {name:<26} {page['rps']:>7.1f} {page['p50']:>8.1f} {page['p95']:>8.1f} | "
                f"{raw[name]['p50']:>11.1f} {raw[name]['p95']:>7.1f} | "
                f"{under_load['p50']:>15.1f} {under_load['p95']:>7.1f} | "
                f"{floor50:>9.1f} {floor95:>7.1f} | {ratio:>8.1f}x"
            )
    print()
    for name, values in ratios.items():
        listed = ", ".join(f"{v:.1f}x" for v in values)
        print(f"{name}: p95/floor median {statistics.median(values):.1f}x (rounds: {listed})")
    print(
        f"\nfloor = the raw SQL of the request replayed from {c} concurrent driver connections"
        f" + the trivial view under {c} clients (both parts under the load the page sees),"
        "\nmeasured in the same round as the page. Target: the queue page and search within 3x"
        f" of their floor (p95/floor <= 3). '{COMMON}' is in half of the incidents: the list"
        f" counts it up to its limit. '{TYPED}' is typed in part: each word matches as a prefix."
    )


if __name__ == "__main__":
    main()
