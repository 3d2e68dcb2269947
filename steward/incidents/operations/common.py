"""Shared pieces of the incident operations: constants, the row lock, membership and
visibility checks."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.core.errors import (
    Conflict,
    StaleVersion,
    ValidationError,
)
from steward.incidents.choices import (
    FINAL_STATUSES,
    Level,
)
from steward.incidents.models import (
    Incident,
)
from steward.people.models import SupportGroup, User

SERVICE_DESK = "Service Desk"
FIELDS = [
    "title",
    "description",
    "caller",
    "service",
    "affected_ci",
    "category",
    "subcategory",
    "impact",
    "urgency",
    "priority",
    "status",
    "owning_group",
    "assignee",
]
EDITABLE = {
    "title",
    "description",
    "service",
    "affected_ci",
    "category",
    "subcategory",
    "impact",
    "urgency",
    "priority",
    "assignee",
}


def invalid(name: str, message, problem: str | None = None) -> ValidationError:
    """A refusal about one field: a sentence for people (``message``), and for the API the
    field's short ``problem`` (the sentence itself when there is none)."""
    return ValidationError(str(message), {name: [problem or str(message)]})


def touch(incident: Incident) -> None:
    """Mark the incident updated now without a new version: a note, a reply, a file or a
    handover request is an update people see in "Updated", but it does not make a page that
    was read before it stale."""
    now = timezone.now()
    Incident.objects.filter(pk=incident.pk).update(updated_at=now)
    incident.updated_at = now


def link(incident: Incident) -> str:
    return incident.get_absolute_url()


def locked(incident: Incident) -> Incident:
    """Re-read the incident under a row lock (PostgreSQL; SQLite's write lock serializes)."""
    fresh = Incident.objects.select_for_update().get(pk=incident.pk)
    for f in Incident._meta.concrete_fields:
        setattr(incident, f.attname, getattr(fresh, f.attname))
    for name in ("owning_group", "assignee", "caller", "service", "parent"):
        field = Incident._meta.get_field(name)
        if field.is_cached(incident):
            cached = field.get_cached_value(incident)
            if getattr(cached, "pk", None) != getattr(incident, field.attname):
                field.delete_cached_value(incident)
    return incident


def require_not_final(incident: Incident) -> None:
    if incident.status in FINAL_STATUSES:
        raise Conflict(
            _("%(number)s is %(status)s: it can no longer be changed.")
            % {"number": incident.number, "status": incident.get_status_display().lower()},
            {"status": [f"is {incident.status}"]},
        )


def check_level(name: str, value) -> None:
    if value not in Level.values:
        raise invalid(
            name,
            _("%(field)s must be 1 (high), 2 (medium) or 3 (low).") % {"field": name.title()},
            "must be 1 (high), 2 (medium) or 3 (low)",
        )


def may_see(user: User, incident: Incident) -> bool:
    """Whether ``user`` may read ``incident`` (the rule of Incident.permission_filter, in
    memory, so a mention never tells anyone about an incident they cannot see)."""
    if user.is_it:
        return True
    return user.pk == incident.caller_id or (
        user.organization_id is not None and user.organization_id == incident.organization_id
    )


def groups_of(user) -> Iterable[int]:
    return SupportGroup.objects.filter(Q(members=user) | Q(manager=user)).values("pk")


@contextmanager
def at_version(incident: Incident, version: int):
    """Run the block (one or more operations) only if ``incident`` is still at ``version``:
    the row is locked first, so nobody moves it between the check and the writes. For the
    operations that take no version of their own (a handover, declaring major, ...) when a
    page or a bulk action read the incident at a version."""
    with transaction.atomic():
        locked(incident)
        if incident.version != version:
            raise StaleVersion(version, incident.version)
        yield incident
