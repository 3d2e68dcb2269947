"""Statements compiled once per process and run again with the same SQL and parameters.

A small query that runs on every page view (the queue tab counts, say) costs more Python to
build and compile with the ORM than the database needs to answer it. :func:`fetch_compiled`
compiles the queryset once for a key and keeps its SQL and parameters; later calls with the
same key run them directly.

The key is the caller's promise: it must name everything the statement depends on (the user,
the user's groups, the visibility rule, a page's slice...), because nothing else is compared.
Entries are bounded (least recently used dropped) and hold no rows — only SQL text.

Rows come back as the driver gives them, without the ORM's converters: ints and text as they
are; a stored time from SQLite without its zone (:func:`utc` puts it back).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import UTC, datetime

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

MAX_ENTRIES = 4096

_lock = threading.Lock()
_compiled: OrderedDict[Hashable, tuple[str, str, tuple]] = OrderedDict()


def fetch_compiled(key: Hashable, build: Callable[[], QuerySet]) -> list[tuple]:
    """The rows of ``build()``, compiled once per key, as the driver gives them."""
    with _lock:
        entry = _compiled.get(key)
        if entry is not None:
            _compiled.move_to_end(key)
    if entry is None:
        queryset = build()
        try:
            sql, params = queryset.query.get_compiler(queryset.db).as_sql()
        except EmptyResultSet:  # e.g. ``pk__in=[]``: Django knows there are no rows
            sql, params = "", ()
        entry = (queryset.db, sql, tuple(params))
        with _lock:
            _compiled[key] = entry
            while len(_compiled) > MAX_ENTRIES:
                _compiled.popitem(last=False)
    using, sql, params = entry
    if not sql:
        return []
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def utc(value: datetime | None) -> datetime | None:
    """A stored time as the ORM would give it: SQLite's driver returns it without its zone
    (Steward stores UTC); PostgreSQL's already carries it."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
