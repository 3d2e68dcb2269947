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
from steward.changes import rules
from steward.changes.choices import EDITABLE_STATUSES, ConflictKind
from steward.changes.models import ChangeRequest, Conflict
from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import Conflict as ConflictError
from steward.core.errors import NotFound, PermissionDenied, ValidationError


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


def recheck_for_cis(ci_ids) -> int:
    """Recompute the stored conflicts of the planned changes still going on that touch any of
    ``ci_ids`` (the CMDB moved under them: ``services.signals.cmdb_changed``). Returns how
    many changes were rechecked. Each change's recheck also reaches the changes it overlaps,
    so a relationship added between two busy CIs flags both sides."""
    ids = sorted(set(ci_ids))
    changed: set[int] = set()
    for start in range(0, len(ids), 5000):  # a bulk load names many CIs: bounded IN lists
        changed.update(
            ChangeRequest.objects.active()
            .filter(planned_start__isnull=False, cis__in=ids[start : start + 5000])
            .values_list("pk", flat=True)
        )
    for change in ChangeRequest.objects.filter(pk__in=sorted(changed)).order_by("pk"):
        recheck_conflicts(change)
    return len(changed)


def on_cmdb_changed(sender, ci_ids, **kwargs) -> None:
    """The receiver of ``services.signals.cmdb_changed`` (connected in ``apps.py``)."""
    recheck_for_cis(ci_ids)


def recheck_many(change_ids) -> None:
    """Recompute the stored conflicts of the changes ``change_ids`` (after a window moved)."""
    for change in ChangeRequest.objects.filter(pk__in=set(change_ids)).order_by("pk"):
        _store(change)


def describe(conflict) -> str:
    """A conflict as people read it in the history: its kind and what it is about
    ("CI in another change: CHG0000012 · CI app01")."""
    parts = []
    if conflict.other_change_id:
        parts.append(conflict.other_change.number)
    if conflict.ci_id:
        parts.append(_("CI %(name)s") % {"name": conflict.ci.name})
    if conflict.related_ci_id:
        parts.append(_("related CI %(name)s") % {"name": conflict.related_ci.name})
    if conflict.window_id:
        parts.append(f"“{conflict.window.name}”")
    if conflict.person_id:
        parts.append(conflict.person.display_name)
    kind = str(ConflictKind(conflict.kind).label)
    return f"{kind}: {' · '.join(parts)}" if parts else kind


@transaction.atomic
def override_conflicts(
    actor, change: ChangeRequest, *, reason: str, version: int | None = None
) -> ChangeRequest:
    """Let the change be scheduled despite its conflicts as they stand now: the change
    manager's ``reason``, who and when are stored with the keys of the conflicts covered
    (journaled). A conflict found later is not covered and blocks again."""
    if actor is not None and not actor.is_it:
        raise NotFound(_("Change not found."))
    if not (actor is None or rules.is_change_manager(actor)):
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
    before = journal.snapshot(change, ["conflicts_override_reason"])
    earlier = set(change.conflicts_overridden or [])
    before["conflicts_overridden"] = [describe(c) for c in current if c.key in earlier]
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
    after = journal.snapshot(change, ["conflicts_override_reason"])
    after["conflicts_overridden"] = [describe(c) for c in current]
    journal.record(actor, change, "conflicts_overridden", journal.diff(before, after), reason)
    return change
