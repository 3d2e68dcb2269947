"""Human-readable record numbers: a prefix and a zero-padded sequence (INC0000001).

The counter is advanced with one upsert (``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``:
the first use of a prefix creates its row), which both PostgreSQL (row lock) and SQLite
(database write lock) serialize, so concurrent creations never share a
number and numbers only increase. The UPDATE belongs to the caller's transaction: a creation
that rolls back gives its number back, so numbers have no gaps from failed creations.
"""

from __future__ import annotations

from django.db import connection

from steward.core.models import Sequence

WIDTH = 7


def next_value(prefix: str) -> int:
    """Advance the sequence for ``prefix`` and return its new value."""
    return _advance(prefix, 1)


def next_number(prefix: str, width: int = WIDTH) -> str:
    """The next record number for ``prefix``, e.g. ``next_number("INC") == "INC0000042"``."""
    return f"{prefix}{next_value(prefix):0{width}d}"


def reserve(prefix: str, count: int) -> int:
    """Reserve ``count`` consecutive values at once (bulk loads); returns the first one."""
    return _advance(prefix, count) - count + 1


def _advance(prefix: str, count: int) -> int:
    table = connection.ops.quote_name(Sequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (prefix, last) VALUES (%s, %s) "  # noqa: S608
            f"ON CONFLICT (prefix) DO UPDATE SET last = {table}.last + excluded.last "
            "RETURNING last",
            [prefix, count],
        )
        return cursor.fetchone()[0]
