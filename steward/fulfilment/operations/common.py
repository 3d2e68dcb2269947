"""Shared pieces of the fulfilment operations: refusals, row locks, version checks, the time
an operation records, and the journal's field lists."""

from __future__ import annotations

from django.utils.translation import gettext as _

from steward.core import clock
from steward.core.errors import NotFound, PermissionDenied, StaleVersion, ValidationError

#: The requested item fields the journal follows.
ITEM_FIELDS = ["status", "owning_group", "assignee", "due_at", "rejection_reason", "quantity"]
#: The task fields the journal follows.
TASK_FIELDS = ["status", "assignee", "group", "notes"]
#: The catalog item fields the journal follows.
CATALOG_FIELDS = [
    "name",
    "summary",
    "description",
    "service",
    "category",
    "audience",
    "form",
    "approval_flow",
    "task_templates",
    "fulfilment_group",
    "target_hours",
    "is_active",
    "owner",
]
#: The recurring request fields the journal follows.
RECURRING_FIELDS = [
    "name",
    "catalog_item",
    "requested_for",
    "answers",
    "quantity",
    "cadence",
    "interval",
    "day",
    "next_run_at",
    "is_active",
]


def moment(at=None):
    """The time an operation records: the one given, else now (simulated in the demo)."""
    return at if at is not None else clock.now()


def invalid(name: str, message, problem: str | None = None) -> ValidationError:
    """A refusal about one field: a sentence for people, the short problem for the API."""
    return ValidationError(str(message), {name: [problem or str(message)]})


def refuse(message, field: str, problem: str | None = None) -> PermissionDenied:
    return PermissionDenied(str(message), {field: [problem or str(message)]})


def not_found(what) -> NotFound:
    return NotFound(_("%(what)s not found.") % {"what": what})


def check_version(record, version: int | None) -> None:
    """A write names the version it read: a stale one changes nothing (409)."""
    if version is not None and version != record.version:
        raise StaleVersion(version, record.version)


def locked(record):
    """Re-read ``record`` under a row lock (PostgreSQL; SQLite's write lock serializes) and
    copy the fresh values onto it, dropping cached relations that moved."""
    model = type(record)
    fresh = model._base_manager.select_for_update().get(pk=record.pk)
    for f in model._meta.concrete_fields:
        if getattr(f, "generated", False):
            continue
        setattr(record, f.attname, getattr(fresh, f.attname))
    for f in model._meta.concrete_fields:
        if f.is_relation and f.is_cached(record):
            cached = f.get_cached_value(record)
            if getattr(cached, "pk", None) != getattr(record, f.attname):
                f.delete_cached_value(record)
    for f in model._meta.concrete_fields:
        if getattr(f, "generated", False):
            setattr(record, f.attname, getattr(fresh, f.attname))
    return record


def require_staff(actor, message=None) -> None:
    if actor is not None and not actor.is_it:
        raise refuse(
            message or _("Only IT staff may do this."), "user", "requesters may not do this"
        )
