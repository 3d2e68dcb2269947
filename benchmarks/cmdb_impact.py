"""CMDB impact analysis at scale: N CIs and 3N typed relationships, then the p50/p95 of a full
impact analysis (services with owners, customers and explaining paths) beside the p50/p95 of
the same recursive SQL statement run raw through the driver (psycopg or sqlite3), in the same
run on the same database. Target: the analysis within 2x of the raw statement.

    python benchmarks/cmdb_impact.py --cis 100000                       # SQLite
    python benchmarks/cmdb_impact.py --cis 100000 \\
        --database postgresql://postgres@127.0.0.1:5432/steward_bench_cmdb

The database is created afresh (a PostgreSQL database is dropped first).
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cis", type=int, default=100_000)
    p.add_argument("--samples", type=int, default=200, help="CIs analysed")
    p.add_argument("--database", default="", help="PostgreSQL URL (default: SQLite in a temp dir)")
    return p.parse_args()


def setup(args) -> str:
    data = Path(tempfile.mkdtemp(prefix="steward-cmdb-"))
    url = args.database or f"sqlite:///{data / 'cmdb.sqlite3'}"
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
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    return url


def seed(n: int) -> list[int]:
    """A layered estate: sites, hosts, VMs, databases, applications; each CI depends on or runs
    on about three below it, with some cycles (connected_to) and parts."""
    from django.core.management import call_command
    from django.db import transaction

    from steward.people import operations as people_ops
    from steward.services import operations as cmdb
    from steward.services import operations as service_ops
    from steward.services.models import CIRelationship, ConfigurationItem, ServiceCI

    call_command("migrate", verbosity=0)
    rng = random.Random(5)
    owner = people_ops.create_user(None, username="cmdb-owner", roles=["agent"])
    services = service_ops.bulk_create_services(
        None, [{"name": f"Service {i}", "owner": owner} for i in range(500)], {}
    )
    cls = cmdb.create_ci_class(None, name="Component")
    started = time.perf_counter()
    with transaction.atomic():
        cis = cmdb.bulk_cis(
            None, [ConfigurationItem(name=f"ci{i}", ci_class=cls) for i in range(n)]
        )
    ids = [c.pk for c in cis]
    layers = 5
    per = n // layers
    rels, seen = [], set()
    for i in range(n):
        layer = min(i // per, layers - 1)
        for _ in range(3):
            if layer == 0:  # sites: connected to each other
                j, kind = rng.randrange(per), "connected_to"
            else:
                j = rng.randrange((layer - 1) * per, layer * per)
                kind = rng.choice(["depends_on", "depends_on", "runs_on", "part_of"])
            if j != i and (i, j, kind) not in seen:
                seen.add((i, j, kind))
                rels.append(CIRelationship(source_id=ids[i], target_id=ids[j], type=kind))
    with transaction.atomic():
        cmdb.bulk_relationships(None, rels)
    top = ids[(layers - 1) * per :]
    with transaction.atomic():
        cmdb.bulk_service_links(
            None, [ServiceCI(service=s, ci_id=ci) for s in services for ci in rng.sample(top, 4)]
        )
    print(
        f"seeded {n:,} CIs, {len(rels):,} relationships, {len(services) * 4:,} service links "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return ids


def quantiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.95)] * 1000


def main() -> None:
    args = parse_args()
    url = setup(args)
    import django

    django.setup()
    from steward.services.impact import analyse, impact_sql
    from steward.services.models import ConfigurationItem

    ids = seed(args.cis)
    rng = random.Random(11)
    sample = rng.sample(ids[: len(ids) // 5], args.samples)  # sites: the widest impact
    sample += rng.sample(ids, args.samples)
    sql = impact_sql()
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"))
        raw_sql = sql.replace("%s", "?")
    else:
        import psycopg

        conn = psycopg.connect(url)
        raw_sql = sql
    raw, full, reached = [], [], []
    for ci_id in sample:
        t0 = time.perf_counter()
        cur = conn.cursor()
        cur.execute(raw_sql, [ci_id])
        rows = cur.fetchall()
        raw.append(time.perf_counter() - t0)
        ci = ConfigurationItem.objects.get(pk=ci_id)
        t0 = time.perf_counter()
        result = analyse(ci)
        full.append(time.perf_counter() - t0)
        reached.append(len(rows))
        assert isinstance(result, dict)
    r50, r95 = quantiles(raw)
    f50, f95 = quantiles(full)
    engine = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    print(
        f"{engine}: {len(sample)} analyses (half from the widest layer); rows per statement: "
        f"median {statistics.median(reached):,.0f}, max {max(reached):,}"
    )
    print(f"raw recursive statement (driver): p50 {r50:8.1f} ms  p95 {r95:8.1f} ms")
    print(f"impact analysis (Steward):        p50 {f50:8.1f} ms  p95 {f95:8.1f} ms")
    print(f"p95 ratio {f95 / r95:.2f}x   target <= 2x  {'OK' if f95 <= 2 * r95 else 'MISSED'}")


if __name__ == "__main__":
    main()
