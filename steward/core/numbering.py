"""Human-readable record numbers: a prefix and a zero-padded sequence (INC0000001).

The counter is advanced with one ``UPDATE ... RETURNING`` statement, which both PostgreSQL
(row lock) and SQLite (database write lock) serialize, so concurrent creations never share a
number and numbers only increase. The UPDATE belongs to the caller's transaction: a creation
that rolls back gives its number back, so numbers have no gaps from failed creations.
"""

from __future__ import annotations

from django.db import connection

from steward.core.models import Sequence

WIDTH = 7


def next_value(prefix: str) -> int:
    """Advance the sequence for ``prefix`` and return its new value."""
    table = connection.ops.quote_name(Sequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (prefix, last) VALUES (%s, 0) ON CONFLICT (prefix) DO NOTHING",  # noqa: S608
            [prefix],
        )
        cursor.execute(
            f"UPDATE {table} SET last = last + 1 WHERE prefix = %s RETURNING last",  # noqa: S608
            [prefix],
        )
        return cursor.fetchone()[0]


def next_number(prefix: str, width: int = WIDTH) -> str:
    """The next record number for ``prefix``, e.g. ``next_number("INC") == "INC0000042"``."""
    return f"{prefix}{next_value(prefix):0{width}d}"


def reserve(prefix: str, count: int) -> int:
    """Reserve ``count`` consecutive values at once (bulk loads); returns the first one."""
    table = connection.ops.quote_name(Sequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (prefix, last) VALUES (%s, 0) ON CONFLICT (prefix) DO NOTHING",  # noqa: S608
            [prefix],
        )
        cursor.execute(
            f"UPDATE {table} SET last = last + %s WHERE prefix = %s RETURNING last",  # noqa: S608
            [count, prefix],
        )
        return cursor.fetchone()[0] - count + 1
