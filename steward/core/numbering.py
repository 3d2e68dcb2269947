"""Human-readable record numbers: a prefix and a zero-padded counter (INC0000001).

Numbers are unique and handed out in increasing order, also under concurrent creations.

- PostgreSQL: one database sequence per prefix (``steward_number_inc``), created on first use,
  starting after the prefix's row in ``core_sequence`` if there is one (data moved from
  SQLite). ``nextval`` never waits for another transaction, so creations run side by side; a
  creation that rolls back leaves a gap in the numbers, as ticket numbers in every large
  service desk tool do. A gapless counter would hold a row lock from the number until the
  creating transaction commits, which serialized every creation of the estate (issue 3
  measured it: creation throughput stopped at ~50/s whatever the server).
- SQLite: a row per prefix in ``core_sequence``, advanced with one upsert in the creating
  transaction. SQLite has one writer at a time anyway, so this costs nothing, and a creation
  that rolls back gives its number back.
"""

from __future__ import annotations

import re

from django.db import IntegrityError, connection, transaction
from django.db.utils import ProgrammingError

from steward.core.models import Sequence

WIDTH = 7
_PREFIX = re.compile(r"[A-Z][A-Z0-9]{0,9}")


def next_value(prefix: str) -> int:
    """Advance the counter for ``prefix`` and return its new value."""
    return next_values(prefix, 1)[0]


def next_number(prefix: str, width: int = WIDTH) -> str:
    """The next record number for ``prefix``, e.g. ``next_number("INC") == "INC0000042"``."""
    return f"{prefix}{next_value(prefix):0{width}d}"


def next_values(prefix: str, count: int) -> list[int]:
    """``count`` new values for ``prefix`` in increasing order (bulk loads). Consecutive unless
    another creation takes numbers at the same moment (PostgreSQL)."""
    if not _PREFIX.fullmatch(prefix):
        raise ValueError(f"record number prefix must be 1-10 capitals or digits, not {prefix!r}")
    if count < 1:
        return []
    if connection.vendor == "postgresql":
        return _from_sequence(prefix, count)
    return _from_table(prefix, count)


def _from_table(prefix: str, count: int) -> list[int]:
    table = connection.ops.quote_name(Sequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (prefix, last) VALUES (%s, %s) "  # noqa: S608
            f"ON CONFLICT (prefix) DO UPDATE SET last = {table}.last + excluded.last "
            "RETURNING last",
            [prefix, count],
        )
        last = cursor.fetchone()[0]
    return list(range(last - count + 1, last + 1))


def sequence_name(prefix: str) -> str:
    return f"steward_number_{prefix.lower()}"


def _from_sequence(prefix: str, count: int) -> list[int]:
    name = sequence_name(prefix)
    sql = "SELECT nextval(to_regclass(%s)) FROM generate_series(1, %s)"
    with connection.cursor() as cursor:
        cursor.execute(sql, [name, count])  # NULLs while the sequence does not exist
        values = [v for (v,) in cursor.fetchall()]
        if values[0] is None:
            _create_sequence(cursor, prefix, name)
            # Found by a catalog query, not by name: a first use that lost the race to create
            # the sequence may still hold "no such relation" in its catalog cache.
            cursor.execute(_SEQUENCE_OID, [name])
            row = cursor.fetchone()
            if row is None:
                raise RuntimeError(f"could not create the number sequence {name}")
            cursor.execute(
                "SELECT nextval(%s::oid::regclass) FROM generate_series(1, %s)", [row[0], count]
            )
            values = [v for (v,) in cursor.fetchall()]
    return sorted(values)


_SEQUENCE_OID = (
    "SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relname = %s AND c.relkind = 'S' AND n.nspname = current_schema()"
)


def _create_sequence(cursor, prefix: str, name: str) -> None:
    row = Sequence.objects.filter(prefix=prefix).values_list("last", flat=True).first()
    start = int(row or 0) + 1
    try:
        with transaction.atomic():  # a savepoint: another creation may make it first
            cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {name} START WITH {start}")
    except (IntegrityError, ProgrammingError):
        pass  # made by a concurrent first use (else the caller's lookup says so)
