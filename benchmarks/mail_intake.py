"""Inbound mail at scale: the intake's hot paths, each beside its floor measured in the same run.
Target: each path's p95 within 2x of its floor's p95.

The paths (in-process, through ``mailbox.operations.intake.ingest``: what ``manage.py
ingest_mail`` (an MTA's pipe) and the IMAP poll call for each message), with raw bytes built
before each run (a fresh Message-ID every time):

- **reply by headers**: a caller answers a random old e-mail Steward sent (In-Reply-To and
  References name its Message-ID) -> a public comment on that e-mail's incident;
- **reply by subject token**: no threading headers, ``[INC…]`` in the subject -> a comment;
- **duplicate**: a message already received, delivered again (the MTA retried, a poll died
  before marking it seen) -> found by its Message-ID, nothing written;
- **new message** from a known caller -> a new incident for the mailbox's group.

Floor: the statements the path ran, recorded from the path itself (in a transaction rolled back,
so its rows stay free) and replayed raw through the driver on the same connection, in one
transaction that is rolled back: what the database must do for the message, with none of
Steward's Python. The path also commits (the stored message on its own, then what it did) and
the floor does not, so a second floor adds as many one-row commits as the path made. Not in
either floor, and in the path: parsing the message, writing the ``.eml`` file and enqueueing the
delivery task for the notifications (``--phases`` times those and the other steps of each
path; ``--profile PATH`` runs cProfile over one). The duplicate commits nothing and runs in
autocommit, and so does its floor. The order of path and floor alternates between runs.

    python benchmarks/mail_intake.py --messages 100000                                 # SQLite
    python benchmarks/mail_intake.py --messages 1000000 \\
        --database postgresql://postgres@127.0.0.1:5432/steward_mailbench  # PostgreSQL

The load, set-based and deterministic: 10 organizations, 2,000 callers with addresses, a service
desk group of 10 agents and its mailbox; one incident made through the real intake (a message
from a caller), assigned and answered by an agent (an e-mail to the caller that knows its
record), and the caller's reply through the intake again; then, cloned in SQL from those
three rows over 365 days, N/5 incidents (1 in 5 still in progress, the rest closed), N
outbound e-mails (5 per incident, each with its Message-ID, record and number) and N received
messages (processed: replies and new tickets). Kept between runs (``--reload`` loads again).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import pstats
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.support import load_average, quantiles, setup_environment  # noqa: E402

SQLITE_DIR = Path(tempfile.gettempdir()) / "steward-mailbench"
PATHS = ("reply_headers", "reply_subject", "duplicate", "new_message")
ORGS, CALLERS, AGENTS = 10, 2000, 10
PER_INCIDENT = 5  # outbound e-mails (and received messages) per incident
SPAN = 365 * 86_400
DESK = "desk@steward.test"
CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN", "COMMIT")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--messages", type=int, default=100_000)
    p.add_argument("--database", default="", help="PostgreSQL URL (default: a SQLite file)")
    p.add_argument("--runs", type=int, default=20, help="timed runs per path (after 2 warm-ups)")
    p.add_argument("--reload", action="store_true", help="drop the database and load again")
    p.add_argument("--profile", choices=PATHS, help="also profile this path (cProfile)")
    p.add_argument("--phases", action="store_true", help="also time each path's steps")
    return p.parse_args()


def mail(sender: str, subject: str, body: str, message_id: str, headers=()) -> bytes:
    """A plain-text message as a mail client sends it."""
    lines = [
        f"From: {sender}",
        f"To: Service desk <{DESK}>",
        f"Subject: {subject}",
        "Date: Fri, 04 Dec 2026 10:00:00 +0100",
        f"Message-ID: {message_id}",
        *headers,
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: 8bit",
        "",
        body,
        "",
    ]
    return "\r\n".join(lines).encode()


REPLY_BODY = (
    "Thanks, it happened again this morning at 9:40, right after I connected from home.\n"
    "The log is below.\n\n"
    "2026-12-04 09:40:12 tunnel up\n2026-12-04 09:41:55 tunnel down (timeout)\n\n"
    "Regards,\nthe caller\n\n"
    "On Thu, 3 Dec 2026 at 16:02, Service desk <desk@steward.test> wrote:\n"
    "> Could you send us the log of the VPN client when it happens?\n> \n> The service desk\n"
)
NEW_BODY = (
    "Hello,\n\nThe printer on floor 3 jams on every second page since this morning; the "
    "display says 'paper jam tray 2' but there is no paper in it.\n\nThank you,\nthe caller\n"
)


# --- the load -----------------------------------------------------------------------------------


def _marker(n: int) -> str:
    return f"<in-{n}@load.bank.test>"


def loaded(n: int) -> bool:
    from steward.mailbox.models import InboundMessage

    return InboundMessage.objects.filter(message_id=_marker(n)).exists()


def _columns(model) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if not f.generated]


def _clone(cursor, s, model, template_id: int, n: int, replace: dict[str, str]) -> None:
    """INSERT n copies of row ``template_id`` of ``model``, with ``replace``'s expressions
    (over ``k`` = 1..n) for some columns."""
    table = model._meta.db_table
    cols = _columns(model)
    unknown = set(replace) - set(cols)
    assert not unknown, unknown
    select = ", ".join(replace.get(c, f"t.{c}") for c in cols)
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(cols)}) SELECT {select} "
        f"FROM {table} AS t, {s.series(n)} WHERE t.id = {template_id}"
    )


def _contiguous(objs) -> int:
    ids = [o.pk for o in objs]
    if ids != list(range(ids[0], ids[0] + len(ids))):
        raise RuntimeError("bulk-created ids are not consecutive: load into a fresh database")
    return ids[0]


def load(n: int, log=print) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from benchmarks.incident_history import Sql
    from steward.core.numbering import next_values
    from steward.incidents import operations as incident_ops
    from steward.incidents.choices import Visibility
    from steward.incidents.models import Incident
    from steward.mailbox.choices import MailOutcome
    from steward.mailbox.models import InboundMessage
    from steward.mailbox.operations import create_mailbox, intake
    from steward.notifications.models import OutboundEmail
    from steward.people import operations as people_ops
    from steward.people.choices import Role

    started = time.perf_counter()
    s = Sql(connection.vendor)
    now = int(timezone.now().timestamp())
    m = max(1, n // PER_INCIDENT)  # incidents
    with transaction.atomic():
        admin = people_ops.create_user(None, username="bench-admin", roles=[Role.ADMIN])
        orgs = people_ops.bulk_create_organizations(
            admin, [{"name": f"Org {i}", "code": f"org-{i}"} for i in range(ORGS)]
        )
        callers = people_ops.bulk_create_users(
            admin,
            [
                {
                    "username": f"caller{i}",
                    "email": f"caller{i}@bank.test",
                    "first_name": "Caller",
                    "last_name": str(i),
                    "organization": orgs[i % ORGS],
                }
                for i in range(CALLERS)
            ],
            roles=[Role.REQUESTER],
        )
        agents = people_ops.bulk_create_users(
            admin,
            [{"username": f"agent{i}", "email": f"agent{i}@desk.test"} for i in range(AGENTS)],
        )
        (group,) = people_ops.bulk_create_groups(
            admin, [{"name": "Service desk", "manager": agents[0]}], {"Service desk": agents}
        )
        mailbox = create_mailbox(admin, name="desk", address=DESK, default_group=group)
    org0, caller0, agent0 = _contiguous(orgs), _contiguous(callers), _contiguous(agents)

    # the templates, through the real code: a message opens an incident, an agent takes it and
    # answers the caller (an e-mail that knows its record), the caller replies by mail
    first = intake.ingest(
        mailbox, mail("Caller 0 <caller0@bank.test>", "VPN drops", NEW_BODY, "<t-1@bank.test>")
    )
    assert first.outcome == MailOutcome.NEW_TICKET, (first.status, first.reason)
    incident = Incident.objects.get(pk=int(first.record_id))
    incident_ops.assign(agents[1], incident, agents[1])
    incident_ops.add_comment(
        agents[1], incident, body="Could you send the log?", visibility=Visibility.PUBLIC
    )
    told = OutboundEmail.objects.filter(recipient=callers[0]).latest("id")
    assert told.record_label == incident.number
    reply = intake.ingest(
        mailbox,
        mail(
            "Caller 0 <caller0@bank.test>",
            "Re: something the client rewrote",
            REPLY_BODY,
            "<t-2@bank.test>",
            [f"In-Reply-To: {told.message_id}", f"References: {told.message_id}"],
        ),
    )
    assert reply.outcome == MailOutcome.REPLY, (reply.status, reply.reason)
    log(f"  people, the mailbox and the templates ({time.perf_counter() - started:.1f} s)")

    inc_base = Incident.objects.order_by("-id").values_list("id", flat=True).first()
    out_base = OutboundEmail.objects.order_by("-id").values_list("id", flat=True).first()
    in_base = InboundMessage.objects.order_by("-id").values_list("id", flat=True).first()
    number0 = next_values("INC", m)[0]
    pad = (
        (lambda v: f"'INC' || lpad(CAST({v} AS text), 7, '0')")
        if s.pg
        else (lambda v: f"printf('INC%07d', {v})")
    )
    hexed = (
        (lambda v: f"lpad(to_hex({v}), 64, '0')") if s.pg else (lambda v: f"printf('%064x', {v})")
    )
    # incident j (1..m): raised j * SPAN / m ago; 1 in 5 still in progress
    caller = f"({caller0} + (k % {CALLERS}))"
    raised = f"({now} - (k * {SPAN} / {m}) - 3600)"
    closed = f"{raised} + 3 * 86400"
    open_ = "(k % 5 = 0)"
    with transaction.atomic(), connection.cursor() as cursor:
        t0 = time.perf_counter()
        _clone(
            cursor,
            s,
            Incident,
            incident.pk,
            m,
            {
                "id": f"{inc_base} + k",
                "number": pad(f"{number0 - 1} + k"),
                "title": f"'VPN drops ' || {s.text('k')}",
                "caller_id": caller,
                "organization_id": f"({org0} + ((k % {CALLERS}) % {ORGS}))",
                "assignee_id": f"({agent0} + (k % {AGENTS}))",
                "status": f"CASE WHEN {open_} THEN 'in_progress' ELSE 'closed' END",
                "resolution_code": f"CASE WHEN {open_} THEN '' ELSE 'solved' END",
                "resolution_notes": f"CASE WHEN {open_} THEN '' ELSE 'fixed' END",
                "created_at": s.at(raised),
                "updated_at": s.at(f"CASE WHEN {open_} THEN {raised} ELSE {closed} END"),
                "resolved_at": f"CASE WHEN {open_} THEN NULL ELSE {s.at(f'{raised} + 86400')} END",
                "closed_at": f"CASE WHEN {open_} THEN NULL ELSE {s.at(closed)} END",
            },
        )
    log(f"  {m} incidents ({time.perf_counter() - t0:.1f} s)")
    # e-mail k (1..n) is about incident j = 1 + (k - 1) % m, sent (k - 1) / m hours after it
    # was raised; received message k answers the same incident (every 5th opened one)
    j = f"(1 + (k - 1) % {m})"
    at = s.at(f"({now} - ({j} * {SPAN} / {m}) - 3600 + ((k - 1) / {m}) * 3600)")
    record = {
        "record_type": "'incidents.incident'",
        "record_id": s.text(f"{inc_base} + {j}"),
        "record_label": pad(f"{number0 - 1} + {j}"),
    }
    address = f"'caller' || {s.text(f'({j} % {CALLERS})')} || '@bank.test'"
    for model, template, base, replace in (
        (
            OutboundEmail,
            told.pk,
            out_base,
            {
                "message_id": f"'<out-' || {s.text('k')} || '@steward.test>'",
                "to_address": address,
                "recipient_id": f"({caller0} + ({j} % {CALLERS}))",
                "subject": f"'Reply on ' || {record['record_label']} || ': VPN drops'",
                "status": "'sent'",
                "attempts": "1",
                "next_attempt_at": at,
                "claimed_until": "NULL",
                "sent_at": at,
                "created_at": at,
                **record,
            },
        ),
        (
            InboundMessage,
            reply.pk,
            in_base,
            {
                "message_id": f"'<in-' || {s.text('k')} || '@load.bank.test>'",
                "sha256": hexed("k"),
                "raw_path": f"'mail/desk/load/' || {s.text('k')} || '.eml'",
                "received_at": at,
                "processed_at": at,
                "from_address": address,
                "subject": f"'Re: [' || {record['record_label']} || '] VPN drops'",
                "outcome": f"CASE WHEN k <= {m} THEN 'new_ticket' ELSE 'reply' END",
                **record,
            },
        ),
    ):
        t0 = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            if s.pg:  # as a restore does: rows consistent by construction, no per-row FK check
                cursor.execute("SET LOCAL session_replication_role = replica")
            _clone(cursor, s, model, template, n, {"id": f"{base} + k", **replace})
        log(f"  {n} {model._meta.verbose_name_plural} ({time.perf_counter() - t0:.1f} s)")
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_commit (id integer)")
        if s.pg:
            tables = ("incidents_incident", "notifications_outboundemail", "mailbox_inboundmessage")
            for table in tables:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))"
                )
                cursor.execute(f"VACUUM ANALYZE {table}")
        else:
            cursor.execute("ANALYZE")
    log(f"  {'VACUUM ANALYZE' if s.pg else 'ANALYZE'} ({time.perf_counter() - t0:.1f} s)")
    log(f"  loaded in {time.perf_counter() - started:.1f} s")


# --- the paths and their floors ---------------------------------------------------------------


class Recorder:
    """Every statement Django sends, with its parameters (an execute wrapper)."""

    def __init__(self):
        self.calls: list[tuple[str, object, bool]] = []

    def __call__(self, execute, sql, params, many, context):
        self.calls.append((sql, params, many))
        return execute(sql, params, many, context)


def _record(do) -> tuple[list, object]:
    """The statements ``do`` runs, run in a transaction that is rolled back (so the rows it
    writes, with their unique Message-IDs, are free for the floor's replays)."""
    from django.db import connection, transaction

    recorder = Recorder()
    with transaction.atomic(), connection.execute_wrapper(recorder):
        answer = do()
        transaction.set_rollback(True)
    calls = [c for c in recorder.calls if not c[0].lstrip().upper().startswith(CONTROL)]
    # what the rolled-back run took must stay free for the replays: its incident number, and
    # on SQLite (which hands a rolled-back id out again) its rows' ids; PostgreSQL's sequences
    # never hand a value out twice
    from steward.core.numbering import next_values

    with transaction.atomic():
        next_values("INC", 1)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("UPDATE sqlite_sequence SET seq = seq + 1000")
    return calls, answer


def _replay(calls, commits: int) -> tuple[float, float]:
    """The recorded statements through the driver's own cursor in one transaction rolled back,
    then ``commits`` one-row commits; the seconds of each part."""
    from django.db import connection, transaction

    sqlite = connection.vendor == "sqlite"
    started = time.perf_counter()
    # a path that committed nothing (the duplicate: one SELECT) ran in autocommit: so does its
    # floor, without a BEGIN and ROLLBACK the path never sent
    with transaction.atomic() if commits else contextlib.nullcontext():
        cursor = connection.connection.cursor()
        for sql, params, many in calls:
            if sqlite:
                sql = re.sub(r"(?<!%)%s", "?", sql).replace("%%", "%")
            if many:
                cursor.executemany(sql, params)
            else:
                cursor.execute(sql, params or ())
            if cursor.description:
                cursor.fetchall()
        if commits:
            transaction.set_rollback(True)
    statements = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(commits):
        with transaction.atomic():
            connection.connection.cursor().execute("INSERT INTO bench_commit VALUES (1)")
    return statements, time.perf_counter() - started


def _phases(ingest, make, runs: int) -> str:
    """Where the path's time goes: the mean milliseconds per message spent in each named step
    (the steps nest: the file is written inside "receive"), timed by wrapping them."""
    from django.core.files.storage import default_storage
    from django.db import connection

    from steward.incidents import operations as incident_ops
    from steward.mailbox import parsing, threads
    from steward.mailbox.operations import intake
    from steward.notifications import jobs

    steps = [
        ("receive (header, lookup, .eml, INSERT, commit)", intake, "receive"),
        ("  .eml file written", default_storage, "save"),
        ("parse the message", parsing, "parse"),
        ("thread_of (headers, subject)", threads, "thread_of"),
        ("add_comment (incidents)", incident_ops, "add_comment"),
        ("open_incident (incidents)", incident_ops, "open_incident"),
        ("mark the message processed", intake, "_mark"),
        ("commits", connection, "commit"),
        ("  delivery task enqueued (on commit)", jobs, "deliver_emails"),
    ]
    spent = dict.fromkeys((label for label, _o, _a in steps), 0.0)
    saved = []
    for label, owner, attr in steps:
        real = getattr(owner, attr)
        saved.append((owner, attr, real, attr in vars(owner)))

        def timed(*args, _real=real, _label=label, **kwargs):
            started = time.perf_counter()
            try:
                return _real(*args, **kwargs)
            finally:
                spent[_label] += time.perf_counter() - started

        setattr(owner, attr, timed)
    total = 0.0
    try:
        for _ in range(runs):
            raw, _expected = make()
            started = time.perf_counter()
            ingest(raw)
            total += time.perf_counter() - started
    finally:
        for owner, attr, real, own in saved:
            if own:
                setattr(owner, attr, real)
            else:
                delattr(owner, attr)
    lines = [f"    {'whole path':48s} {total * 1000 / runs:6.2f} ms"]
    lines += [f"    {k:48s} {v * 1000 / runs:6.2f} ms" for k, v in spent.items() if v]
    return "\n".join(lines)


def _count_commits(do) -> tuple[int, object]:
    from django.db import connection

    real, counted = connection.commit, []

    def commit():
        counted.append(1)
        real()

    connection.commit = commit
    try:
        answer = do()
    finally:
        del connection.commit
    return len(counted), answer


class Messages:
    """Raw messages for each path, built before the timed run (a fresh Message-ID each)."""

    def __init__(self, n: int):
        from steward.mailbox.models import InboundMessage, Mailbox
        from steward.notifications.models import OutboundEmail

        self.n, self.m = n, max(1, n // PER_INCIDENT)
        self.mailbox = Mailbox.objects.get(name="desk")
        self.rng = random.Random(21)
        self.serial = 0
        self.received: list[bytes] = []  # what was ingested, for the duplicates
        self._outbound = OutboundEmail.objects
        self._inbound = InboundMessage.objects

    def _id(self, tag: str) -> str:
        self.serial += 1
        return f"<{tag}-{time.time_ns()}-{self.serial}@bank.test>"

    def _open_incident(self):
        """A random old e-mail about an incident still in progress, and that incident."""
        from steward.incidents.models import Incident

        while True:
            j = PER_INCIDENT * self.rng.randint(1, self.m // PER_INCIDENT)
            k = j + self.m * self.rng.randrange(max(1, self.n // self.m))
            sent = self._outbound.filter(message_id=f"<out-{k}@steward.test>").first()
            if sent is None:
                continue
            incident = Incident.objects.select_related("caller").get(pk=int(sent.record_id))
            if incident.active:
                return sent, incident

    def reply_headers(self):
        sent, incident = self._open_incident()
        raw = mail(
            f"{incident.caller.display_name} <{incident.caller.email}>",
            "Re: your message",  # clients rewrite subjects: the headers decide
            REPLY_BODY,
            self._id("re"),
            [f"In-Reply-To: {sent.message_id}", f"References: {sent.message_id}"],
        )
        return raw, ("reply", incident.number)

    def reply_subject(self):
        _sent, incident = self._open_incident()
        raw = mail(
            f"{incident.caller.email}",
            f"RE: [{incident.number}] {incident.title}",
            REPLY_BODY,
            self._id("tok"),
        )
        return raw, ("reply", incident.number)

    def duplicate(self):
        raw = self.received[self.rng.randrange(len(self.received))]
        return raw, ("duplicate", None)

    def new_message(self):
        i = self.rng.randrange(CALLERS)
        raw = mail(
            f"Caller {i} <caller{i}@bank.test>",
            f"Printer on floor {i % 12} jams",
            NEW_BODY,
            self._id("new"),
        )
        return raw, ("new_ticket", None)


def _last_row() -> int:
    from steward.mailbox.models import InboundMessage

    return InboundMessage.objects.order_by("-id").values_list("id", flat=True).first()


def _check(row, expected, rows_before: int | None) -> None:
    outcome, label = expected
    if outcome == "duplicate":
        assert _last_row() == rows_before, "a duplicate was kept twice"
        return
    assert row.outcome == outcome, (row.status, row.outcome, row.reason)
    if label is not None:
        assert row.record_label == label, (row.record_label, label)


def measure(n: int, runs: int, profile: str | None, phases: bool) -> None:
    from django.db import connection

    from steward.mailbox.models import InboundMessage
    from steward.mailbox.operations import intake

    messages = Messages(n)
    mailbox = messages.mailbox

    def ingest(raw: bytes):
        return intake.ingest(mailbox, raw, source="pipe")

    # a few messages received for real, for the duplicate path to receive again
    for _ in range(5):
        raw, _expected = messages.reply_headers()
        ingest(raw)
        messages.received.append(raw)
    results = []
    for name in PATHS:
        make = getattr(messages, name)
        raw, _expected = make()
        calls, _row = _record(lambda raw=raw: ingest(raw))
        raw, _expected = make()
        commits, row = _count_commits(lambda raw=raw: ingest(raw))
        if name != "duplicate":
            messages.received.append(raw)
        for _ in range(2):  # warm-ups
            raw, _expected = make()
            ingest(raw)
            _replay(calls, commits)
        timed, floor, floor_c = [], [], []
        for run in range(runs):
            raw, expected = make()
            before = _last_row() if name == "duplicate" else None
            for which in ("path", "floor") if run % 2 == 0 else ("floor", "path"):
                if which == "path":
                    started = time.perf_counter()
                    row = ingest(raw)
                    timed.append((time.perf_counter() - started) * 1000)
                    _check(row, expected, before)
                    if name in ("reply_headers", "new_message"):
                        messages.received.append(raw)
                else:
                    statements, committing = _replay(calls, commits)
                    floor.append(statements * 1000)
                    floor_c.append((statements + committing) * 1000)
        p50, p95 = quantiles(timed)
        f50, f95 = quantiles(floor)
        c50, c95 = quantiles(floor_c)
        line = (
            f"{name:14s} {len(calls):3d} statements {commits} commits"
            f"  path p50 {p50:6.1f} ms p95 {p95:6.1f} ms"
            f"  | floor p50 {f50:6.1f} p95 {f95:6.1f}  | + commits p50 {c50:6.1f} p95 {c95:6.1f}"
            f"  | p95 ratio {p95 / f95:5.2f} ({p95 / c95:4.2f} with commits)"
            f"  | {'found: ' if name == 'duplicate' else ''}{row.outcome or row.status}"
            f" {row.record_label}  | load {load_average()}"
        )
        print(line, flush=True)
        results.append(line)
        if phases:
            print(_phases(ingest, make, runs), flush=True)
        if profile == name:
            profiler = cProfile.Profile()
            for _ in range(runs):
                raw, _expected = make()
                profiler.runcall(ingest, raw)
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(r"steward/|email/|nh3|huey|storage", 40)
            stats.sort_stats("tottime").print_stats(20)
            for sql, _params, _many in calls:
                print("   ", sql[:160])
    print(f"database: {connection.vendor}, {InboundMessage.objects.count()} received messages")


def main() -> None:
    args = parse_args()
    setup_environment(args.database, SQLITE_DIR / f"mail-{args.messages}.sqlite3", args.reload)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if not loaded(args.messages):
        print(f"loading {args.messages} outbound and received messages ...", flush=True)
        load(args.messages)
    measure(args.messages, args.runs, args.profile, args.phases)


if __name__ == "__main__":
    main()
