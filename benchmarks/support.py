"""What the benchmarks built on one kept database share: the environment a run sets up (its
own SQLite file or PostgreSQL database, created when missing, dropped with ``--reload``), the
p50/p95 of a list of timings, and the machine's load average printed beside each figure."""

from __future__ import annotations

import os
import statistics
from pathlib import Path
from urllib.parse import urlparse


def setup_environment(database: str, sqlite_file: Path, reload: bool) -> str:
    """Point Django at ``database`` (a PostgreSQL URL) or else at ``sqlite_file``; create the
    PostgreSQL database when it is missing, and drop it (or delete the file) first when
    ``reload``. Returns the URL."""
    sqlite_file.parent.mkdir(exist_ok=True)
    url = database or f"sqlite:///{sqlite_file}"
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "steward.settings",
            "DATABASE_URL": url,
            "STEWARD_DATA_DIR": str(sqlite_file.parent),
            "STEWARD_SECRET_KEY": "benchmark-only-secret-key",
            "STEWARD_DEBUG": "false",
            "STEWARD_ALLOWED_HOSTS": "127.0.0.1,testserver",
            "STEWARD_LOG_LEVEL": "WARNING",
        }
    )
    if url.startswith("postgres"):
        import psycopg

        parsed = urlparse(url)
        name = parsed.path[1:]
        admin = url.replace(parsed.path, "/postgres")
        with psycopg.connect(admin, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if exists and reload:
                conn.execute(f'DROP DATABASE "{name}"')
                exists = None
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
    elif reload:
        Path(urlparse(url).path).unlink(missing_ok=True)
    return url


def quantiles(values: list[float]) -> tuple[float, float]:
    """The median and the 95th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())
