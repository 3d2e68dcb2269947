"""Shared pieces of the change operations: the fields the journal follows, the row lock, the
checks every writer makes, and the two derived things a write keeps current (the risk and the
stored conflicts)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from steward.changes import risk as risk_math
from steward.changes import rules
from steward.changes.choices import EDITABLE_STATUSES
from steward.changes.models import ChangeRequest
from steward.core.errors import Conflict, NotFound, PermissionDenied, StaleVersion, ValidationError

FIELDS = [
    "type",
    "title",
    "description",
    "reason",
    "owner",
    "owning_group",
    "implementer",
    "planned_start",
    "planned_end",
    "implementation_plan",
    "backout_plan",
    "test_plan",
    "communication_plan",
    "risk",
    "impact",
    "outage_expected",
    "outage_minutes",
    "status",
    "approval_round",
    "outcome",
    "outcome_notes",
    "cancel_reason",
]
#: What the risk is kept with in the journal (``risk_reasons``' labels, not their shape).
RISK_FIELDS = ["risk", "risk_reasons"]


def invalid(name: str, message, problem: str | None = None) -> ValidationError:
    """A refusal about one field: a sentence for people, the short problem for the API."""
    return ValidationError(str(message), {name: [problem or str(message)]})


def require_staff(actor) -> None:
    """Changes are IT's: anyone else is answered as if there were none."""
    if not rules.is_staff(actor):
        raise NotFound(_("Change not found."))


def require_admin_data(actor) -> None:
    require_staff(actor)
    if not rules.may_keep_admin_data(actor):
        raise PermissionDenied(
            _("Only administrators and change managers keep the change practice's settings.")
        )


def require_editable(change: ChangeRequest) -> None:
    if change.status not in EDITABLE_STATUSES:
        raise Conflict(
            _("%(number)s is %(status)s: it can no longer be changed.")
            % {"number": change.number, "status": change.get_status_display().lower()},
            {"status": [f"is {change.status}"]},
        )


def locked(change: ChangeRequest) -> ChangeRequest:
    """Re-read the change under a row lock (PostgreSQL; SQLite's write lock serializes)."""
    fresh = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    for f in ChangeRequest._meta.concrete_fields:
        setattr(change, f.attname, getattr(fresh, f.attname))
    for f in ChangeRequest._meta.concrete_fields:
        if f.is_relation and f.is_cached(change):
            cached = f.get_cached_value(change)
            if getattr(cached, "pk", None) != getattr(change, f.attname):
                f.delete_cached_value(change)
    return change


def check_version(change: ChangeRequest, version: int | None) -> None:
    if version is not None and version != change.version:
        raise StaleVersion(version, change.version)


def check_person(name: str, person) -> None:
    """The owner and the implementer are active members of IT."""
    if person is not None and not rules.may_own(person):
        raise invalid(
            name,
            _("%(name)s cannot be the %(role)s of a change: it is an active member of IT.")
            % {"name": person.display_name, "role": name},
            "must be an active IT staff member",
        )


def reassess(change: ChangeRequest, answers=None) -> bool:
    """Recompute the change's risk and reasons in memory; whether they moved."""
    risk, reasons = risk_math.assess(change, answers)
    moved = (risk, reasons) != (change.risk, change.risk_reasons)
    change.risk, change.risk_reasons = risk, reasons
    return moved


def reason_labels(reasons) -> list[str]:
    return [r.get("label", "") for r in reasons or ()]


def recheck(change: ChangeRequest) -> None:
    """Store the conflicts of ``change`` and of the changes that move with it."""
    from steward.changes.operations.conflicts import recheck_conflicts

    recheck_conflicts(change)
