"""Storing a change's conflicts, and the change manager's override of them.

Conflicts are derived data (``steward.changes.conflicts`` computes them in SQL): rechecking
replaces the stored rows of the change and of every other change whose conflicts may have moved
with it, without a journal entry, as an index would be rebuilt. A row whose key is unchanged
is kept, so ``found_at`` says since when the conflict has stood. Overriding is a decision and
is journaled: the change manager's reason, and the keys of the conflicts it covered, so a
conflict that appears later blocks scheduling again."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.changes import conflicts as detection
from steward.changes.choices import EDITABLE_STATUSES
from steward.changes.models import ChangeRequest, Conflict
from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import Conflict as ConflictError
from steward.core.errors import NotFound, PermissionDenied, ValidationError
from steward.people.choices import Role


def _store(change: ChangeRequest) -> list[Conflict]:
    """Replace the stored conflicts of ``change`` with what it conflicts with now."""
    found = detection.find(change)
    wanted = {c.key: c for c in found}
    kept: dict[str, Conflict] = {}
    stale: list[int] = []
    for row in Conflict.objects.filter(change=change):
        if row.key in wanted and row.key not in kept:
            kept[row.key] = row
        else:
            stale.append(row.pk)
    if stale:
        Conflict.objects.filter(pk__in=stale).delete()
    new = [c for key, c in wanted.items() if key not in kept]
    if new:
        Conflict.objects.bulk_create(new)
    return [kept.get(c.key, c) for c in found]


@transaction.atomic
def recheck_conflicts(change: ChangeRequest) -> list[Conflict]:
    """Recompute and store the conflicts of ``change`` and of every other change whose
    conflicts may have moved with it (those its stored conflicts name, those that overlap it
    now sharing a CI, a CI one hop away or the implementer). Returns the change's own. Call
    it after any write that moves a change's window, CIs, services, implementer or status."""
    others = detection.affected(change)
    own = _store(change)
    for other in ChangeRequest.objects.filter(pk__in=others).order_by("pk"):
        _store(other)
    return own


def recheck_many(change_ids) -> None:
    """Recompute the stored conflicts of the changes ``change_ids`` (after a window moved)."""
    for change in ChangeRequest.objects.filter(pk__in=set(change_ids)).order_by("pk"):
        _store(change)


def may_override(user) -> bool:
    """Only the change manager overrides conflicts (the system may too)."""
    return user is None or (user.is_it and user.has_role(Role.CHANGE_MANAGER))


@transaction.atomic
def override_conflicts(
    actor, change: ChangeRequest, *, reason: str, version: int | None = None
) -> ChangeRequest:
    """Let the change be scheduled despite its conflicts as they stand now: the change
    manager's ``reason``, who and when are stored with the keys of the conflicts covered
    (journaled). A conflict found later is not covered and blocks again."""
    if actor is not None and not actor.is_it:
        raise NotFound(_("Change not found."))
    if not may_override(actor):
        raise PermissionDenied(
            _("Only the change manager may override conflicts."),
            {"reason": [_("only the change manager may override conflicts")]},
        )
    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    if change.status not in EDITABLE_STATUSES:
        raise ConflictError(
            _("%(number)s is %(status)s: its conflicts can no longer be overridden.")
            % {"number": change.number, "status": change.get_status_display().lower()},
            {"status": [f"is {change.status}"]},
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            _("Give the reason for overriding the conflicts."),
            {"reason": [_("give the reason for overriding the conflicts")]},
        )
    current = recheck_conflicts(change)
    if not current:
        raise ConflictError(
            _("%(number)s has no conflicts to override.") % {"number": change.number},
            {"reason": [_("there are no conflicts to override")]},
        )
    before = journal.snapshot(change, ["conflicts_override_reason", "conflicts_overridden"])
    change.conflicts_override_reason = reason
    change.conflicts_overridden_by = actor
    change.conflicts_overridden_at = timezone.now()
    change.conflicts_overridden = sorted(c.key for c in current)
    save_versioned(
        change,
        version,
        [
            "conflicts_override_reason",
            "conflicts_overridden_by",
            "conflicts_overridden_at",
            "conflicts_overridden",
        ],
    )
    after = journal.snapshot(change, ["conflicts_override_reason", "conflicts_overridden"])
    journal.record(actor, change, "conflicts_overridden", journal.diff(before, after), reason)
    return change
