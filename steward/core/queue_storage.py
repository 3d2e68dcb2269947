"""The embedded queue's storage: Huey's SQLite storage with ``synchronous=NORMAL``.

Huey's SQLite storage runs in WAL mode with SQLite's default ``synchronous=FULL``, which
flushes the disk on every enqueue (3.5 ms per task on the reference machine, against 0.05 ms
with ``NORMAL``: ``benchmarks/RESULTS.md``). With ``NORMAL`` in WAL mode a crash of Steward
loses nothing and the file stays consistent; a power cut may lose the last enqueued tasks.
Nothing is lost with them: the only tasks enqueued are e-mail deliveries, and the outbox rows
they deliver live in the main database, where the minute's periodic round
(``notifications.jobs.deliver_due_emails``) sends whatever is still pending. The main
embedded database makes the same choice (``steward/settings.py``).
"""

from __future__ import annotations

from huey import SqliteHuey
from huey.storage import SqliteStorage


class NormalSyncSqliteStorage(SqliteStorage):
    def _create_connection(self):
        conn = super()._create_connection()
        conn.execute("pragma synchronous=NORMAL")
        return conn


class EmbeddedHuey(SqliteHuey):
    storage_class = NormalSyncSqliteStorage
