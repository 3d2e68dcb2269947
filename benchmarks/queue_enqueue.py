"""The embedded queue: what one enqueue costs with Huey's default ``synchronous=FULL`` (a disk
flush per task) against Steward's ``synchronous=NORMAL`` (core/queue_storage.py), beside the
floor (an INSERT into an in-memory SQLite table with the same payload).

    .venv/bin/python benchmarks/queue_enqueue.py [N]
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from huey.storage import SqliteStorage

from steward.core.queue_storage import NormalSyncSqliteStorage

PAYLOAD = b"x" * 300  # about the size of a pickled deliver_emails task


def per_enqueue_ms(storage, n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        storage.enqueue(PAYLOAD)
    return (time.perf_counter() - start) / n * 1000


def floor_ms(n: int) -> float:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("CREATE TABLE task (id INTEGER PRIMARY KEY, queue TEXT, data BLOB, priority REAL)")
    start = time.perf_counter()
    for _ in range(n):
        conn.execute("INSERT INTO task (queue, data, priority) VALUES (?, ?, ?)", ("q", PAYLOAD, 0))
    return (time.perf_counter() - start) / n * 1000


def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        full = per_enqueue_ms(SqliteStorage("full", filename=os.path.join(tmp, "full.db")), n)
        normal = per_enqueue_ms(
            NormalSyncSqliteStorage("normal", filename=os.path.join(tmp, "normal.db")), n
        )
    floor = floor_ms(n)
    print(f"enqueues: {n} each, payload {len(PAYLOAD)} bytes")
    print(f"synchronous=FULL   (Huey's default): {full:8.3f} ms per enqueue")
    print(
        f"synchronous=NORMAL (Steward's):      {normal:8.3f} ms per enqueue"
        f" = {full / normal:.0f}x less"
    )
    print(f"floor (in-memory INSERT):            {floor:8.3f} ms per enqueue")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
