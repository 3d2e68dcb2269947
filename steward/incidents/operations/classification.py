"""Administrators' edits of how incidents are classified: the impact x urgency priority matrix
(several cells at once) and the category tree (add, rename, retire, reactivate).

Neither table carries a ``version`` column: each write names the values it was read at
(``read``) and changes a row only if it still holds them, in one conditional UPDATE per row —
the same guarantee as ``core.concurrency.save_versioned`` (two editors holding the same read
cannot both succeed, on either database) without a migration of the tables. A stale read
raises :class:`ChangedMeanwhile` (409) naming the fields, and the transaction rolls back, so a
matrix saved over a colleague's change writes no cell at all.

Categories are a two-level tree (a category and its subcategories). Retiring a category
retires its subcategories with it; a subcategory comes back only under an active category.
Nothing is deleted: incidents keep the categories they were filed under.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from steward.core import journal
from steward.core.errors import Conflict, ValidationError
from steward.core.operations import require_admin
from steward.core.texts import Text
from steward.incidents.choices import Level, Priority
from steward.incidents.models import IncidentCategory, PriorityMatrix
from steward.incidents.operations.common import invalid
from steward.incidents.operations.reference_data import create_category

NAME_MAX = 80


class ChangedMeanwhile(Conflict):
    """Someone changed what the person was editing since they read it."""

    code = "stale_version"


def cell_field(impact: int, urgency: int) -> str:
    """The name of a matrix cell in forms and errors: ``impact1_urgency3``."""
    return f"impact{impact}_urgency{urgency}"


def matrix() -> dict[tuple[int, int], int]:
    """Every cell of the matrix, ``(impact, urgency) -> priority``; a cell without a row has
    the ITIL default (impact + urgency - 1), as ``priority_for`` reads it."""
    stored = {
        (i, u): p for i, u, p in PriorityMatrix.objects.values_list("impact", "urgency", "priority")
    }
    return {(i, u): stored.get((i, u), i + u - 1) for i in Level.values for u in Level.values}


@transaction.atomic
def set_priority_matrix(
    actor, cells: dict[tuple[int, int], int], *, read: dict[tuple[int, int], int]
) -> dict[tuple[int, int], int]:
    """Set the priority of several cells at once (administrators), all or none.

    ``read`` holds each cell's priority as the person saw it; a cell that has changed since
    refuses the whole save (409, naming the cells). One journal entry per changed cell.
    """
    require_admin(actor, "edit the priority matrix")
    problems = {}
    for (impact, urgency), priority in cells.items():
        if impact not in Level.values or urgency not in Level.values:
            raise ValidationError.field(
                "cell", f"impact and urgency are 1 to 3, not {impact}, {urgency}"
            )
        if priority not in Priority.values:
            problems[cell_field(impact, urgency)] = ["must be a priority from 1 to 5"]
    if problems:
        raise ValidationError(_("Every cell needs a priority from 1 to 5."), problems)
    # Rows for cells that have none yet (created at their default, so that the conditional
    # update below treats every cell the same way).
    current = matrix()
    PriorityMatrix.objects.bulk_create(
        [PriorityMatrix(impact=i, urgency=u, priority=p) for (i, u), p in current.items()],
        ignore_conflicts=True,
    )
    stale = {}
    changed = []
    for (impact, urgency), priority in sorted(cells.items()):
        seen = read.get((impact, urgency))
        if seen is None:
            raise ValidationError.field(
                cell_field(impact, urgency), "say which priority you read for this cell"
            )
        row = PriorityMatrix.objects.filter(impact=impact, urgency=urgency, priority=seen)
        if priority == seen:
            # Unchanged by this person: still check that no one else changed it, so the matrix
            # saved is the one they looked at.
            if not row.exists():
                stale[cell_field(impact, urgency)] = ["changed by someone else meanwhile"]
            continue
        if not row.update(priority=priority):
            stale[cell_field(impact, urgency)] = ["changed by someone else meanwhile"]
            continue
        changed.append((impact, urgency, seen, priority))
    if stale:
        raise ChangedMeanwhile(
            _(
                "The priority matrix was changed by someone else while you were editing it: "
                "nothing was saved. Check the cells marked and save again."
            ),
            stale,
        )
    cells_by_key = {
        (c.impact, c.urgency): c
        for c in PriorityMatrix.objects.filter(
            impact__in=[c[0] for c in changed], urgency__in=[c[1] for c in changed]
        )
    }
    for impact, urgency, before, after in changed:
        journal.record(
            actor, cells_by_key[(impact, urgency)], "updated", {"priority": [before, after]}
        )
    return matrix()


# --- categories -----------------------------------------------------------------------------------


def _check_name(name: str, parent: IncidentCategory | None, exclude: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise invalid("name", _("Give the category a name."), "required")
    if len(name) > NAME_MAX:
        raise invalid(
            "name",
            _("A category name has at most %(max)s characters.") % {"max": NAME_MAX},
            f"at most {NAME_MAX} characters",
        )
    if any(ord(c) < 32 for c in name):
        raise invalid(
            "name",
            _("A category name is one line of text."),
            "one line of text, without control characters",
        )
    siblings = IncidentCategory.objects.filter(parent=parent, name__iexact=name)
    if exclude is not None:
        siblings = siblings.exclude(pk=exclude)
    if siblings.exists():
        where = f"under {parent.name!r}" if parent else "at the top level"
        message = (
            _("There is already a category %(name)s under %(parent)s.")
            % {"name": name, "parent": parent.name}
            if parent
            else _("There is already a category %(name)s at the top level.") % {"name": name}
        )
        raise invalid("name", message, f"there is already a category {name!r} {where}")
    return name


@transaction.atomic
def add_category(actor, *, name: str, parent: IncidentCategory | None = None) -> IncidentCategory:
    """Add a category, or a subcategory of an active top-level category (administrators)."""
    require_admin(actor, "manage incident categories")
    if parent is not None and (parent.parent_id is not None or not parent.is_active):
        raise invalid(
            "parent",
            _("Choose an active top-level category: categories have one level below them."),
            "must be an active top-level category (categories have one level below)",
        )
    return create_category(actor, name=_check_name(name, parent), parent=parent)


@transaction.atomic
def update_category(
    actor,
    category: IncidentCategory,
    *,
    read: dict,
    name: str | None = None,
    is_active: bool | None = None,
) -> IncidentCategory:
    """Rename, retire or reactivate a category (administrators).

    ``read`` is ``{"name": ..., "is_active": ...}`` as the person saw the category. Retiring a
    top-level category retires its active subcategories too (one journal entry each).
    """
    require_admin(actor, "manage incident categories")
    changes = {}
    if name is not None and name.strip() != category.name:
        changes["name"] = _check_name(name, category.parent, exclude=category.pk)
    if is_active is not None and is_active != category.is_active:
        if is_active and category.parent_id and not category.parent.is_active:
            raise invalid(
                "is_active",
                _("Reactivate its category %(name)s first.") % {"name": category.parent.name},
                f"reactivate its category {category.parent.name!r} first",
            )
        changes["is_active"] = is_active
    rows = IncidentCategory.objects.filter(
        pk=category.pk, name=read.get("name"), is_active=read.get("is_active")
    )
    if not changes:
        if not rows.exists():
            raise ChangedMeanwhile(
                _("The category was changed by someone else while you were editing it."),
                {"version": ["changed by someone else meanwhile"]},
            )
        return category
    if not rows.update(**changes):
        raise ChangedMeanwhile(
            _(
                "The category was changed by someone else while you were editing it: nothing "
                "was saved."
            ),
            {"version": ["changed by someone else meanwhile"]},
        )
    before = {"name": category.name, "is_active": category.is_active}
    for field, value in changes.items():
        setattr(category, field, value)
    journal.record(actor, category, "updated", journal.diff(before, changes))
    if changes.get("is_active") is False and category.parent_id is None:
        for child in IncidentCategory.objects.filter(parent=category, is_active=True):
            IncidentCategory.objects.filter(pk=child.pk).update(is_active=False)
            journal.record(
                actor,
                child,
                "updated",
                {"is_active": [True, False]},
                comment=Text(
                    gettext_noop("retired with its category %(category)s"),
                    category=category.name,
                ),
            )
    return category
