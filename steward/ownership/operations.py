"""Domain operations of the ownership app: the only code that writes processes, activities and
RACI matrices. Each runs in one transaction, checks permission and writes the journal.

Administrators and a process's owner may edit it; only administrators create processes or
change who owns one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import PermissionDenied, ValidationError
from steward.core.operations import full_clean, require, require_admin
from steward.ownership.choices import Letter
from steward.ownership.models import Activity, Process, RaciAssignment
from steward.people.models import SupportGroup, User

PROCESS_FIELDS = ["key", "name", "description", "owner"]
ACTIVITY_FIELDS = ["name", "description", "order"]


def _check_owner(owner: User | None) -> None:
    if owner is None:
        raise ValidationError.field("owner", _("required: every process has a process owner"))
    if not owner.is_active:
        raise ValidationError.field(
            "owner", _("user %(username)s is inactive") % {"username": repr(owner.username)}
        )


def _managers(process: Process) -> list[str]:
    return sorted(process.managers.values_list("username", flat=True))


@transaction.atomic
def create_process(actor, *, managers: Iterable[User] = (), **fields) -> Process:
    require_admin(actor, gettext_lazy("create processes"))
    _check_owner(fields.get("owner"))
    process = Process(**fields)
    full_clean(process)
    process.save()
    process.managers.set(list(managers))
    journal.record(
        actor,
        process,
        "created",
        {f: [None, v] for f, v in journal.snapshot(process, PROCESS_FIELDS).items()}
        | {"managers": [None, _managers(process)]},
    )
    return process


@transaction.atomic
def update_process(
    actor,
    process: Process,
    *,
    version: int | None,
    managers: Iterable[User] | None = None,
    **changes,
) -> Process:
    require(actor, "change", process)
    if "owner" in changes:
        if actor is not None and not actor.is_admin:
            raise PermissionDenied(
                _("Only administrators may change a process's owner."),
                {"owner": [_("only administrators may change this")]},
            )
        _check_owner(changes["owner"])
    before = journal.snapshot(process, PROCESS_FIELDS) | {"managers": _managers(process)}
    for name, value in changes.items():
        setattr(process, name, value)
    full_clean(process)
    save_versioned(process, version, list(changes))
    if managers is not None:
        process.managers.set(list(managers))
    after = journal.snapshot(process, PROCESS_FIELDS) | {"managers": _managers(process)}
    journal.record(actor, process, "updated", journal.diff(before, after))
    return process


@transaction.atomic
def add_activity(actor, process: Process, *, version: int | None, **fields) -> Activity:
    """Add an activity to a process; the process's version moves on (the matrix changed)."""
    require(actor, "change", process)
    activity = Activity(process=process, **fields)
    full_clean(activity)
    save_versioned(process, version, [])
    activity.save()
    journal.record(
        actor,
        process,
        "activity_added",
        {f"activity {activity.name}": [None, journal.snapshot(activity, ACTIVITY_FIELDS)]},
    )
    return activity


@dataclass(frozen=True)
class Cell:
    """One RACI entry to write: a letter for exactly one of role / group / user."""

    activity: Activity
    letter: str
    role: str = ""
    group: SupportGroup | None = None
    user: User | None = None
    accountable_person: User | None = None


def _describe(a: RaciAssignment | Cell) -> str:
    if a.role:
        party = f"role {a.role}"
    elif a.group is not None:
        party = f"group {a.group}"
    else:
        party = f"user {a.user.username}"
    person = f" (accountable: {a.accountable_person.username})" if a.accountable_person else ""
    return f"{a.letter}: {party}{person}"


def _check_cells(cells: list[Cell], activities: dict[int, Activity]) -> None:
    problems: dict[str, list[str]] = {}
    seen: set[tuple] = set()
    for i, c in enumerate(cells):
        where = f"assignments.{i}"
        if c.activity.pk not in activities:
            problems.setdefault(f"{where}.activity", []).append(
                _("activity %(id)s is not part of this process") % {"id": c.activity.pk}
            )
        if c.letter not in Letter.values:
            problems.setdefault(f"{where}.letter", []).append(_("must be one of R, A, C, I"))
        parties = [p for p in (c.role, c.group, c.user) if p]
        if len(parties) != 1:
            problems.setdefault(where, []).append(
                _("give exactly one of role, group or user (got %(count)s)")
                % {"count": len(parties) or _("none")}
            )
            continue
        if c.accountable_person is not None and (c.letter != Letter.ACCOUNTABLE or c.user):
            problems.setdefault(f"{where}.accountable_person", []).append(
                _("only for a role or group given A")
            )
        key = (
            c.activity.pk,
            c.letter,
            c.role,
            getattr(c.group, "pk", None),
            getattr(c.user, "pk", None),
        )
        if key in seen:
            problems.setdefault(where, []).append(
                _("duplicate: %(cell)s appears twice on %(activity)s")
                % {"cell": _describe(c), "activity": repr(c.activity.name)}
            )
        seen.add(key)
    if problems:
        summary = "; ".join(f"{k}: {', '.join(v)}" for k, v in problems.items())
        raise ValidationError(
            _("Invalid RACI matrix — %(summary)s") % {"summary": summary}, problems
        )


@transaction.atomic
def set_raci(
    actor,
    process: Process,
    *,
    version: int | None,
    cells: Iterable[Cell],
    activities: Iterable[Activity] | None = None,
) -> Process:
    """Replace the RACI entries of ``activities`` (every activity of the process when None)
    with ``cells``. The process's version guards the whole matrix: a stale one changes nothing.

    A matrix may still break the RACI rules after this (``validation.validate`` says which);
    only entries that cannot mean anything (no party, two parties, duplicates) are refused.
    """
    require(actor, "change", process)
    cells = list(cells)
    own = {a.pk: a for a in process.activities.all()}
    scope = own if activities is None else {a.pk: a for a in activities}
    if set(scope) - set(own):
        raise ValidationError.field("activity", _("the activity is not part of this process"))
    _check_cells(cells, scope)
    save_versioned(process, version, [])
    current = RaciAssignment.objects.filter(activity_id__in=scope).select_related(
        "group", "user", "accountable_person"
    )
    before: dict[int, list[str]] = {pk: [] for pk in scope}
    for a in current:
        before[a.activity_id].append(_describe(a))
    RaciAssignment.objects.filter(activity_id__in=scope).delete()
    rows = [
        RaciAssignment(
            activity=c.activity,
            letter=c.letter,
            role=c.role or "",
            group=c.group,
            user=c.user,
            accountable_person=c.accountable_person,
        )
        for c in cells
    ]
    for row in rows:
        full_clean(row, exclude=["activity"])
    RaciAssignment.objects.bulk_create(rows)
    after: dict[int, list[str]] = {pk: [] for pk in scope}
    for c in cells:
        after[c.activity.pk].append(_describe(c))
    changes = {
        f"RACI {scope[pk].name}": [sorted(before[pk]), sorted(after[pk])]
        for pk in scope
        if sorted(before[pk]) != sorted(after[pk])
    }
    if changes:
        journal.record(actor, process, "raci_set", changes)
    return process
