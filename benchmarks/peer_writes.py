"""Writes side by side: Steward and django-helpdesk 2.6.1 (the peer) on the same PostgreSQL
server, the same data size (100,000 incidents / tickets with about 3 journal entries /
follow-ups each) and the same client (issue 22).

The client is ``wrk`` (one thread, 8 connections) replaying a prepared request list through
``benchmarks/peer/replay.lua``: every request of a round is written to a file first (method,
path, body, headers), so both systems get the same kind of traffic from the same client and no
Python client is in the measured path. Steward is served as ``manage.py serve`` serves it
(gunicorn 3 workers x 4 threads and the Huey worker on the default embedded queue); the peer
by gunicorn with 3 workers x 4 threads (gthread) and with 2 sync workers (the harness's way),
both kept up during the run. Each round runs every operation on Steward, then on each peer
variant, back to back; the table gives per-round figures and the median of the per-round
ratios Steward / peer. Steward's create and comment are printed beside their floor: the SQL of
the request recorded from the real code path (``incident_scale.record``), replayed raw from as
many connections as there are clients, plus a trivial view (``/healthz/live``) under the same
clients, both measured in the same round (docs/architecture.md, "Performance"). ``clients``
different requests are recorded, so that the replays wait on each other only where the
requests would (one group's tally row), and each replay runs ``SET CONSTRAINTS ALL IMMEDIATE``
before it rolls back, so the work PostgreSQL defers to the commit (the queue tallies' trigger,
deferred foreign keys) is in the floor; the commit's WAL flush is not.

Operations (``--requests`` each per round): create into one group and into many groups
(peer: the harness's ``api_create``, random queue), a comment (peer: ``api_followup``), the
transitions start, hold and resolve (peer: ``api_status``, a follow-up that resolves) and the
handovers request and accept (Steward only; accept uses a token of a member of the receiving
group). Steward's incidents for the transitions and handovers are drawn from the database at
the start of each round (new ones to start, in-progress ones to hold, resolve and hand over).

How to run it (root, from the repository root; wrk comes from Debian: ``apt-get install -y
wrk``). The first run prepares both systems and keeps them for later runs: the peer outside the
repository in ``--peer-dir`` (/tmp/peer: a venv from the harness's requirements.lock.txt, a
copy of its project and scripts, the database ``helpdesk_100k`` migrated and seeded with the
harness's ``seed.py``) and Steward's database ``steward_peer`` (seeded with
``incident_scale.seed``, about 1 min per 100,000 incidents; its data directory, the embedded
queue and the static files, in ``--peer-dir``/steward-data). Later runs check both in about
40 s (migrations, collectstatic). ``accept`` needs ``handover`` in ``--ops``::

    .venv/bin/python benchmarks/peer_writes.py --setup-only            # prepare, no load
    .venv/bin/python benchmarks/peer_writes.py --requests 100 --rounds 1   # a smoke run
    .venv/bin/python benchmarks/peer_writes.py --write-results          # 600 x 3 rounds
    .venv/bin/python benchmarks/peer_writes.py --ops create_one,comment --peer-variants gthread

Every run adds incidents and tickets (creates) and moves some out of new / in progress, so
later runs see a little more data; drop ``steward_peer`` and ``helpdesk_100k`` to start over.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
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
sys.path.insert(0, str(ROOT / "benchmarks"))

import incident_scale  # noqa: E402  (its seeding, floor replay and port helpers)

HARNESS = Path(os.environ.get("PEER_HARNESS", ROOT.parent / "shared" / "peer-bench"))
REPLAY_LUA = ROOT / "benchmarks" / "peer" / "replay.lua"
MAX_SECONDS = 900  # one operation's requests of a round, at most
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"

#: Steward operation -> the peer operation it is compared with (None: Steward only).
STEWARD_OPS = {
    "create_one": "api_create",
    "create_many": "api_create",
    "comment": "api_followup",
    "start": "api_status",
    "hold": "api_status",
    "resolve": "api_status",
    "handover": None,
    "accept": None,
}
LABELS = {
    "create_one": "create via API, one group",
    "create_many": "create via API, many groups",
    "comment": "add a comment via API",
    "start": "transition: start",
    "hold": "transition: hold",
    "resolve": "transition: resolve",
    "handover": "handover: request",
    "accept": "handover: accept",
}
PEER_LABELS = {
    "api_create": "api_create (random queue)",
    "api_followup": "api_followup",
    "api_status": "api_status (resolve)",
}
FLOORED = ("create_one", "create_many", "comment")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--requests", type=int, default=600, help="requests per operation and round")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--clients", type=int, default=8, help="wrk connections (one thread)")
    p.add_argument("--ops", default=",".join(STEWARD_OPS), help="Steward operations to run")
    p.add_argument("--peer-variants", default="gthread,sync", help="gthread (3x4), sync (2)")
    p.add_argument("--incidents", type=int, default=100_000, help="Steward's seeded incidents")
    p.add_argument("--tickets", type=int, default=100_000, help="the peer's seeded tickets")
    p.add_argument(
        "--database", default="postgresql://postgres@127.0.0.1:5432/steward_peer", help="Steward"
    )
    p.add_argument("--peer-database", default="helpdesk_100k")
    p.add_argument(
        "--peer-dir",
        default="/tmp/peer",  # noqa: S108  (outside the repository, kept between runs)
        help="the peer's venv, project and data",
    )
    p.add_argument("--setup-only", action="store_true", help="prepare both systems and stop")
    p.add_argument("--write-results", action="store_true", help="append the table to RESULTS.md")
    return p.parse_args()


def run(cmd, **kwargs) -> None:
    print("  $ " + " ".join(str(c) for c in cmd), flush=True)
    subprocess.run(cmd, check=True, **kwargs)


def ensure_database(name: str) -> bool:
    """Create the database unless it exists; True if it was created."""
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(f'CREATE DATABASE "{name}"')
        return True


# --- the peer: django-helpdesk through the harness ------------------------------------------


class Peer:
    def __init__(self, args):
        self.dir = Path(args.peer_dir)
        self.db = args.peer_database
        self.tickets = args.tickets
        self.dataset = f"peer-{self.db}"
        self.python = self.dir / "venv" / "bin" / "python"
        self.env = {
            **os.environ,
            "PEER_DIR": str(self.dir),
            "BENCH_DB": "postgres",
            "BENCH_PG_DB": self.db,
            "BENCH_PG_PORT": "5432",
            "BENCH_PG_USER": "postgres",
            "BENCH_PG_PASSWORD": "",
            "BENCH_DATASET": self.dataset,
            "BENCH_DATA_DIR": str(self.dir / "data"),
        }
        for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL"):
            self.env.pop(name, None)

    @property
    def manifest_path(self) -> Path:
        return self.dir / "data" / f"manifest_{self.dataset}.json"

    def setup(self) -> None:
        """Venv, project copy, database, migrations, seed: each step only if missing."""
        self.dir.mkdir(parents=True, exist_ok=True)
        if not self.python.exists():
            run(["python3", "-m", "venv", str(self.dir / "venv")])
        if not (self.dir / "venv" / ".installed").exists():
            run(
                [
                    str(self.python),
                    "-m",
                    "pip",
                    "install",
                    "-q",
                    "-r",
                    str(HARNESS / "requirements.lock.txt"),
                ]
            )
            (self.dir / "venv" / ".installed").touch()
        for part in ("project", "scripts"):
            if not (self.dir / part).exists():
                shutil.copytree(HARNESS / part, self.dir / part)
        ensure_database(self.db)
        manage = ["manage.py", "migrate", "--verbosity", "0"]
        run([str(self.python), *manage], cwd=self.dir / "project", env=self.env)
        if not self.manifest_path.exists():
            import psycopg

            with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{self.db}") as conn:
                seeded = conn.execute("SELECT count(*) FROM helpdesk_ticket").fetchone()[0]
            if seeded:
                raise SystemExit(
                    f"{self.db} has {seeded:,} tickets but no manifest ({self.manifest_path}): "
                    f"drop the database and run again"
                )
            run(
                [str(self.python), "../scripts/seed.py", "--tickets", str(self.tickets)],
                cwd=self.dir / "project",
                env=self.env,
            )
        self.manifest = json.loads(self.manifest_path.read_text())
        print(f"peer: {self.manifest['total_tickets']:,} tickets seeded in {self.db}", flush=True)

    def start(self, variant: str) -> Server:
        port = incident_scale.free_port()
        shape = (
            ["--workers", "3", "--threads", "4", "--worker-class", "gthread"]
            if variant == "gthread"
            else ["--workers", "2"]
        )
        cmd = [str(self.dir / "venv" / "bin" / "gunicorn"), "benchsite.wsgi:application",
               "--bind", f"127.0.0.1:{port}", *shape, "--timeout", "600",
               "--graceful-timeout", "5", "--log-level", "warning"]  # fmt: skip
        server = Server(f"peer {variant}", cmd, self.dir / "project", self.env, port)
        server.wait_ready("/helpdesk/login/")
        server.trivial = "/helpdesk/login/"
        server.headers = self.login(port)
        return server

    def login(self, port: int) -> dict:
        """The harness's login (session cookie + CSRF header) as its admin agent."""
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", "/helpdesk/login/")
        response = conn.getresponse()
        response.read()
        cookies = cookie_jar(response)
        form = (
            f"username={self.manifest['username']}&password={self.manifest['password']}"
            f"&csrfmiddlewaretoken={cookies['csrftoken']}&next=/helpdesk/"
        )
        conn.request(
            "POST",
            "/helpdesk/login/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookies['csrftoken']}",
            },
        )
        response = conn.getresponse()
        response.read()
        cookies.update(cookie_jar(response))
        if response.status not in (302, 303) or "sessionid" not in cookies:
            raise RuntimeError(f"peer login failed: {response.status}")
        return {
            "Cookie": f"csrftoken={cookies['csrftoken']}; sessionid={cookies['sessionid']}",
            "X-CSRFToken": cookies["csrftoken"],
            "Content-Type": "application/json",
        }

    def requests(self, op: str, n: int, rng: random.Random, headers: dict) -> list:
        ops = load_harness_ops()
        rows = []
        for _ in range(n):
            method, path, body = ops.OPS[op](rng, self.manifest)
            rows.append((method, path, json.dumps(body) if body is not None else "", headers))
        return rows


def load_harness_ops():
    import importlib.util

    spec = importlib.util.spec_from_file_location("peer_ops", HARNESS / "scripts" / "ops.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cookie_jar(response) -> dict:
    jar = {}
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            jar[key.strip()] = rest.split(";", 1)[0]
    return jar


# --- Steward ------------------------------------------------------------------------------------


class Steward:
    def __init__(self, args):
        self.url = args.database
        self.incidents = args.incidents
        self.data = Path(args.peer_dir) / "steward-data"

    def setup(self) -> None:
        self.data.mkdir(parents=True, exist_ok=True)
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "steward.settings",
                "DATABASE_URL": self.url,
                "STEWARD_DATA_DIR": str(self.data),
                "STEWARD_SECRET_KEY": "benchmark-only-secret-key",
                "STEWARD_DEBUG": "false",
                "STEWARD_ALLOWED_HOSTS": "127.0.0.1,testserver",
                "STEWARD_LOG_LEVEL": "WARNING",
                "STEWARD_WEB_WORKERS": "3",
            }
        )
        ensure_database(urlparse(self.url).path[1:])
        import django

        django.setup()
        from steward.incidents.models import Incident

        fresh = not Incident.objects.exists() if self._migrated() else True
        incident_scale.seed(self.incidents)  # migrates; seeds only an empty database
        if fresh:
            incident_scale.analyze()
        print(f"steward: {Incident.objects.count():,} incidents in {self.url}", flush=True)

    @staticmethod
    def _migrated() -> bool:
        from django.db import connection

        return "incidents_incident" in connection.introspection.table_names()

    def prepare(self) -> None:
        """The agent whose token sends the load, one token per group for accepting its
        handovers (a member of each), and the groups."""
        from steward.people import operations as people_ops
        from steward.people.models import SupportGroup, User

        self.agent = User.objects.filter(username="peerbench").first() or people_ops.create_user(
            None, username="peerbench", roles=["agent"], first_name="Peer", last_name="Bench"
        )
        _, self.token = people_ops.create_api_token(
            self.agent, self.agent, name=f"peer-writes {int(time.time())}", scope="write"
        )
        self.groups = list(SupportGroup.objects.filter(name__regex=r"^Group \d+$").order_by("pk"))
        self.member_tokens = {}
        for group in self.groups:
            member = group.members.filter(is_active=True).order_by("pk").first()
            _, secret = people_ops.create_api_token(
                member, member, name=f"peer-writes {int(time.time())}", scope="write"
            )
            self.member_tokens[group.pk] = secret
        self.callers = list(
            User.objects.filter(username__startswith="caller")
            .order_by("pk")
            .values_list("pk", flat=True)[:500]
        )
        self.one_group = next(g for g in self.groups if g.name == "Group 3")

    def headers(self, token: str | None = None) -> dict:
        return {
            "Authorization": f"Bearer {token or self.token}",
            "Content-Type": "application/json",
        }

    def start(self) -> Server:
        port = incident_scale.free_port()
        cmd = [sys.executable, "manage.py", "serve", "--port", str(port)]
        server = Server("steward", cmd, ROOT, os.environ.copy(), port)
        server.wait_ready("/healthz/live")
        return server

    def create_body(self, rng: random.Random, group) -> str:
        words = rng.sample(incident_scale.WORDS, 4)
        return json.dumps(
            {
                "title": " ".join(words).capitalize(),
                "description": "Several colleagues report the same behaviour since this morning.",
                "caller": rng.choice(self.callers),
                "impact": rng.randint(1, 3),
                "urgency": rng.randint(1, 3),
                "owning_group": group.pk,
            }
        )

    def pick(self, n: int, slack: int) -> dict:
        """Incidents for one round's transitions and handovers, disjoint, none with a pending
        handover: new ones to start, in-progress ones to hold, resolve and hand over, and
        open ones to comment on."""
        from steward.incidents.models import Handover, Incident

        k = n + slack
        pending = Handover.objects.filter(status="pending").values("incident_id")
        base = Incident.objects.exclude(pk__in=pending).exclude(parent__isnull=False)
        new = list(base.filter(status="new").order_by("?").values_list("number", flat=True)[:k])
        busy = list(
            base.filter(status="in_progress")
            .order_by("?")
            .values_list("number", "owning_group_id")[: 3 * k]
        )
        if len(new) < k or len(busy) < 3 * k:
            raise SystemExit("not enough new / in-progress incidents left: reseed steward_peer")
        comment = list(
            Incident.objects.filter(status__in=["new", "in_progress"])
            .order_by("?")
            .values_list("number", flat=True)[:k]
        )
        return {
            "start": new,
            "hold": [number for number, _ in busy[:k]],
            "resolve": [number for number, _ in busy[k : 2 * k]],
            "handover": busy[2 * k :],
            "comment": comment,
        }

    def requests(self, op: str, n: int, rng: random.Random, picked: dict) -> list:
        api = "/api/v1"
        h = self.headers()
        slack = len(picked["start"]) - n
        if op in ("create_one", "create_many"):
            return [
                (
                    "POST",
                    f"{api}/incidents",
                    self.create_body(
                        rng, self.one_group if op == "create_one" else rng.choice(self.groups)
                    ),
                    h,
                )
                for _ in range(n + slack)
            ]
        if op == "comment":
            return [
                (
                    "POST",
                    f"{api}/incidents/{number}/comments",
                    json.dumps(
                        {
                            "body": "Remote session scheduled for this afternoon.",
                            "visibility": "public" if rng.random() < 0.5 else "internal",
                        }
                    ),
                    h,
                )
                for number in picked["comment"]
            ]
        bodies = {
            "start": {"to": "in_progress"},
            "hold": {"to": "on_hold", "hold_reason": "awaiting_caller"},
            "resolve": {
                "to": "resolved",
                "resolution_code": "solved",
                "resolution_notes": "Configuration corrected and verified with the user.",
            },
        }
        if op in bodies:
            body = json.dumps(bodies[op])
            return [
                ("POST", f"{api}/incidents/{number}/transitions", body, h) for number in picked[op]
            ]
        if op == "handover":
            ids = [g.pk for g in self.groups]
            rows = []
            for number, owner in picked["handover"]:
                to = ids[(ids.index(owner) + 1) % len(ids)] if owner in ids else ids[0]
                body = {"to_group": to, "reason": "Needs the other team's access rights."}
                rows.append(("POST", f"{api}/incidents/{number}/handovers", json.dumps(body), h))
            return rows
        if op == "accept":
            from steward.incidents.models import Handover

            numbers = [number for number, _ in picked["handover"]]
            pending = Handover.objects.filter(
                status="pending", incident__number__in=numbers
            ).values_list("pk", "to_group_id")
            return [
                (
                    "POST",
                    f"{api}/handovers/{pk}/accept",
                    "{}",
                    self.headers(self.member_tokens[to_group]),
                )
                for pk, to_group in pending
            ]
        raise ValueError(op)

    def record_floor_sql(self, k: int) -> dict:
        """The SQL of ``k`` creates into one group, ``k`` into ``k`` groups and ``k`` comments
        on ``k`` incidents, each recorded from the real code path and rolled back, with
        ``SET CONSTRAINTS ALL IMMEDIATE`` added at the end: the replay then runs the work
        PostgreSQL defers to the commit (the queue tallies' trigger, the deferred foreign
        keys) before it rolls back. ``k`` different requests, so that concurrent replays wait
        only where the requests themselves would (one group's tally row), not on one number
        or one incident they would never share."""
        from django.db import transaction
        from django.test import Client

        from steward.core.numbering import next_value
        from steward.incidents.models import Incident

        api = Client(headers={"Authorization": f"Bearer {self.token}"})
        api.get("/api/v1/incidents?limit=1")  # committed: the token's first use notes its time
        next_value("INC")  # committed: a first use makes PostgreSQL's number sequence
        rng = random.Random(5)
        numbers = Incident.objects.filter(status="in_progress").order_by("pk")[:k]
        comment = json.dumps({"body": "Remote session scheduled.", "visibility": "internal"})
        requests = {
            "create_one": [("/api/v1/incidents", self.create_body(rng, self.one_group))] * k,
            "create_many": [
                ("/api/v1/incidents", self.create_body(rng, self.groups[i % len(self.groups)]))
                for i in range(k)
            ],
            "comment": [(f"/api/v1/incidents/{i.number}/comments", comment) for i in numbers],
        }

        def once(path, body):
            with transaction.atomic():
                response = api.post(path, body, content_type="application/json")
                assert response.status_code == 201, response.content
                transaction.set_rollback(True)

        once(*requests["create_one"][0])  # warm up
        recorded = {}
        for name, calls in requests.items():
            recorded[name] = [
                [
                    *incident_scale.record(lambda p=path, b=body: once(p, b)),
                    ("SET CONSTRAINTS ALL IMMEDIATE", None, False),
                ]
                for path, body in calls
            ]
        return recorded


def replay_distinct(url: str, recordings: list, clients: int, n: int) -> dict:
    """``n`` rolled-back replays from ``clients`` driver connections at once, connection ``j``
    replaying recording ``j``: the database under the concurrency the requests see."""
    lock = threading.Lock()
    slots = iter(range(clients))

    def open_session():
        with lock:
            slot = next(slots)
        return incident_scale.RawReplayer(url), recordings[slot % len(recordings)]

    def one(session, _):
        replayer, calls = session
        replayer.run(calls, rollback=True)

    latencies, _ = incident_scale.concurrently(clients, n, open_session, one)
    return incident_scale.quantiles(latencies)


# --- servers and the client ---------------------------------------------------------------------


class Server:
    def __init__(self, name, cmd, cwd, env, port):
        self.name, self.port, self.headers, self.trivial = name, port, {}, "/healthz/live"
        self.log = open(Path(tempfile.gettempdir()) / f"peer-writes-{port}.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=self.log,
            start_new_session=True,
        )  # fmt: skip

    def wait_ready(self, path: str) -> None:
        for _ in range(150):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", path)
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} did not start (see {self.log.name})")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


def wrk(server: Server, rows: list, n: int, clients: int) -> dict:
    """``n`` answers to ``rows`` replayed by wrk (one thread, ``clients`` connections)."""
    work = Path(tempfile.mkdtemp(prefix="peer-writes-"))
    listing = work / "requests.tsv"
    with listing.open("w") as f:
        for method, path, body, headers in rows:
            fields = [method, path, body]
            for name, value in headers.items():
                fields += [name, value]
            assert not any("\t" in x or "\n" in x for x in fields)
            f.write("\t".join(fields) + "\n")
    out = work / "out.json"
    cmd = ["wrk", "-t1", f"-c{clients}", "-d3600s", "--timeout", "120s", "-s", str(REPLAY_LUA),
           f"http://127.0.0.1:{server.port}", "--", str(listing), str(n)]  # fmt: skip
    proc = subprocess.Popen(
        cmd, env={**os.environ, "WRK_REPLAY_OUT": str(out)}, stdout=subprocess.DEVNULL
    )
    end = Path(f"{out}.end")
    deadline = time.monotonic() + MAX_SECONDS
    while not end.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=60)
    if not end.exists():
        raise RuntimeError(f"no {n} answers from {server.name} within {MAX_SECONDS} s")
    timing, stats = json.loads(end.read_text()), json.loads(out.read_text())
    shutil.rmtree(work)
    if timing["bad"] or stats["socket_errors"]:
        raise RuntimeError(
            f"{server.name}: {timing['bad']} failed answers, {stats['socket_errors']} socket "
            f"errors; first: {timing['first_bad']}"
        )
    return {
        "rps": timing["answered"] / (timing["finished"] - timing["started"]),
        "p50": stats["p50_us"] / 1000,
        "p95": stats["p95_us"] / 1000,
    }


def trivial_rows(n: int, path: str = "/healthz/live") -> list:
    return [("GET", path, "", {})] * n


# --- the run ------------------------------------------------------------------------------------


def main() -> None:
    args = parse_args()
    ops = [op for op in args.ops.split(",") if op]
    unknown = set(ops) - set(STEWARD_OPS)
    if unknown:
        raise SystemExit(f"unknown operations {sorted(unknown)}; use {', '.join(STEWARD_OPS)}")
    if "accept" in ops and "handover" not in ops:
        raise SystemExit("accept needs handover (it accepts the round's handovers)")
    variants = [v for v in args.peer_variants.split(",") if v]
    if set(variants) - {"gthread", "sync"}:
        raise SystemExit("--peer-variants: gthread and/or sync")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    peer, steward = Peer(args), Steward(args)
    t0 = time.perf_counter()
    peer.setup()
    steward.setup()
    print(f"setup: {time.perf_counter() - t0:.1f} s", flush=True)
    if args.setup_only:
        return
    steward.prepare()
    floor_sql = {
        name: recordings
        for name, recordings in steward.record_floor_sql(args.clients).items()
        if name in ops
    }
    print(
        "statements per request (Steward): "
        + ", ".join(f"{name} {len(recs[0]) - 1}" for name, recs in floor_sql.items()),
        flush=True,
    )
    replayer = incident_scale.RawReplayer(steward.url)
    alone = {
        name: incident_scale.replay_many(replayer, recordings[0], 100, rollback=True)
        for name, recordings in floor_sql.items()
    }
    replayer.conn.close()
    from django.db import connection

    connection.close()

    servers = {"steward": steward.start()}
    try:
        for variant in variants:
            servers[variant] = peer.start(variant)
        peer_ops = sorted({STEWARD_OPS[op] for op in ops if STEWARD_OPS[op]})
        rng = random.Random(22)
        slack = args.clients * 2
        warm = 4 * args.clients
        print("warming up", flush=True)
        for server in servers.values():
            wrk(server, trivial_rows(warm + slack, server.trivial), warm, args.clients)
        picked = steward.pick(warm, slack)
        for op in ("create_many", "comment"):
            rows = steward.requests(op, warm, rng, picked)
            wrk(servers["steward"], rows, warm, args.clients)
        for variant in variants:
            for op in peer_ops:
                rows = peer.requests(op, warm + slack, rng, servers[variant].headers)
                wrk(servers[variant], rows, warm, args.clients)
        rounds = []
        for r in range(1, args.rounds + 1):
            rounds.append(one_round(r, args, ops, peer_ops, variants, servers, steward, peer,
                                    floor_sql, rng))  # fmt: skip
    finally:
        for server in servers.values():
            server.stop()
    table = report(args, ops, variants, rounds, alone)
    if args.write_results:
        with (ROOT / "benchmarks" / "RESULTS.md").open("a") as f:
            f.write("\n" + table)
        print("appended to benchmarks/RESULTS.md")


def one_round(r, args, ops, peer_ops, variants, servers, steward, peer, floor_sql, rng) -> dict:
    n, c = args.requests, args.clients
    slack = 2 * c
    picked = steward.pick(n, slack)
    from django.db import connection

    connection.close()
    measured = {"steward": {}, "peer": {v: {} for v in variants}, "floor": {}}
    measured["trivial"] = wrk(servers["steward"], trivial_rows(n + slack), n, c)
    print(f"round {r}: trivial view {fmt(measured['trivial'])}", flush=True)
    for name, recordings in floor_sql.items():
        measured["floor"][name] = replay_distinct(steward.url, recordings, c, n)
        print(f"round {r}: raw SQL of a {name}, {c} connections: p50 "
              f"{measured['floor'][name]['p50']:.1f} ms, p95 "
              f"{measured['floor'][name]['p95']:.1f} ms", flush=True)  # fmt: skip
    done_peer = set()
    for op in ops:
        rows = steward.requests(op, n, rng, picked)
        connection.close()
        # accept: the handovers made (the in-flight extras too); keep one line per connection
        count = min(n, len(rows) - c + 1) if op == "accept" else n
        time.sleep(1)  # the worker's tasks of the previous operation
        measured["steward"][op] = result = wrk(servers["steward"], rows, count, c)
        print(f"round {r}: steward {op:<12} {fmt(result)}", flush=True)
        other = STEWARD_OPS[op]
        if other and other not in done_peer:
            done_peer.add(other)
            for variant in variants:
                rows = peer.requests(other, n + slack, rng, servers[variant].headers)
                measured["peer"][variant][other] = result = wrk(servers[variant], rows, n, c)
                print(f"round {r}: peer {variant:<7} {other:<12} {fmt(result)}", flush=True)
    return measured


def fmt(result: dict) -> str:
    return f"{result['rps']:7.1f} req/s  p50 {result['p50']:7.1f} ms  p95 {result['p95']:7.1f} ms"


def report(args, ops, variants, rounds, alone) -> str:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT version()")
        pg = cur.fetchone()[0].split(" on ")[0]
    connection.close()
    n, c = args.requests, args.clients
    title = "smoke run: " if n < 600 or args.rounds < 3 else ""
    lines = [
        f"## Writes side by side with django-helpdesk 2.6.1 ({title}{time.strftime('%Y-%m-%d')}, "
        "`peer_writes.py`)",
        "",
        f"{args.incidents:,} Steward incidents and {args.tickets:,} peer tickets (~3 journal "
        f"entries / follow-ups each) in one {pg} server; wrk, 1 thread, {c} connections, "
        f"{n} requests per operation and round, {len(rounds)} round(s) alternating Steward and "
        "the peer per operation. Steward as `manage.py serve` (gunicorn 3 workers x 4 threads "
        "+ Huey worker, embedded queue); the peer with gunicorn "
        + " and ".join({"gthread": "3 x 4 gthread", "sync": "2 sync workers"}[v] for v in variants)
        + ". Figures: median over rounds (req/s, p50 / p95 ms); ratio: median of the "
        "per-round throughput ratios Steward / peer.",
        "",
    ]
    peer_cols = [f"peer {v}" for v in variants]
    ratio_cols = [f"Steward / {v}" for v in variants]
    header = ["operation", "Steward", *peer_cols, *ratio_cols, "floor p95", "p95 / floor"]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]

    def med(values):
        return statistics.median(values)

    def cell(results):
        return (
            f"{med([x['rps'] for x in results]):.1f}/s, "
            f"{med([x['p50'] for x in results]):.0f} / {med([x['p95'] for x in results]):.0f} ms"
        )

    for op in ops:
        ours = [rd["steward"][op] for rd in rounds]
        row = [LABELS[op], cell(ours)]
        other = STEWARD_OPS[op]
        for v in variants:
            theirs = [rd["peer"][v][other] for rd in rounds] if other else []
            row.append(f"{PEER_LABELS[other]}: {cell(theirs)}" if theirs else "—")
        for v in variants:
            if other:
                ratios = [rd["steward"][op]["rps"] / rd["peer"][v][other]["rps"] for rd in rounds]
                spread = f" ({min(ratios):.2f}–{max(ratios):.2f})" if len(ratios) > 1 else ""
                row.append(f"{med(ratios):.2f}x{spread}")
            else:
                row.append("—")
        if op in FLOORED:
            floors = [rd["floor"][op]["p95"] + rd["trivial"]["p95"] for rd in rounds]
            ratios = [rd["steward"][op]["p95"] / f for rd, f in zip(rounds, floors, strict=True)]
            row += [f"{med(floors):.1f} ms", f"{med(ratios):.1f}x"]
        else:
            row += ["—", "—"]
        lines.append("| " + " | ".join(row) + " |")
    trivial = [rd["trivial"] for rd in rounds]
    lines += [
        "",
        f"Floor = the request's SQL, recorded from {c} different real requests (creates into "
        f"one group / into {c} groups, comments on {c} incidents), rolled back after `SET "
        f"CONSTRAINTS ALL IMMEDIATE` (the work PostgreSQL defers to the commit: tallies, "
        f"foreign keys; the commit's WAL flush is not in it), replayed raw from {c} "
        f"connections at once + the trivial view `/healthz/live` under {c} connections, both "
        f"in the same round. Trivial view: {cell(trivial)}. Raw SQL alone (one connection): "
        + "; ".join(f"{k} p50 {v['p50']:.1f} / p95 {v['p95']:.1f} ms" for k, v in alone.items())
        + ". Target (issue 22): create and comment at least 2x the peer, p95 within 3x of the "
        "floor.",
        "",
    ]
    table = "\n".join(lines)
    print()
    print(table)
    return table


if __name__ == "__main__":
    main()
