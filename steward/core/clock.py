"""Simulated time: the demo replays its 90 days of history through the operations.

Every writer in Steward takes "now" from one of four places: ``django.utils.timezone.now()``
(operations, ``auto_now``/``auto_now_add`` fields, ``timezone.localtime()``), a field default
bound to that function at import time (``default=timezone.now``), or the database's own
``Now()`` (``core.concurrency.save_versioned`` stamps ``updated_at`` with it). No trigger
reads the time. :func:`simulated` makes all four give the simulated time for as long as it
is entered, so the operations run unchanged and their journal entries, SLA clocks and
notifications carry the past time:

    with clock.simulated(start):
        ops.open_incident(...)            # created at ``start``
        clock.set(start + timedelta(hours=2))
        ops.transition(...)               # two hours later

Only for one process that does nothing else meanwhile: ``manage.py load_demo`` and tests. It
patches process-wide state, so a server must never enter it; the time is real again when the
block ends, whatever happens inside.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.apps import apps
from django.db.models import DateTimeField, Value
from django.db.models.functions import Now
from django.utils import timezone

_real_now = timezone.now
_at: dt.datetime | None = None
_VENDOR_METHODS = ("as_sql", "as_sqlite", "as_postgresql", "as_mysql", "as_oracle")


def now() -> dt.datetime:
    """The simulated time inside :func:`simulated`, the real time otherwise."""
    return _at if _at is not None else _real_now()


def real_now() -> dt.datetime:
    """The real time, even inside :func:`simulated`."""
    return _real_now()


def is_simulated() -> bool:
    return _at is not None


def set(at: dt.datetime) -> None:
    """Move the simulated clock to ``at`` (forward or back); only inside :func:`simulated`."""
    global _at
    if _at is None:
        raise RuntimeError("clock.set() outside clock.simulated()")
    if timezone.is_naive(at):
        raise ValueError("the simulated time must be aware")
    _at = at


def _now_sql(self, compiler, connection, **extra_context):
    """``Now()`` as a parameter holding the simulated time instead of the database's clock."""
    return compiler.compile(Value(now(), output_field=DateTimeField()))


def _fields_defaulting_to_now():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.default is _real_now:
                yield field


def _set_default(field, value) -> None:
    field.default = value
    field.__dict__.pop("_get_default", None)  # Field caches the callable it resolved


@contextmanager
def simulated(start: dt.datetime) -> Iterator[None]:
    """Run the block with the clock at ``start`` (moved on with :func:`set`)."""
    global _at
    if _at is not None:
        raise RuntimeError("clock.simulated() does not nest")
    if timezone.is_naive(start):
        raise ValueError("the simulated time must be aware")
    saved = {name: Now.__dict__[name] for name in _VENDOR_METHODS if name in Now.__dict__}
    fields = list(_fields_defaulting_to_now())
    _at = start
    timezone.now = now
    for name in _VENDOR_METHODS:
        setattr(Now, name, _now_sql)
    for field in fields:
        _set_default(field, now)
    try:
        yield
    finally:
        _at = None
        timezone.now = _real_now
        for name in _VENDOR_METHODS:
            if name in saved:
                setattr(Now, name, saved[name])
            else:
                delattr(Now, name)
        for field in fields:
            _set_default(field, _real_now)
