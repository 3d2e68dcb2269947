"""Conflict detection: what a change's planned window ``[start, end)`` collides with.

Against every other change with a planned window and a status in ``CONFLICTING_STATUSES``
(New included), and overlapping half-open (a change ending at 02:00 and one starting at 02:00
do not meet), the kinds of ``ConflictKind``:

``ci_busy``
    a CI of the change is in the other change;
``related_ci_busy``
    a CI one hop away in the CMDB (``CIRelationship``, either direction: a parent or a
    child, never a grandparent) is in another **scheduled** change;
``implementer_busy``
    the change's implementer implements the other change too;
``outside_window`` / ``related_outside_window``
    the change's window is not covered by the maintenance windows of a CI (or of a CI one hop
    away): those naming the CI, its class or a service it delivers (``ServiceCI``), together;
    a CI with no maintenance window may be changed any time. A maintenance window naming a
    service the change lists directly applies too (``ci`` empty);
``in_blackout`` / ``related_in_blackout``
    a blackout period of the CI (or of one a hop away) is open during the change. A blackout
    naming a service the change lists, and a blackout naming nothing at all (an estate-wide
    change freeze), apply to the change itself (``ci`` empty).

Overlaps and the CI, relationship and scope joins run in SQL: one statement for the kinds
between changes, one for the windows that apply (``CROSS JOIN`` keeps SQLite's join order from
the change's few neighbours outwards; PostgreSQL plans it as an inner join). Whether a weekly
window is open is asked of ``windows`` (the service-level calendar engine, DST-correct). The
results are unsaved ``Conflict`` rows; ``operations.conflicts.recheck_conflicts`` stores them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import connection

from steward.changes import windows as window_math
from steward.changes.choices import CONFLICTING_STATUSES, ConflictKind, Status, WindowKind
from steward.changes.models import ChangeRequest, ChangeWindow, Conflict
from steward.services.models import CIRelationship, ConfigurationItem, ServiceCI

Kind = ConflictKind

_CHANGE = ChangeRequest._meta.db_table
_CHANGE_CIS = ChangeRequest.cis.through._meta.db_table
_CHANGE_SERVICES = ChangeRequest.services.through._meta.db_table
_WINDOW = ChangeWindow._meta.db_table
_WINDOW_CIS = ChangeWindow.cis.through._meta.db_table
_WINDOW_CLASSES = ChangeWindow.ci_classes.through._meta.db_table
_WINDOW_SERVICES = ChangeWindow.services.through._meta.db_table
_CONFLICT = Conflict._meta.db_table
_REL = CIRelationship._meta.db_table
_SERVICE_CI = ServiceCI._meta.db_table
_CI = ConfigurationItem._meta.db_table

_STATUSES = sorted(CONFLICTING_STATUSES)
_IN_STATUSES = ", ".join(["%s"] * len(_STATUSES))

#: The CIs one hop from the change's own (a parent or a child), each with the CI of the change
#: it hangs on, leaving out those that are the change's own CIs (they are checked as such).
#: Parameters: change id three times.
_NEIGHBOURS = f"""
    SELECT r.source_id AS ci, r.target_id AS related
      FROM {_REL} r JOIN {_CHANGE_CIS} m ON m.configurationitem_id = r.source_id
     WHERE m.changerequest_id = %s
    UNION
    SELECT r.target_id AS ci, r.source_id AS related
      FROM {_REL} r JOIN {_CHANGE_CIS} m ON m.configurationitem_id = r.target_id
     WHERE m.changerequest_id = %s
"""  # noqa: S608 - table names from the models, values as parameters
_NOT_MINE = f"NOT IN (SELECT configurationitem_id FROM {_CHANGE_CIS} WHERE changerequest_id = %s)"  # noqa: S608
_OVERLAP = "o.planned_start < %s AND o.planned_end > %s"

#: The kinds between changes, one UNION. Columns: kind, other change, CI, related CI, person.
CHANGES_SQL = f"""
SELECT 'ci_busy', o.id, mine.configurationitem_id, CAST(NULL AS bigint), CAST(NULL AS bigint)
  FROM {_CHANGE_CIS} mine
  JOIN {_CHANGE_CIS} theirs ON theirs.configurationitem_id = mine.configurationitem_id
  JOIN {_CHANGE} o ON o.id = theirs.changerequest_id
 WHERE mine.changerequest_id = %s AND o.id <> %s
   AND o.status IN ({_IN_STATUSES}) AND {_OVERLAP}
UNION ALL
SELECT 'related_ci_busy', o.id, n.ci, n.related, CAST(NULL AS bigint)
  FROM ({_NEIGHBOURS}) n
 CROSS JOIN {_CHANGE_CIS} theirs
 CROSS JOIN {_CHANGE} o
 WHERE theirs.configurationitem_id = n.related AND o.id = theirs.changerequest_id
   AND o.id <> %s AND o.status = %s AND {_OVERLAP} AND n.related {_NOT_MINE}
UNION ALL
SELECT 'implementer_busy', o.id, CAST(NULL AS bigint), CAST(NULL AS bigint), o.implementer_id
  FROM {_CHANGE} o
 WHERE o.implementer_id = %s AND o.id <> %s
   AND o.status IN ({_IN_STATUSES}) AND {_OVERLAP}
"""  # noqa: S608 - table names from the models, values as parameters

#: The windows that apply to the change: columns CI of the change (empty for the change
#: itself), the related CI (for a CI one hop away), the service the change names (for a window
#: scoped to it), the window. Dated blackouts that do not overlap are left out.
WINDOWS_SQL = f"""
WITH subject (ci, related, subject) AS (
    SELECT configurationitem_id, CAST(NULL AS bigint), configurationitem_id
      FROM {_CHANGE_CIS} WHERE changerequest_id = %s
    UNION
    SELECT n.ci, n.related, n.related FROM ({_NEIGHBOURS}) n WHERE n.related {_NOT_MINE}
), applies (ci, related, service, window_id) AS (
    SELECT s.ci, s.related, CAST(NULL AS bigint), wc.changewindow_id
      FROM subject s JOIN {_WINDOW_CIS} wc ON wc.configurationitem_id = s.subject
    UNION
    SELECT s.ci, s.related, CAST(NULL AS bigint), wk.changewindow_id
      FROM subject s JOIN {_CI} c ON c.id = s.subject
      JOIN {_WINDOW_CLASSES} wk ON wk.ciclass_id = c.ci_class_id
    UNION
    SELECT s.ci, s.related, CAST(NULL AS bigint), ws.changewindow_id
      FROM subject s JOIN {_SERVICE_CI} sc ON sc.ci_id = s.subject
      JOIN {_WINDOW_SERVICES} ws ON ws.service_id = sc.service_id
    UNION
    SELECT CAST(NULL AS bigint), CAST(NULL AS bigint), cs.service_id, ws.changewindow_id
      FROM {_CHANGE_SERVICES} cs JOIN {_WINDOW_SERVICES} ws ON ws.service_id = cs.service_id
     WHERE cs.changerequest_id = %s
    UNION
    SELECT CAST(NULL AS bigint), CAST(NULL AS bigint), CAST(NULL AS bigint), w.id
      FROM {_WINDOW} w
     WHERE w.kind = %s
       AND NOT EXISTS (SELECT 1 FROM {_WINDOW_CIS} x WHERE x.changewindow_id = w.id)
       AND NOT EXISTS (SELECT 1 FROM {_WINDOW_CLASSES} x WHERE x.changewindow_id = w.id)
       AND NOT EXISTS (SELECT 1 FROM {_WINDOW_SERVICES} x WHERE x.changewindow_id = w.id)
)
SELECT a.ci, a.related, a.service, a.window_id
  FROM applies a JOIN {_WINDOW} w ON w.id = a.window_id
 WHERE w.is_active = %s
   AND (w.kind = %s OR w.hours IS NOT NULL OR (w.starts_at < %s AND w.ends_at > %s))
"""  # noqa: S608 - table names from the models, values as parameters

#: The other changes whose conflicts a move of this change may change: those whose stored
#: conflicts name it (they may lose one), and the active ones overlapping it now that share a
#: CI, a CI one hop away or the implementer (they may gain one).
AFFECTED_STORED_SQL = f"SELECT change_id FROM {_CONFLICT} WHERE other_change_id = %s"  # noqa: S608
AFFECTED_NOW_SQL = f"""
SELECT theirs.changerequest_id
  FROM {_CHANGE_CIS} mine
  JOIN {_CHANGE_CIS} theirs ON theirs.configurationitem_id = mine.configurationitem_id
  JOIN {_CHANGE} o ON o.id = theirs.changerequest_id
 WHERE mine.changerequest_id = %s AND o.status IN ({_IN_STATUSES}) AND {_OVERLAP}
UNION
SELECT theirs.changerequest_id
  FROM ({_NEIGHBOURS}) n
 CROSS JOIN {_CHANGE_CIS} theirs
 CROSS JOIN {_CHANGE} o
 WHERE theirs.configurationitem_id = n.related AND o.id = theirs.changerequest_id
   AND o.status IN ({_IN_STATUSES}) AND {_OVERLAP}
UNION
SELECT o.id FROM {_CHANGE} o
 WHERE o.implementer_id = %s AND o.status IN ({_IN_STATUSES}) AND {_OVERLAP}
"""  # noqa: S608 - table names from the models, values as parameters


#: The going-on, planned changes a window concerns: with a CI in its scope (named, of a named
#: class, delivering a named service) or one hop from one, or naming a service of its scope.
IN_SCOPE_SQL = f"""
WITH scope (ci) AS (
    SELECT configurationitem_id FROM {_WINDOW_CIS} WHERE changewindow_id = %s
    UNION
    SELECT c.id FROM {_CI} c JOIN {_WINDOW_CLASSES} k ON k.ciclass_id = c.ci_class_id
     WHERE k.changewindow_id = %s
    UNION
    SELECT sc.ci_id FROM {_SERVICE_CI} sc
      JOIN {_WINDOW_SERVICES} ws ON ws.service_id = sc.service_id
     WHERE ws.changewindow_id = %s
), reach (ci) AS (
    SELECT ci FROM scope
    UNION
    SELECT r.target_id FROM {_REL} r JOIN scope s ON r.source_id = s.ci
    UNION
    SELECT r.source_id FROM {_REL} r JOIN scope s ON r.target_id = s.ci
)
SELECT o.id FROM {_CHANGE} o
  JOIN {_CHANGE_CIS} m ON m.changerequest_id = o.id
  JOIN reach ON reach.ci = m.configurationitem_id
 WHERE o.status IN ({_IN_STATUSES}) AND o.planned_start IS NOT NULL
UNION
SELECT o.id FROM {_CHANGE} o
  JOIN {_CHANGE_SERVICES} cs ON cs.changerequest_id = o.id
  JOIN {_WINDOW_SERVICES} ws ON ws.service_id = cs.service_id
 WHERE ws.changewindow_id = %s
   AND o.status IN ({_IN_STATUSES}) AND o.planned_start IS NOT NULL
"""  # noqa: S608 - table names from the models, values as parameters


def _moment(value: dt.datetime):
    return connection.ops.adapt_datetimefield_value(value)


def checked(change: ChangeRequest) -> bool:
    """Whether the change takes part in conflicts: planned, and neither closed nor cancelled."""
    return (
        change.planned_start is not None
        and change.planned_end is not None
        and change.status in CONFLICTING_STATUSES
    )


def changes_params(change: ChangeRequest) -> list:
    """The parameters of :data:`CHANGES_SQL` for ``change`` (the benchmark replays them)."""
    c, start, end = change.pk, _moment(change.planned_start), _moment(change.planned_end)
    return [
        *(c, c, *_STATUSES, end, start),
        *(c, c, c, Status.SCHEDULED.value, end, start, c),
        *(change.implementer_id, c, *_STATUSES, end, start),
    ]


def windows_params(change: ChangeRequest) -> list:
    """The parameters of :data:`WINDOWS_SQL` for ``change``."""
    c, start, end = change.pk, _moment(change.planned_start), _moment(change.planned_end)
    return [
        c,
        c,
        c,
        c,
        c,
        WindowKind.BLACKOUT.value,
        True,
        WindowKind.MAINTENANCE.value,
        end,
        start,
    ]


def _between_changes(change: ChangeRequest) -> list[Conflict]:
    with connection.cursor() as cursor:
        cursor.execute(CHANGES_SQL, changes_params(change))
        rows = cursor.fetchall()
    return [
        Conflict(
            change=change,
            kind=kind,
            other_change_id=other,
            ci_id=ci,
            related_ci_id=related,
            person_id=person,
        )
        for kind, other, ci, related, person in rows
        if kind != Kind.IMPLEMENTER_BUSY or person is not None
    ]


def _with_windows(change: ChangeRequest) -> list[Conflict]:
    with connection.cursor() as cursor:
        cursor.execute(WINDOWS_SQL, windows_params(change))
        rows = cursor.fetchall()
    if not rows:
        return []
    by_id = ChangeWindow.objects.in_bulk({row[3] for row in rows})
    start, end = change.planned_start, change.planned_end
    # what each window applies to: (ci, related, service) -> windows, by kind
    scopes: dict[tuple, dict[str, list[ChangeWindow]]] = defaultdict(lambda: defaultdict(list))
    for ci, related, service, window_id in sorted(rows, key=lambda r: r[3]):
        window = by_id[window_id]
        scopes[(ci, related, service)][window.kind].append(window)
    found: dict[str, Conflict] = {}

    def add(conflict: Conflict) -> None:
        found.setdefault(conflict.key, conflict)

    for (ci, related, _service), kinds in sorted(scopes.items(), key=_scope_order):
        maintenance, blackouts = kinds[WindowKind.MAINTENANCE], kinds[WindowKind.BLACKOUT]
        outside = Kind.RELATED_OUTSIDE_WINDOW if related else Kind.OUTSIDE_WINDOW
        inside = Kind.RELATED_IN_BLACKOUT if related else Kind.IN_BLACKOUT
        if maintenance and not window_math.covered(maintenance, start, end):
            add(_window_conflict(change, outside, ci, related, maintenance[0]))
        for blackout in blackouts:
            if window_math.touches(blackout, start, end):
                add(_window_conflict(change, inside, ci, related, blackout))
    return _without_repeats(found.values())


def _scope_order(item) -> tuple:
    (ci, related, service), _kinds = item
    return (ci is None, ci or 0, related or 0, service or 0)


def _window_conflict(change, kind, ci, related, window) -> Conflict:
    return Conflict(change=change, kind=kind, ci_id=ci, related_ci_id=related, window=window)


def _without_repeats(conflicts) -> list[Conflict]:
    """A window reached both through a CI and through a service the change names is said once,
    on the CI."""
    on_cis = {(c.kind, c.window_id) for c in conflicts if c.ci_id is not None}
    return [c for c in conflicts if c.ci_id is not None or (c.kind, c.window_id) not in on_cis]


def find(change: ChangeRequest) -> list[Conflict]:
    """What ``change`` conflicts with now, as stored: unsaved rows, one per key, in a stable
    order (kind, then what they name). Empty for a change without a planned window or no
    longer going on."""
    if not checked(change):
        return []
    conflicts = {c.key: c for c in _between_changes(change) + _with_windows(change)}
    return sorted(conflicts.values(), key=_order)


def _order(conflict: Conflict) -> tuple:
    return (
        list(Kind.values).index(conflict.kind),
        conflict.other_change_id or 0,
        conflict.ci_id or 0,
        conflict.related_ci_id or 0,
        conflict.window_id or 0,
        conflict.person_id or 0,
    )


def stored(change: ChangeRequest):
    """The stored conflicts of ``change`` with what they name, for pages and the API."""
    return Conflict.objects.filter(change=change).select_related(
        "other_change", "ci", "related_ci", "window", "person"
    )


def overridden_keys(change: ChangeRequest) -> frozenset[str]:
    return frozenset(change.conflicts_overridden or ())


def blocking(change: ChangeRequest) -> list[Conflict]:
    """The stored conflicts that block scheduling: those the change manager's override did not
    cover (all of them without an override)."""
    covered = overridden_keys(change)
    return [c for c in stored(change) if c.key not in covered]


def affected(change: ChangeRequest) -> set[int]:
    """The ids of the other changes whose conflicts may have moved with ``change``: those whose
    stored conflicts name it, and the going-on ones that overlap it now and share a CI, a CI
    one hop away or the implementer."""
    with connection.cursor() as cursor:
        cursor.execute(AFFECTED_STORED_SQL, [change.pk])
        ids = {row[0] for row in cursor.fetchall()}
        if checked(change):
            c = change.pk
            start, end = _moment(change.planned_start), _moment(change.planned_end)
            cursor.execute(
                AFFECTED_NOW_SQL,
                [
                    *(c, *_STATUSES, end, start),
                    *(c, c, *_STATUSES, end, start),
                    *(change.implementer_id, *_STATUSES, end, start),
                ],
            )
            ids.update(row[0] for row in cursor.fetchall())
    ids.discard(change.pk)
    return ids


def in_scope(window: ChangeWindow) -> set[int]:
    """The ids of the going-on, planned changes that ``window`` may concern: those with a CI in
    its scope or one hop from it, or naming a service of its scope; every planned change for a
    blackout that names nothing (an estate-wide freeze). Read before and after a window
    changes, so the changes it stops concerning are rechecked too."""
    names_something = window.cis.exists() or window.ci_classes.exists() or window.services.exists()
    if not names_something:
        if window.kind != WindowKind.BLACKOUT:
            return set()
        planned = ChangeRequest.objects.filter(
            status__in=_STATUSES, planned_start__isnull=False, planned_end__isnull=False
        )
        return set(planned.values_list("id", flat=True))
    w = window.pk
    with connection.cursor() as cursor:
        cursor.execute(IN_SCOPE_SQL, [w, w, w, *_STATUSES, w, *_STATUSES])
        return {row[0] for row in cursor.fetchall()}
