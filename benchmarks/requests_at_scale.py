"""The requests practice's hot paths at scale, each beside its floor measured in the same run.
Target: each path's p95 within 2x of its floor's p95.

The paths (in-process, through the code the pages and the API call):

- **my requests** (``lists.items_filtered`` with ``mine``, page 1 of 25 and its count): what a
  requester's portal home and "My requests" show, and ``GET /api/v1/requests``'s items.
- **group queue** (``lists.items_filtered`` of the "My groups" queue, page 1 and its count, with
  ``lists.item_queue_counts``): the fulfilment group's list page and API list.
- **awaiting my approval** (``approvals.queries.awaiting``, page 1 and its count): the
  approver's list in the portal, the agent UI and ``GET /api/v1/approvals``.

Floor: the statements the path ran, recorded from the path itself and replayed raw through the
driver on the same connection (what the database must do for the page, with none of
Steward's Python). The order of path and floor alternates between runs.

    python benchmarks/requests_at_scale.py --items 100000                                # SQLite
    python benchmarks/requests_at_scale.py --items 1000000 \\
        --database postgresql://postgres@127.0.0.1:5432/steward_reqbench  # PostgreSQL

The load, set-based and deterministic: 20 organizations, 2,000 requesters (a line manager for
every 40 of them), 20 fulfilment groups of 10 agents, 50 catalog items; one real order made
through ``operations.order`` as the template, then N requests of one requested item each
cloned from it in SQL over 365 days (15 % still open: awaiting approval, approved or in
progress; the rest fulfilled or closed), and a pending approval step, asked of the
requester's line manager, for every item awaiting approval. Kept between runs
(``--reload`` loads again).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.support import load_average, quantiles, setup_environment  # noqa: E402

SQLITE_DIR = Path(tempfile.gettempdir()) / "steward-reqbench"
PATHS = ("my_requests", "group_queue", "awaiting")
ORGS, REQUESTERS, PER_MANAGER, GROUPS, AGENTS, ITEMS = 20, 2000, 40, 20, 10, 50
DAY = 86_400


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--items", type=int, default=100_000)
    p.add_argument("--database", default="", help="PostgreSQL URL (default: a SQLite file)")
    p.add_argument("--runs", type=int, default=20, help="timed runs per path (after 2 warm-ups)")
    p.add_argument("--reload", action="store_true", help="drop the database and load again")
    return p.parse_args()


# --- the load -----------------------------------------------------------------------------------


def loaded(n: int) -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM fulfilment_requesteditem")
        return cursor.fetchone()[0] == n + 1


def _columns(model) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if not f.generated]


def _clone(cursor, s, model, template_id: int, n: int, replace: dict[str, str]) -> None:
    """INSERT n copies of row ``template_id`` of ``model``, with ``replace``'s expressions
    (over ``k`` = 1..n) for some columns."""
    table = model._meta.db_table
    cols = _columns(model)
    select = ", ".join(replace.get(c, f"t.{c}") for c in cols)
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(cols)}) SELECT {select} "
        f"FROM {table} AS t, {s.series(n)} WHERE t.id = {template_id}"
    )


def load(n: int, log=print) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from benchmarks.incident_history import Sql
    from steward.approvals.models import ApprovalRequest, Approver
    from steward.core.numbering import next_values
    from steward.fulfilment import operations as ops
    from steward.fulfilment.models import Request, RequestedItem
    from steward.people import operations as people_ops
    from steward.people.choices import Role
    from steward.services import operations as service_ops

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    s = Sql(connection.vendor)
    now = int(timezone.now().timestamp())
    with transaction.atomic():
        admin = people_ops.create_user(None, username="bench-admin", roles=[Role.ADMIN])
        orgs = people_ops.bulk_create_organizations(
            admin, [{"name": f"Org {i}", "code": f"org-{i}"} for i in range(ORGS)]
        )
        managers = people_ops.bulk_create_users(
            admin,
            [
                {"username": f"manager{i}", "organization": orgs[i % ORGS]}
                for i in range(REQUESTERS // PER_MANAGER)
            ],
            roles=[Role.REQUESTER],
        )
        requesters = people_ops.bulk_create_users(
            admin,
            [
                {
                    "username": f"req{i}",
                    "organization": orgs[i % ORGS],
                    "line_manager": managers[i // PER_MANAGER],
                }
                for i in range(REQUESTERS)
            ],
            roles=[Role.REQUESTER],
        )
        agents = people_ops.bulk_create_users(
            admin, [{"username": f"agent{i}"} for i in range(GROUPS * AGENTS)]
        )
        groups = people_ops.bulk_create_groups(
            admin,
            [{"name": f"Fulfilment {g}"} for g in range(GROUPS)],
            {f"Fulfilment {g}": agents[g * AGENTS : (g + 1) * AGENTS] for g in range(GROUPS)},
        )
        owner = people_ops.create_user(None, username="bench-owner", roles=[Role.SERVICE_OWNER])
        service = service_ops.create_service(admin, name="Workplace", owner=owner, status="live")
        category = ops.create_category(admin, name="Hardware")
        catalog = [
            ops.create_catalog_item(
                admin,
                name=f"Item {i}",
                service=service,
                category=category,
                fulfilment_group=groups[i % GROUPS],
                task_templates=[{"name": "Deliver", "group": groups[i % GROUPS].pk, "stage": 1}],
                approval_flow=[{"name": "Line manager", "approver": "line_manager", "mode": "any"}],
            )
            for i in range(ITEMS)
        ]
        template = ops.order(requesters[0], items=[{"catalog_item": catalog[0], "answers": {}}])
        item = template.items.get()
    log(f"  people, groups, catalog and the template order ({time.perf_counter() - started:.1f} s)")

    req_base = Request.objects.order_by("-id").values_list("id", flat=True).first()
    item_base = RequestedItem.objects.order_by("-id").values_list("id", flat=True).first()
    req_number0 = next_values("REQ", n)[0]
    item_number0 = next_values("RITM", n)[0]
    u0, o0, g0, c0 = requesters[0].pk, orgs[0].pk, groups[0].pk, catalog[0].pk
    user = f"({u0} + (k % {REQUESTERS}))"
    org = f"({o0} + ((k % {REQUESTERS}) % {ORGS}))"
    created = s.at(f"{now} - (k * 31536000 / {n}) - 3600")
    # k % 100 < 15: still open (5 awaiting approval, 5 approved, 5 in progress)
    open_ = "(k % 100 < 15)"
    status = (
        "CASE WHEN k % 100 < 5 THEN 'awaiting_approval' WHEN k % 100 < 10 THEN 'approved' "
        "WHEN k % 100 < 15 THEN 'in_progress' WHEN k % 100 < 60 THEN 'closed' ELSE 'fulfilled' END"
    )
    pad = (
        (lambda p, v: f"'{p}' || lpad(CAST({v} AS text), 7, '0')")
        if s.pg
        else (lambda p, v: f"printf('{p}%07d', {v})")
    )
    with transaction.atomic(), connection.cursor() as cursor:
        _clone(
            cursor,
            s,
            Request,
            template.pk,
            n,
            {
                "id": f"{req_base} + k",
                "number": pad("REQ", f"{req_number0 - 1} + k"),
                "requested_for_id": user,
                "opened_by_id": user,
                "organization_id": org,
                "status": f"CASE WHEN {open_} THEN 'open' ELSE 'closed' END",
                "created_at": created,
                "updated_at": created,
                "closed_at": f"CASE WHEN {open_} THEN NULL ELSE {created} END",
            },
        )
        log(f"  {n} requests ({time.perf_counter() - started:.1f} s)")
        _clone(
            cursor,
            s,
            RequestedItem,
            item.pk,
            n,
            {
                "id": f"{item_base} + k",
                "number": pad("RITM", f"{item_number0 - 1} + k"),
                "request_id": f"{req_base} + k",
                "catalog_item_id": f"({c0} + (k % {ITEMS}))",
                "owning_group_id": f"({g0} + ((k % {ITEMS}) % {GROUPS}))",
                "requested_for_id": user,
                "opened_by_id": user,
                "organization_id": org,
                "status": status,
                "created_at": created,
                "updated_at": created,
                "due_at": s.at(f"{now} - (k * 31536000 / {n}) + 3 * 86400"),
            },
        )
        log(f"  {n} requested items ({time.perf_counter() - started:.1f} s)")
        # a pending step for every item awaiting approval, asked of the requester's manager
        m0 = managers[0].pk
        manager = f"({m0} + ((k % {REQUESTERS}) / {PER_MANAGER}))"
        step = ApprovalRequest.objects.filter(subject_type="fulfilment.requesteditem").first()
        if step is not None:
            base = ApprovalRequest.objects.order_by("-id").values_list("id", flat=True).first()
            waiting = f"(SELECT k FROM {s.series(n)} WHERE k % 100 < 5) AS w"
            cols = _columns(ApprovalRequest)
            select = ", ".join(
                {
                    "id": f"{base} + w.k",
                    "subject_id": f"{item_base} + w.k",
                    "subject_label": pad("RITM", f"{item_number0 - 1} + w.k"),
                    "requested_at": s.at(f"{now} - (w.k * 31536000 / {n})"),
                    "state": "'pending'",
                }.get(c, f"t.{c}")
                for c in cols
            )
            cursor.execute(
                f"INSERT INTO approvals_approvalrequest ({', '.join(cols)}) SELECT {select} "
                f"FROM approvals_approvalrequest AS t, {waiting} WHERE t.id = {step.pk}"
            )
            approver = Approver.objects.filter(request=step).first()
            acols = _columns(Approver)
            aselect = ", ".join(
                {
                    "id": f"{Approver.objects.order_by('-id').values_list('id', flat=True)[0]}"
                    " + w.k",
                    "request_id": f"{base} + w.k",
                    "user_id": manager.replace("k", "w.k"),
                    "decision": "'pending'",
                }.get(c, f"t.{c}")
                for c in acols
            )
            cursor.execute(
                f"INSERT INTO approvals_approver ({', '.join(acols)}) SELECT {aselect} "
                f"FROM approvals_approver AS t, {waiting} WHERE t.id = {approver.pk}"
            )
        log(f"  approvals ({time.perf_counter() - started:.1f} s)")
    with connection.cursor() as cursor:
        if s.pg:
            for table in ("fulfilment_request", "fulfilment_requesteditem",
                          "approvals_approvalrequest", "approvals_approver"):  # fmt: skip
                cursor.execute(f"VACUUM ANALYZE {table}")
            for table, column in (
                ("fulfilment_request", "id"),
                ("fulfilment_requesteditem", "id"),
                ("approvals_approvalrequest", "id"),
                ("approvals_approver", "id"),
            ):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                    f"(SELECT MAX({column}) FROM {table}))"
                )
        else:
            cursor.execute("ANALYZE")
    log(f"  loaded in {time.perf_counter() - started:.1f} s")


# --- the paths and their floors ---------------------------------------------------------------


def _paths():
    from steward.approvals import queries as approvals
    from steward.fulfilment import lists
    from steward.people.models import User

    requester = User.objects.get(username="req7")
    manager = requester.line_manager
    agent = User.objects.get(username="agent3")

    def my_requests():
        qs = lists.items_filtered(requester, SimpleNamespace(mine=True, status="any"))
        return [i.pk for i in qs[:25]], qs.count()

    def group_queue():
        qs = lists.items_filtered(agent, SimpleNamespace(queue="my_groups"))
        return [i.pk for i in qs[:25]], qs.count(), lists.item_queue_counts(agent)

    def awaiting():
        qs = approvals.awaiting(manager)
        return [a.pk for a in qs[:25]], qs.count()

    return {"my_requests": my_requests, "group_queue": group_queue, "awaiting": awaiting}


def _recorded(path) -> tuple[list[str], object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        answer = path()
    return [q["sql"] for q in captured.captured_queries], answer


def _replay(statements: list[str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
            cursor.fetchall()


def measure(runs: int) -> None:
    from django.db import connection

    for name, path in _paths().items():
        statements, answer = _recorded(path)
        for _ in range(2):
            path()
            _replay(statements)
        timed, floor = [], []
        for run in range(runs):
            order = (path, lambda statements=statements: _replay(statements))
            for which in order if run % 2 == 0 else reversed(order):
                started = time.perf_counter()
                which()
                elapsed = (time.perf_counter() - started) * 1000
                (timed if which is path else floor).append(elapsed)
        p50, p95 = quantiles(timed)
        f50, f95 = quantiles(floor)
        print(
            f"{name:12s} {len(statements)} statements  path p50 {p50:6.1f} ms p95 {p95:6.1f} ms"
            f"  | floor p50 {f50:6.1f} ms p95 {f95:6.1f} ms  | p95 ratio {p95 / f95:4.2f}"
            f"  | answer {str(answer)[:60]}  | load {load_average()}"
        )
    print(f"database: {connection.vendor}")


def main() -> None:
    args = parse_args()
    setup_environment(args.database, SQLITE_DIR / f"requests-{args.items}.sqlite3", args.reload)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if not loaded(args.items):
        print(f"loading {args.items} requested items ...")
        load(args.items)
    measure(args.runs)


if __name__ == "__main__":
    main()
