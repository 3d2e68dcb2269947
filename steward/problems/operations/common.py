"""Shared pieces of the problem operations: the fields the journal follows, the row lock and
the checks every writer makes."""

from __future__ import annotations

from django.utils.translation import gettext as _

from steward.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from steward.problems import rules
from steward.problems.choices import FINAL_STATUSES
from steward.problems.models import Problem

FIELDS = [
    "title",
    "statement",
    "category",
    "owner",
    "owning_group",
    "impact",
    "urgency",
    "priority",
    "status",
    "known_error",
    "workaround",
    "fix_description",
    "fix_change",
    "no_fix_reason",
    "cancel_reason",
]


def invalid(name: str, message, problem: str | None = None) -> ValidationError:
    """A refusal about one field: a sentence for people, the short problem for the API."""
    return ValidationError(str(message), {name: [problem or str(message)]})


def require_staff(actor) -> None:
    """Problems are IT's: anyone else is answered as if there were none."""
    if not rules.is_staff(actor):
        raise NotFound(_("Problem not found."))


def require_editable(actor, problem: Problem) -> None:
    require_staff(actor)
    if problem.status in FINAL_STATUSES:
        raise Conflict(
            _("%(number)s is %(status)s: it can no longer be changed.")
            % {"number": problem.number, "status": problem.get_status_display().lower()},
            {"status": [f"is {problem.status}"]},
        )


def locked(problem: Problem) -> Problem:
    """Re-read the problem under a row lock (PostgreSQL; SQLite's write lock serializes)."""
    fresh = Problem.objects.select_for_update().get(pk=problem.pk)
    for f in Problem._meta.concrete_fields:
        setattr(problem, f.attname, getattr(fresh, f.attname))
    for name in ("owner", "owning_group", "category"):
        field = Problem._meta.get_field(name)
        if field.is_cached(problem):
            cached = field.get_cached_value(problem)
            if getattr(cached, "pk", None) != getattr(problem, field.attname):
                field.delete_cached_value(problem)
    return problem


def check_owner(owner) -> None:
    if owner is not None and not rules.may_own(owner):
        raise invalid(
            "owner",
            _("%(name)s cannot own a problem: the owner is an active member of IT.")
            % {"name": owner.display_name},
            "must be an active IT staff member",
        )


def refuse_permission(message, field: str, problem: str) -> PermissionDenied:
    return PermissionDenied(str(message), {field: [problem]})
