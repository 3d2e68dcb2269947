"""How slm reaches the records its clocks run on, without importing the practices above it.

A practice (incidents, requests, ...) declares its :class:`TrackedType` in its
``Practice(tracked_types=[...])`` (``core.practices``); slm asks it for a record's label, link,
the model instance to journal against, whom to tell when a clock warns or breaches, and how to
move the work when an SLA's escalation rule fires. A practice that is switched off still answers
here: its clocks keep their records.
:func:`register` adds a type outside any practice (a test's stand-in).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from steward.core.practices import all_contributions

#: Escalation levels: first warnings go to the assignee (or the group), the last warning to the
#: group manager, a breach to the group manager and the service owner.
WARNING = "warning"
MANAGER = "manager"
BREACH = "breach"


@dataclass(frozen=True)
class TrackedType:
    key: str
    instance: Callable  # (record_id) -> model instance or None
    label: Callable  # (instance) -> str
    link: Callable  # (instance) -> str
    recipients: Callable  # (instance, level) -> list of users
    #: (instance, *, hand_over: bool, raise_priority: bool, reason: str) -> list of what was
    #: done, in words. Functional escalation (``steward.slm.escalation``) through the practice's
    #: own operations, as the system; None: the record type does not escalate.
    escalate: Callable | None = None


_types: dict[str, TrackedType] = {}


def register(tracked: TrackedType) -> None:
    _types[tracked.key] = tracked


def get(key: str) -> TrackedType | None:
    if key in _types:
        return _types[key]
    return next((t for t in all_contributions("tracked_types") if t.key == key), None)
