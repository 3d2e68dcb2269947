"""How slm reaches the records its clocks run on, without importing the practices above it.

A practice (incidents, requests, ...) registers a :class:`TrackedType` from its AppConfig.ready();
slm asks it for a record's label, link, the model instance to journal against, and whom to tell
when a clock warns or breaches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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


_types: dict[str, TrackedType] = {}


def register(tracked: TrackedType) -> None:
    _types[tracked.key] = tracked


def get(key: str) -> TrackedType | None:
    return _types.get(key)
