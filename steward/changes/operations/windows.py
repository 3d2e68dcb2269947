"""Maintenance windows and blackout periods: creating, changing and deleting them.

Administrators and change managers keep them. A window is weekly (``hours`` in the
service-level calendar's format, checked by ``slm.validation.parse_hours``, in an IANA
``time_zone``) or dated (``starts_at`` before ``ends_at``, UTC), never both. Each write
rechecks the conflicts of every change the window concerned before or concerns after, in the
same transaction, so the calendar never shows a conflict of a window that has moved."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from steward.changes import conflicts as detection
from steward.changes.choices import WindowKind
from steward.changes.models import ChangeWindow, Conflict
from steward.changes.operations.conflicts import recheck_many
from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import NotFound, PermissionDenied, ValidationError
from steward.core.operations import full_clean
from steward.people.choices import Role
from steward.slm.validation import parse_hours

FIELDS = [
    "kind",
    "name",
    "description",
    "time_zone",
    "hours",
    "starts_at",
    "ends_at",
    "is_active",
]
SCOPES = ("services", "cis", "ci_classes")
_UNSET = object()


def may_keep_windows(user) -> bool:
    """Administrators and change managers keep windows and blackouts (the system too)."""
    return user is None or (user.is_it and (user.is_admin or user.has_role(Role.CHANGE_MANAGER)))


def _require(actor) -> None:
    if actor is not None and not actor.is_it:
        raise NotFound(_("Window not found."))
    if not may_keep_windows(actor):
        raise PermissionDenied(
            _("Only administrators and change managers may change windows and blackouts.")
        )


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError(message, {field: [message]})


def _check_timing(window: ChangeWindow) -> None:
    """Weekly hours or a dated period, not both; normalizes the hours in place."""
    if window.kind not in WindowKind.values:
        raise _invalid("kind", _("choose maintenance or blackout"))
    if window.hours is not None:
        if window.starts_at is not None or window.ends_at is not None:
            raise _invalid(
                "hours", _("give weekly hours or a dated period (starts_at, ends_at), not both")
            )
        window.hours = parse_hours(
            window.hours,
            "hours",
            when_empty=_("give at least one interval: a weekly window without hours never opens"),
        )
        return
    for name in ("starts_at", "ends_at"):
        value = getattr(window, name)
        if value is None:
            raise _invalid(name, _("give weekly hours, or both starts_at and ends_at"))
        if not isinstance(value, dt.datetime) or value.tzinfo is None:
            raise _invalid(name, _("give a time with its UTC offset"))
    if window.ends_at <= window.starts_at:
        raise _invalid("ends_at", _("must be after starts_at"))


def _set_scope(window: ChangeWindow, scopes: dict) -> dict[str, list]:
    """Set the scope relations given; return the journal's before/after of those that moved."""
    changes = {}
    for name, values in scopes.items():
        relation = getattr(window, name)
        before = sorted(relation.values_list("pk", flat=True))
        relation.set(list(values))
        after = sorted(relation.values_list("pk", flat=True))
        if before != after:
            changes[name] = [before, after]
    return changes


@transaction.atomic
def create_window(
    actor,
    *,
    kind: str,
    name: str,
    time_zone: str = "UTC",
    hours=None,
    starts_at=None,
    ends_at=None,
    services=(),
    cis=(),
    ci_classes=(),
    description: str = "",
) -> ChangeWindow:
    """A new maintenance window or blackout period; rechecks the changes it concerns."""
    _require(actor)
    window = ChangeWindow(
        kind=kind,
        name=(name or "").strip(),
        description=description,
        time_zone=time_zone,
        hours=hours,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    _check_timing(window)
    full_clean(window)
    window.save()
    _set_scope(window, {"services": services, "cis": cis, "ci_classes": ci_classes})
    journal.record(actor, window, "window_created")
    recheck_many(detection.in_scope(window))
    return window


@transaction.atomic
def update_window(actor, window: ChangeWindow, *, version: int | None, **fields) -> ChangeWindow:
    """Change a window's name, kind, timing, scope or ``is_active`` (``version`` as read);
    rechecks the changes it concerned and those it concerns now."""
    _require(actor)
    unknown = set(fields) - set(FIELDS) - set(SCOPES)
    if unknown:
        raise _invalid(sorted(unknown)[0], _("unknown field"))
    window = ChangeWindow.objects.select_for_update().get(pk=window.pk)
    before_scope = detection.in_scope(window) | _named_by_conflicts(window)
    before = journal.snapshot(window, FIELDS)
    for name in FIELDS:
        if name in fields:
            value = fields[name]
            setattr(window, name, value.strip() if name == "name" and value else value)
    _check_timing(window)
    full_clean(window)
    save_versioned(window, version, FIELDS)
    scope_changes = _set_scope(window, {k: fields[k] for k in SCOPES if k in fields})
    changes = {**journal.diff(before, journal.snapshot(window, FIELDS)), **scope_changes}
    if changes:
        journal.record(actor, window, "window_updated", changes)
    recheck_many(before_scope | detection.in_scope(window))
    return window


@transaction.atomic
def delete_window(actor, window: ChangeWindow) -> None:
    """Delete a window; the changes it concerned are rechecked (a CI losing one of its
    maintenance windows may now be outside the rest)."""
    _require(actor)
    window = ChangeWindow.objects.select_for_update().get(pk=window.pk)
    concerned = detection.in_scope(window) | _named_by_conflicts(window)
    journal.record(actor, window, "window_deleted")
    window.delete()
    recheck_many(concerned)


def _named_by_conflicts(window: ChangeWindow) -> set[int]:
    return set(Conflict.objects.filter(window=window).values_list("change_id", flat=True))
