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

Reads (``--reads``, on by default; ``--no-reads`` for the writes alone; ``--read-ops`` to pick)
are measured in the same rounds, after the writes, with the same client and connections:
queue page 1 (Steward's "My groups" list page as agent25 of Group 1 sees it, as
``incident_scale.py`` requests it; the peer's list shell plus the rows JSON its DataTable
loads, combined into one page), a text search for a word in ~3% of the records (Steward's API
``?q=`` with 25 rows, the word picked from the seeded vocabulary unless ``--search-word``; the
peer's list JSON with its manifest's word, Kerberos), the ticket page of random records, and
the API's get one and first list page. The peer's API get and list walk every ticket on each
request: they get ``--linear-requests`` (8) per round instead of ``--requests``.

``--queues embedded,redis`` runs a second Steward beside the first, on
``STEWARD_QUEUE_URL=redis://127.0.0.1:<port>/0`` of a redis-server the run starts (nothing
saved) and stops, and gives its write rows too. ``--steward-sqlite`` runs Steward on its
embedded database (SQLite in ``--steward-sqlite-dir``, default ``--peer-dir``/steward-sqlite,
seeded on the first run) and the peer on its SQLite file (``--peer-engine``,
``--peer-sqlite-path``; default ``--peer-dir``/data/sqlite-<tickets>.sqlite3, seeded by the
harness); floors are skipped there (see the run's output)::

    .venv/bin/python benchmarks/peer_writes.py --queues embedded,redis       # + reads
    .venv/bin/python benchmarks/peer_writes.py --steward-sqlite --peer-variants sync,gthread
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

#: Read operations (``--reads``): Steward's request -> the peer's op(s) it is compared with. The
#: peer's queue page is two requests (the HTML shell, then the JSON rows its DataTable loads):
#: its figures are the two combined (the time of a page = the sum of both requests' times).
READ_OPS = {
    "queue_page": ("ui_list_page", "list_data"),
    "search": ("search_data",),
    "ticket_page": ("ui_view",),
    "api_get": ("api_get",),
    "api_list": ("api_list",),
}
READ_LABELS = {
    "queue_page": "read: queue page 1 (HTML)",
    "search": "read: text search (API)",
    "ticket_page": "read: ticket page (HTML)",
    "api_get": "read: API get one",
    "api_list": "read: API list page",
}
PEER_READ_LABELS = {
    "queue_page": "list shell + rows JSON",
    "search": "search_data",
    "ticket_page": "ui_view",
    "api_get": "api_get",
    "api_list": "api_list (status=1)",
}
#: the peer's ops whose every request walks all tickets (helpdesk's TicketViewSet.get_queryset
#: sets the custom fields of every ticket): they get ``--linear-requests`` per round
LINEAR_PEER_OPS = {"api_get", "api_list"}
LINEAR_TIMEOUT = 900  # seconds, one such request at most (27 s alone at 100k, 8 at once: ~2 min)
QUEUE_LABELS = {"embedded": "embedded queue", "redis": "Redis queue"}


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
    p.add_argument(
        "--reads",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also measure the reads in the same rounds (--no-reads: writes only)",
    )
    p.add_argument("--read-ops", default=",".join(READ_OPS), help="read operations to run")
    p.add_argument(
        "--read-requests", type=int, default=0, help="requests per read and round (--requests)"
    )
    p.add_argument(
        "--linear-requests",
        type=int,
        default=8,
        help="requests per round of the peer's api_get and api_list (each walks every ticket)",
    )
    p.add_argument(
        "--search-word",
        default="",
        help="Steward's search word (default: picked from the data, in ~3%% of the incidents)",
    )
    p.add_argument(
        "--peer-search-word", default="", help="the peer's (default: its manifest's, Kerberos)"
    )
    p.add_argument(
        "--queues",
        "--queue",
        default="embedded",
        help="Steward's queue variants: embedded and/or redis (a redis-server the run starts)",
    )
    p.add_argument(
        "--steward-sqlite",
        action="store_true",
        help="Steward on its embedded database (SQLite) in --steward-sqlite-dir",
    )
    p.add_argument("--steward-sqlite-dir", default="", help="default: --peer-dir/steward-sqlite")
    p.add_argument(
        "--peer-engine",
        choices=["postgres", "sqlite"],
        default="",
        help="the peer's database (default: sqlite with --steward-sqlite, else postgres)",
    )
    p.add_argument(
        "--peer-sqlite-path",
        default="",
        help="the peer's SQLite file (default: --peer-dir/data/sqlite-<tickets>.sqlite3)",
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
        self.tickets = args.tickets
        self.engine = args.peer_engine or ("sqlite" if args.steward_sqlite else "postgres")
        self.python = self.dir / "venv" / "bin" / "python"
        if self.engine == "sqlite":
            self.sqlite = Path(
                args.peer_sqlite_path or self.dir / "data" / f"sqlite-{self.tickets}.sqlite3"
            )
            self.db = str(self.sqlite)
            self.dataset = f"peer-{self.sqlite.stem}"
            engine_env = {"BENCH_DB": "sqlite", "BENCH_SQLITE_PATH": str(self.sqlite)}
        else:
            self.db = args.peer_database
            self.dataset = f"peer-{self.db}"
            engine_env = {
                "BENCH_DB": "postgres",
                "BENCH_PG_DB": self.db,
                "BENCH_PG_PORT": "5432",
                "BENCH_PG_USER": "postgres",
                "BENCH_PG_PASSWORD": "",
            }
        self.env = {
            **os.environ,
            "PEER_DIR": str(self.dir),
            **engine_env,
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
        if self.engine == "sqlite":
            self.sqlite.parent.mkdir(parents=True, exist_ok=True)
        else:
            ensure_database(self.db)
        (self.dir / "data").mkdir(parents=True, exist_ok=True)
        manage = ["manage.py", "migrate", "--verbosity", "0"]
        run([str(self.python), *manage], cwd=self.dir / "project", env=self.env)
        if not self.manifest_path.exists():
            seeded = self.count("SELECT count(*) FROM helpdesk_ticket")
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

    def count(self, sql: str, params=()) -> int:
        """One number from the peer's database (its own driver connection, outside Django)."""
        if self.engine == "sqlite":
            import sqlite3

            with sqlite3.connect(self.sqlite) as conn:
                return conn.execute(sql.replace("%s", "?"), params).fetchone()[0]
        import psycopg

        with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{self.db}") as conn:
            return conn.execute(sql, params).fetchone()[0]

    def search_share(self, word: str) -> float:
        """The share of tickets whose title or description holds ``word`` (what the list's
        search_string looks in, besides a few short fields)."""
        like = f"%{word.lower()}%"
        hits = self.count(
            "SELECT count(*) FROM helpdesk_ticket WHERE lower(title) LIKE %s "
            "OR lower(description) LIKE %s OR lower(resolution) LIKE %s",
            (like, like, like),
        )
        return hits / max(1, self.count("SELECT count(*) FROM helpdesk_ticket"))

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
        self.sqlite = args.steward_sqlite
        self.incidents = args.incidents
        if self.sqlite:  # the embedded database: DATABASE_URL unset, the file in the data dir
            self.data = Path(args.steward_sqlite_dir or Path(args.peer_dir) / "steward-sqlite")
            self.url = f"sqlite:///{self.data / 'steward.sqlite3'}"
        else:
            self.url = args.database
            self.data = Path(args.peer_dir) / "steward-data"

    def setup(self) -> None:
        self.data.mkdir(parents=True, exist_ok=True)
        if self.sqlite:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = self.url
        os.environ.pop("STEWARD_QUEUE_URL", None)  # the embedded queue unless a variant says
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "steward.settings",
                "STEWARD_DATA_DIR": str(self.data),
                "STEWARD_SECRET_KEY": "benchmark-only-secret-key",
                "STEWARD_DEBUG": "false",
                "STEWARD_ALLOWED_HOSTS": "127.0.0.1,testserver",
                "STEWARD_LOG_LEVEL": "WARNING",
                "STEWARD_WEB_WORKERS": "3",
            }
        )
        if not self.sqlite:
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

    def prepare_reads(self, word: str) -> None:
        """A session of an agent in Group 1 (agent25, as incident_scale.py's page reads: its
        "My groups" queue is Group 1's incidents) and the search word: ``word``, or the word
        of the seeded vocabulary whose search hits closest to 3% of the incidents."""
        from django.test import Client

        from steward.incidents.models import Incident
        from steward.people.models import User

        client = Client()
        client.force_login(User.objects.get(username="agent25"))
        self.cookie = {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}
        total = Incident.objects.count()
        if word:
            self.search_word, self.search_hits = word, self.search_count(word) / total
            return
        # the vocabulary's head (incident_scale.description): ranks ~5-20 are in a few % each
        candidates = incident_scale.other_words()[4:24]
        shares = {w: self.search_count(w) / total for w in candidates}
        self.search_word = min(shares, key=lambda w: abs(shares[w] - 0.03))
        self.search_hits = shares[self.search_word]

    @staticmethod
    def search_count(word: str) -> int:
        """Incidents the search for ``word`` finds (the search's own filter)."""
        from steward.incidents.models import Incident
        from steward.incidents.search import text_filter

        return text_filter(Incident.objects.all(), word, None).count()

    def read_requests(self, op: str, n: int, numbers: list) -> list:
        """``n`` requests of a read operation; ``numbers``: random incidents' numbers."""
        api = "/api/v1"
        if op == "queue_page":
            return [("GET", "/incidents/?queue=my_groups", "", self.cookie)] * n
        if op == "search":
            path = f"{api}/incidents?q={self.search_word}&limit=25"
            return [("GET", path, "", self.headers())] * n
        if op == "ticket_page":
            return [("GET", f"/incidents/{number}/", "", self.cookie) for number in numbers[:n]]
        if op == "api_get":
            return [
                ("GET", f"{api}/incidents/{number}", "", self.headers()) for number in numbers[:n]
            ]
        if op == "api_list":
            return [("GET", f"{api}/incidents?limit=25", "", self.headers())] * n
        raise ValueError(op)

    @staticmethod
    def random_numbers(k: int, rng: random.Random) -> list:
        """``k`` incidents' numbers, uniform over the table (as the peer's random ids)."""
        from steward.incidents.models import Incident

        ids = Incident.objects.order_by("pk").values_list("pk", flat=True)
        low, high = ids.first(), ids.last()
        wanted = [rng.randint(low, high) for _ in range(3 * k)]
        found = dict(Incident.objects.filter(pk__in=wanted).values_list("pk", "number"))
        numbers = [found[i] for i in wanted if i in found][:k]
        return numbers * (k // max(1, len(numbers)) + 1) if len(numbers) < k else numbers

    def headers(self, token: str | None = None) -> dict:
        return {
            "Authorization": f"Bearer {token or self.token}",
            "Content-Type": "application/json",
        }

    def start(self, queue_url: str = "", name: str = "steward") -> Server:
        port = incident_scale.free_port()
        cmd = [sys.executable, "manage.py", "serve", "--port", str(port)]
        env = os.environ.copy()
        if queue_url:
            env["STEWARD_QUEUE_URL"] = queue_url
        server = Server(name, cmd, ROOT, env, port)
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


class Redis:
    """A throwaway redis-server on a free loopback port, nothing saved, for the Redis queue."""

    def __init__(self):
        self.port = incident_scale.free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        cmd = ["/usr/bin/redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
               "--save", "", "--appendonly", "no", "--loglevel", "warning"]  # fmt: skip
        print("  $ " + " ".join(c or '""' for c in cmd), flush=True)
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, start_new_session=True)
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.port)
        for _ in range(100):
            try:
                client.ping()
                client.close()
                return
            except redis.ConnectionError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def check(server: Server, rows: list) -> None:
    """The first request of ``rows`` answers 200 (a page that redirects to the login, or an
    error, would be counted as an answer by the replay)."""
    method, path, body, headers = rows[0]
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=300)
    conn.request(method, path, body=body or None, headers=headers)
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"{server.name}: {method} {path} answered {response.status}")


def wrk(server: Server, rows: list, n: int, clients: int, timeout: int = 120) -> dict:
    """``n`` answers to ``rows`` replayed by wrk (one thread, ``clients`` connections), each
    within ``timeout`` seconds (a longer one counts as a socket error)."""
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
    cmd = ["wrk", "-t1", f"-c{clients}", "-d3600s", "--timeout", f"{timeout}s", "-s",
           str(REPLAY_LUA), f"http://127.0.0.1:{server.port}", "--", str(listing),
           str(n)]  # fmt: skip
    proc = subprocess.Popen(
        cmd, env={**os.environ, "WRK_REPLAY_OUT": str(out)}, stdout=subprocess.DEVNULL
    )
    end = Path(f"{out}.end")
    deadline = time.monotonic() + max(MAX_SECONDS, 2 * timeout)
    while not end.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=60)
    if not end.exists():
        raise RuntimeError(
            f"no {n} answers from {server.name} within {max(MAX_SECONDS, 2 * timeout)} s"
        )
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


def steward_name(queue: str) -> str:
    return "steward" if queue == "embedded" else f"steward {queue}"


def unique(servers: dict) -> list:
    """The servers once each ("steward" names the first queue variant's server too)."""
    return list({id(server): server for server in servers.values()}.values())


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
    reads = [op for op in args.read_ops.split(",") if op] if args.reads else []
    if set(reads) - set(READ_OPS):
        raise SystemExit(f"--read-ops: {', '.join(READ_OPS)}")
    queues = [q for q in args.queues.split(",") if q]
    if not queues or set(queues) - set(QUEUE_LABELS) or len(set(queues)) < len(queues):
        raise SystemExit("--queues: embedded and/or redis")
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
    if reads:
        steward.prepare_reads(args.search_word)
        if args.peer_search_word:
            peer.manifest["search_word"] = args.peer_search_word
        peer_word = peer.manifest.get("search_word") or peer.manifest["search_words"]["rare"]
        peer.search_share_value = peer.search_share(peer_word)
        print(
            f"search words: Steward '{steward.search_word}' (in {steward.search_hits:.1%} of "
            f"the incidents), peer '{peer_word}' (title/description/resolution of "
            f"{peer.search_share_value:.1%} of the tickets)",
            flush=True,
        )
    if steward.sqlite:
        floor_sql = {}
        print(
            "floors skipped on SQLite: the raw replay runs each request's writes in a deferred "
            "transaction from every client's connection at once, which SQLite answers with "
            "'database is locked' instead of queueing the writers as Steward's embedded "
            "backend does, so the replay would not be the request's floor",
            flush=True,
        )
    else:
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
    alone = {}
    if floor_sql:
        replayer = incident_scale.RawReplayer(steward.url)
        alone = {
            name: incident_scale.replay_many(replayer, recordings[0], 100, rollback=True)
            for name, recordings in floor_sql.items()
        }
        replayer.conn.close()
    from django.db import connection

    connection.close()

    servers = {}
    redis_server = None
    try:
        for queue in queues:
            url = ""
            if queue == "redis":
                redis_server = Redis()
                url = redis_server.url
            servers[steward_name(queue)] = steward.start(url, steward_name(queue))
        servers["steward"] = servers[steward_name(queues[0])]  # trivial view and reads
        for variant in variants:
            servers[variant] = peer.start(variant)
        peer_ops = sorted({STEWARD_OPS[op] for op in ops if STEWARD_OPS[op]})
        rng = random.Random(22)
        slack = args.clients * 2
        warm = 4 * args.clients
        print("warming up", flush=True)
        for server in unique(servers):
            wrk(server, trivial_rows(warm + slack, server.trivial), warm, args.clients)
        for queue in queues:
            picked = steward.pick(warm, slack)
            for op in ("create_many", "comment"):
                rows = steward.requests(op, warm, rng, picked)
                wrk(servers[steward_name(queue)], rows, warm, args.clients)
        for variant in variants:
            for op in peer_ops:
                rows = peer.requests(op, warm + slack, rng, servers[variant].headers)
                wrk(servers[variant], rows, warm, args.clients)
        if reads:
            warm_reads(args, reads, variants, servers, steward, peer, rng)
        rounds = []
        for r in range(1, args.rounds + 1):
            rounds.append(one_round(r, args, ops, peer_ops, variants, servers, steward, peer,
                                    floor_sql, rng, queues))  # fmt: skip
            if reads:
                read_round(r, args, reads, variants, servers, steward, peer, rng, rounds[-1])
    finally:
        for server in unique(servers):
            server.stop()
        if redis_server:
            redis_server.stop()
    table = report(args, ops, variants, rounds, alone, queues, reads, steward, peer)
    if args.write_results:
        with (ROOT / "benchmarks" / "RESULTS.md").open("a") as f:
            f.write("\n" + table)
        print("appended to benchmarks/RESULTS.md")


def one_round(r, args, ops, peer_ops, variants, servers, steward, peer, floor_sql, rng,
              queues=("embedded",)) -> dict:  # fmt: skip
    n, c = args.requests, args.clients
    slack = 2 * c
    # one pick for every queue variant, split: no incident is moved by two variants
    k = n + slack
    together = steward.pick(len(queues) * k - slack, slack)
    picks = {
        queue: {name: rows[i * k : (i + 1) * k] for name, rows in together.items()}
        for i, queue in enumerate(queues)
    }
    from django.db import connection

    connection.close()
    measured = {
        "steward_q": {q: {} for q in queues},
        "peer": {v: {} for v in variants},
        "floor": {},
    }
    measured["steward"] = measured["steward_q"][queues[0]]
    measured["trivial"] = wrk(servers["steward"], trivial_rows(n + slack), n, c)
    print(f"round {r}: trivial view {fmt(measured['trivial'])}", flush=True)
    for name, recordings in floor_sql.items():
        measured["floor"][name] = replay_distinct(steward.url, recordings, c, n)
        print(f"round {r}: raw SQL of a {name}, {c} connections: p50 "
              f"{measured['floor'][name]['p50']:.1f} ms, p95 "
              f"{measured['floor'][name]['p95']:.1f} ms", flush=True)  # fmt: skip
    done_peer = set()
    for op in ops:
        for queue in queues:
            rows = steward.requests(op, n, rng, picks[queue])
            connection.close()
            # accept: the handovers made (the in-flight extras too); keep one line per connection
            count = min(n, len(rows) - c + 1) if op == "accept" else n
            time.sleep(1)  # the worker's tasks of the previous operation
            server = servers[steward_name(queue)]
            measured["steward_q"][queue][op] = result = wrk(server, rows, count, c)
            tag = "" if queue == "embedded" else f" ({queue})"
            print(f"round {r}: steward {op:<12} {fmt(result)}{tag}", flush=True)
        other = STEWARD_OPS[op]
        if other and other not in done_peer:
            done_peer.add(other)
            for variant in variants:
                rows = peer.requests(other, n + slack, rng, servers[variant].headers)
                measured["peer"][variant][other] = result = wrk(servers[variant], rows, n, c)
                print(f"round {r}: peer {variant:<7} {other:<12} {fmt(result)}", flush=True)
    return measured


def read_counts(args, op: str) -> tuple[int, int]:
    """Requests per round of a read: Steward's, the peer's."""
    n = args.read_requests or args.requests
    return n, (min(n, args.linear_requests) if op in LINEAR_PEER_OPS else n)


def warm_reads(args, reads, variants, servers, steward, peer, rng) -> None:
    """Every read once per server thread (the peer's O(N) ones once per connection), each
    checked for a 200 answer first."""
    c, slack = args.clients, 2 * args.clients
    warm = 4 * c
    numbers = steward.random_numbers(warm + slack, rng)
    from django.db import connection

    connection.close()
    for op in reads:
        rows = steward.read_requests(op, warm + slack, numbers)
        check(servers["steward"], rows)
        wrk(servers["steward"], rows, warm, c)
        for variant in variants:
            for other in READ_OPS[op]:
                rows = peer.requests(other, warm + slack, rng, servers[variant].headers)
                started = time.perf_counter()
                check(servers[variant], rows)
                if other in LINEAR_PEER_OPS:  # tens of seconds each: the check is warm-up enough
                    print(f"peer {variant} {other}: one request alone "
                          f"{time.perf_counter() - started:.1f} s", flush=True)  # fmt: skip
                else:
                    wrk(servers[variant], rows, warm, c)


def combine(parts: list) -> dict:
    """A page of several requests: its throughput from the summed time per request, its
    latencies as the sum of the parts' (an upper estimate of the percentiles)."""
    return {
        "rps": 1 / sum(1 / p["rps"] for p in parts),
        "p50": sum(p["p50"] for p in parts),
        "p95": sum(p["p95"] for p in parts),
    }


def read_round(r, args, reads, variants, servers, steward, peer, rng, measured) -> None:
    c, slack = args.clients, 2 * args.clients
    n = args.read_requests or args.requests
    numbers = steward.random_numbers(n + slack, rng)
    from django.db import connection

    connection.close()
    measured["reads"] = {"steward": {}, "peer": {v: {} for v in variants}, "parts": {}}
    for op in reads:
        ours, theirs = read_counts(args, op)
        rows = steward.read_requests(op, ours + slack, numbers)
        measured["reads"]["steward"][op] = result = wrk(servers["steward"], rows, ours, c)
        print(f"round {r}: steward {op:<12} {fmt(result)}", flush=True)
        for variant in variants:
            parts = []
            for other in READ_OPS[op]:
                rows = peer.requests(other, theirs + slack, rng, servers[variant].headers)
                timeout = LINEAR_TIMEOUT if other in LINEAR_PEER_OPS else 120
                part = wrk(servers[variant], rows, theirs, c, timeout)
                parts.append(part)
                measured["reads"]["parts"][(variant, other)] = part
                print(f"round {r}: peer {variant:<7} {other:<12} {fmt(part)}", flush=True)
                if other in LINEAR_PEER_OPS:
                    restart_peer(args, variant, servers, peer, rng)
            measured["reads"]["peer"][variant][op] = combine(parts)


def restart_peer(args, variant, servers, peer, rng) -> None:
    """A fresh server after an O(N) read: when its N-th answer arrives, the replay has sent up
    to ``clients`` - 1 more requests, each minutes of work the server would go on doing while
    the next operation is measured. Then warmed up as at the start."""
    started = time.perf_counter()
    servers[variant].stop()
    servers[variant] = server = peer.start(variant)
    c, slack = args.clients, 2 * args.clients
    warm = 4 * c
    wrk(server, trivial_rows(warm + slack, server.trivial), warm, c)
    others = {STEWARD_OPS[op] for op in args.ops.split(",") if STEWARD_OPS.get(op)}
    if args.reads:
        others |= {o for op in args.read_ops.split(",") if op for o in READ_OPS[op]}
    for other in sorted(others - LINEAR_PEER_OPS):
        rows = peer.requests(other, warm + slack, rng, server.headers)
        wrk(server, rows, warm, c)
    print(f"peer {variant} restarted and warmed up ({time.perf_counter() - started:.0f} s)",
          flush=True)  # fmt: skip


def fmt(result: dict) -> str:
    return f"{result['rps']:7.1f} req/s  p50 {result['p50']:7.1f} ms  p95 {result['p95']:7.1f} ms"


def report(args, ops, variants, rounds, alone, queues=("embedded",), reads=(), steward=None,
           peer=None) -> str:  # fmt: skip
    from django.db import connection

    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("SELECT sqlite_version()")
            pg = f"SQLite {cur.fetchone()[0]}"
        else:
            cur.execute("SELECT version()")
            pg = cur.fetchone()[0].split(" on ")[0]
    connection.close()
    n, c = args.requests, args.clients
    title = "smoke run: " if n < 600 or args.rounds < 3 else ""
    what = "Writes and reads" if reads else "Writes"
    if connection.vendor == "sqlite":
        peer_db = "its SQLite file (WAL)" if peer and peer.engine == "sqlite" else "PostgreSQL"
        where = f"with Steward on its embedded database ({pg}, WAL) and the peer on {peer_db}"
    else:
        where = f"in one {pg} server"
    queue_text = " and ".join(QUEUE_LABELS[q] for q in queues)
    lines = [
        f"## {what} side by side with django-helpdesk 2.6.1 ({title}"
        f"{time.strftime('%Y-%m-%d')}, `peer_writes.py`)",
        "",
        f"{args.incidents:,} Steward incidents and {args.tickets:,} peer tickets (~3 journal "
        f"entries / follow-ups each) {where}; wrk, 1 thread, {c} connections, "
        f"{n} requests per operation and round, {len(rounds)} round(s) alternating Steward and "
        "the peer per operation. Steward as `manage.py serve` (gunicorn 3 workers x 4 threads "
        f"+ Huey worker, {queue_text}); the peer with gunicorn "
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

    def ratio_cell(ratios):
        spread = f" ({min(ratios):.2f}–{max(ratios):.2f})" if len(ratios) > 1 else ""
        return f"{med(ratios):.2f}x{spread}"

    for queue in queues:
        for op in ops:
            ours = [rd["steward_q"][queue][op] for rd in rounds]
            label = LABELS[op] if len(queues) == 1 else f"{LABELS[op]} ({QUEUE_LABELS[queue]})"
            row = [label, cell(ours)]
            other = STEWARD_OPS[op]
            for v in variants:
                theirs = [rd["peer"][v][other] for rd in rounds] if other else []
                row.append(f"{PEER_LABELS[other]}: {cell(theirs)}" if theirs else "—")
            for v in variants:
                if other:
                    ratios = [
                        rd["steward_q"][queue][op]["rps"] / rd["peer"][v][other]["rps"]
                        for rd in rounds
                    ]
                    row.append(ratio_cell(ratios))
                else:
                    row.append("—")
            if op in FLOORED and op in alone:
                floors = [rd["floor"][op]["p95"] + rd["trivial"]["p95"] for rd in rounds]
                ratios = [
                    rd["steward_q"][queue][op]["p95"] / f
                    for rd, f in zip(rounds, floors, strict=True)
                ]
                row += [f"{med(floors):.1f} ms", f"{med(ratios):.1f}x"]
            else:
                row += ["—", "—"]
            lines.append("| " + " | ".join(row) + " |")
    for op in reads:
        ours = [rd["reads"]["steward"][op] for rd in rounds]
        row = [READ_LABELS[op], cell(ours)]
        for v in variants:
            theirs = [rd["reads"]["peer"][v][op] for rd in rounds]
            row.append(f"{PEER_READ_LABELS[op]}: {cell(theirs)}")
        for v in variants:
            ratios = [
                rd["reads"]["steward"][op]["rps"] / rd["reads"]["peer"][v][op]["rps"]
                for rd in rounds
            ]
            row.append(ratio_cell(ratios))
        row += ["—", "—"]
        lines.append("| " + " | ".join(row) + " |")
    trivial = [rd["trivial"] for rd in rounds]
    lines.append("")
    if alone:
        lines += [
            f"Floor = the request's SQL, recorded from {c} different real requests (creates into "
            f"one group / into {c} groups, comments on {c} incidents), rolled back after `SET "
            f"CONSTRAINTS ALL IMMEDIATE` (the work PostgreSQL defers to the commit: tallies, "
            f"foreign keys; the commit's WAL flush is not in it), replayed raw from {c} "
            f"connections at once + the trivial view `/healthz/live` under {c} connections, both "
            f"in the same round. Trivial view: {cell(trivial)}. Raw SQL alone (one connection): "
            + "; ".join(f"{k} p50 {v['p50']:.1f} / p95 {v['p95']:.1f} ms" for k, v in alone.items())
            + ". Target (issue 22): create and comment at least 2x the peer, p95 within 3x of "
            "the floor.",
            "",
        ]
    elif steward is not None and steward.sqlite:
        lines += [
            f"No floors: on SQLite the raw replay of {c} writers at once is not a floor (see the "
            f"run's output). Trivial view: {cell(trivial)}. Target (issue 22): create and "
            "comment at least 2x the peer.",
            "",
        ]
    else:
        lines += [f"Trivial view: {cell(trivial)}.", ""]
    if reads:
        lines += [read_notes(args, reads, variants, rounds, steward, peer, cell), ""]
    table = "\n".join(lines)
    print()
    print(table)
    return table


def read_notes(args, reads, variants, rounds, steward, peer, cell) -> str:
    n, c = args.read_requests or args.requests, args.clients
    linear = min(n, args.linear_requests)
    word = peer.manifest.get("search_word") or peer.manifest["search_words"]["rare"]
    requests = {
        "queue_page": "`GET /incidents/?queue=my_groups` (agent25's session, Group 1) vs "
        "`GET /helpdesk/tickets/?queue=Q&status=1&sort=priority` + "
        "`GET /helpdesk/datatables_ticket_list/<query>?start=0&length=25` (Q one of the 5 "
        "largest queues; the page's figures are the two requests combined: req/s from the "
        "summed time per request, p50 / p95 the sums)",
        "search": f"`GET /api/v1/incidents?q={steward.search_word}&limit=25` "
        f"('{steward.search_word}': {steward.search_hits:.1%} of the incidents) vs the list "
        f"JSON with search_string '{word}' ({peer.search_share_value:.1%} of the tickets; "
        "title, description, resolution), 25 rows each",
        "ticket_page": "`GET /incidents/<number>/` vs `GET /helpdesk/tickets/<id>/`, random "
        "incidents / tickets",
        "api_get": "`GET /api/v1/incidents/<number>` vs `GET /helpdesk/api/tickets/<id>/`",
        "api_list": "`GET /api/v1/incidents?limit=25` vs `GET /helpdesk/api/tickets/?status=1` "
        "(25 a page)",
    }
    parts = []
    for op in reads:
        text = f"{READ_LABELS[op].removeprefix('read: ')}: {requests[op]}"
        if op == "queue_page":
            for v in variants:
                shell = cell([rd["reads"]["parts"][(v, "ui_list_page")] for rd in rounds])
                rows = cell([rd["reads"]["parts"][(v, "list_data")] for rd in rounds])
                text += f"; peer {v}: shell {shell}, rows {rows}"
        parts.append(text)
    return (
        f"Reads: the same wrk client and {c} connections, {n} requests per read and round, "
        f"after the writes in every round, Steward's on the "
        f"{QUEUE_LABELS[steward_queue(args)]} server. "
        + ". ".join(parts)
        + f". The peer's api_get and api_list walk every ticket on each request (helpdesk's "
        f"TicketViewSet sets each ticket's custom fields): {linear} of them per round, against "
        f"Steward's {n}."
    )


def steward_queue(args) -> str:
    return next(q for q in args.queues.split(",") if q)


if __name__ == "__main__":
    main()
