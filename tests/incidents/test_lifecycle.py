"""The incident lifecycle: every allowed and every refused transition, from the table."""

from __future__ import annotations

import pytest

from steward.core.errors import PermissionDenied, TransitionNotAllowed, ValidationError
from steward.core.models import JournalEntry
from steward.incidents import operations as ops
from steward.incidents.choices import STATUS_CATEGORY, Category, Status
from steward.incidents.models import Incident
from steward.incidents.workflow import INCIDENT

pytestmark = pytest.mark.django_db

#: The context each target needs to pass its guards.
CONTEXT = {
    Status.RESOLVED: {"resolution_code": "solved", "resolution_notes": "Reset the password"},
    Status.ON_HOLD: {"hold_reason": "awaiting_caller"},
}
#: How to bring a new incident into each state.
PATH = {
    Status.NEW: [],
    Status.IN_PROGRESS: [Status.IN_PROGRESS],
    Status.ON_HOLD: [Status.IN_PROGRESS, Status.ON_HOLD],
    Status.RESOLVED: [Status.IN_PROGRESS, Status.RESOLVED],
    Status.CLOSED: [Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED],
    Status.CANCELLED: [Status.CANCELLED],
}
ALLOWED = [(s, t) for s in Status for t in INCIDENT.allowed(s)]
REFUSED = [(s, t) for s in Status for t in Status if t not in INCIDENT.allowed(s)]


def bring_to(incident, state, actor):
    for step in PATH[state]:
        ops.transition(actor, incident, step, **CONTEXT.get(step, {}))
    incident.refresh_from_db()
    assert incident.status == state
    return incident


def test_the_table_is_the_one_in_the_issue():
    assert {s: set(INCIDENT.allowed(s)) for s in Status} == {
        "new": {"in_progress", "cancelled"},
        "in_progress": {"on_hold", "resolved", "cancelled"},
        "on_hold": {"in_progress"},
        "resolved": {"closed", "in_progress"},
        "closed": set(),
        "cancelled": set(),
    }


def test_every_status_has_a_category():
    assert STATUS_CATEGORY == {
        "new": Category.OPEN,
        "in_progress": Category.OPEN,
        "on_hold": Category.PAUSED,
        "resolved": Category.RESOLVED,
        "closed": Category.RESOLVED,
        "cancelled": Category.RESOLVED,
    }


@pytest.mark.parametrize("current,target", ALLOWED)
def test_allowed_transition(desk, open_one, current, target):
    agent = desk["people"]["agent"]
    incident = bring_to(open_one(), current, agent)
    entries = JournalEntry.objects.for_record(incident).count()

    ops.transition(agent, incident, target, **CONTEXT.get(target, {}))

    incident.refresh_from_db()
    assert incident.status == target
    assert JournalEntry.objects.for_record(incident).count() == entries + 1


@pytest.mark.parametrize("current,target", REFUSED)
def test_refused_transition_names_the_allowed_ones(desk, open_one, current, target):
    agent = desk["people"]["agent"]
    incident = bring_to(open_one(), current, agent)
    version, entries = incident.version, JournalEntry.objects.count()

    with pytest.raises(TransitionNotAllowed) as err:
        ops.transition(agent, incident, target, **CONTEXT.get(target, {}))

    allowed = sorted(INCIDENT.allowed(current))
    assert err.value.allowed == allowed
    assert err.value.fields["to"][0].endswith(", ".join(allowed) or "none (final state)")
    incident.refresh_from_db()
    assert (incident.status, incident.version) == (current, version)
    assert JournalEntry.objects.count() == entries


def test_resolving_needs_a_code_and_notes(desk, open_one):
    agent = desk["people"]["agent"]
    incident = bring_to(open_one(), Status.IN_PROGRESS, agent)
    with pytest.raises(ValidationError) as err:
        ops.transition(agent, incident, Status.RESOLVED, resolution_notes="  ")
    assert set(err.value.fields) == {"resolution_code", "resolution_notes"}
    incident.refresh_from_db()
    assert incident.status == Status.IN_PROGRESS


def test_on_hold_needs_a_known_reason(desk, open_one):
    agent = desk["people"]["agent"]
    incident = bring_to(open_one(), Status.IN_PROGRESS, agent)
    for reason in ("", "lunch"):
        with pytest.raises(ValidationError) as err:
            ops.transition(agent, incident, Status.ON_HOLD, hold_reason=reason)
        assert list(err.value.fields) == ["hold_reason"]
    ops.transition(agent, incident, Status.ON_HOLD, hold_reason="awaiting_vendor")
    ops.transition(agent, incident, Status.IN_PROGRESS)
    incident.refresh_from_db()
    assert incident.hold_reason == ""


def test_the_caller_reopens_and_the_count_goes_up(desk, open_one):
    agent, caller = desk["people"]["agent"], desk["people"]["requester"]
    incident = bring_to(open_one(), Status.RESOLVED, agent)

    ops.transition(caller, incident, Status.IN_PROGRESS)

    incident.refresh_from_db()
    assert (incident.status, incident.reopen_count) == (Status.IN_PROGRESS, 1)
    assert incident.resolution_code == "" and incident.resolved_at is None
    entry = JournalEntry.objects.for_record(incident).last()
    assert entry.action == "reopened" and entry.changes["reopen_count"] == [0, 1]


def test_a_requester_may_only_reopen(desk, open_one):
    caller, neighbour = desk["people"]["requester"], desk["people"]["neighbour"]
    incident = open_one()
    with pytest.raises(PermissionDenied):
        ops.transition(caller, incident, Status.IN_PROGRESS)
    bring_to(incident, Status.RESOLVED, desk["people"]["agent"])
    with pytest.raises(PermissionDenied):
        ops.transition(neighbour, incident, Status.IN_PROGRESS)  # same org, not the caller


def test_resolving_a_parent_resolves_its_open_children(desk, open_one):
    agent = desk["people"]["agent"]
    parent = bring_to(open_one(title="Online banking down"), Status.IN_PROGRESS, agent)
    child = open_one(title="Me too", parent=parent)
    closed_child = bring_to(open_one(title="Old", parent=parent), Status.CANCELLED, agent)

    ops.transition(agent, parent, Status.RESOLVED, **CONTEXT[Status.RESOLVED])

    child.refresh_from_db()
    closed_child.refresh_from_db()
    assert child.status == Status.RESOLVED
    assert child.resolution_notes == "Reset the password"
    assert closed_child.status == Status.CANCELLED


def test_resolved_incidents_close_after_the_configured_days(desk, open_one):
    from datetime import timedelta

    from django.utils import timezone

    agent = desk["people"]["agent"]
    old = bring_to(open_one(), Status.RESOLVED, agent)
    Incident.objects.filter(pk=old.pk).update(resolved_at=timezone.now() - timedelta(days=10))
    recent = bring_to(open_one(), Status.RESOLVED, agent)

    assert ops.close_resolved(timezone.now() - timedelta(days=7)) == 1

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, recent.status) == (Status.CLOSED, Status.RESOLVED)


def test_cancelling_keeps_when_on_the_incident(desk, open_one):
    """The backlog KPIs read when an incident left the backlog from the row; the incidents
    cancelled before the column existed take it from the journal (migration 0017)."""
    import importlib

    from django.db import connection

    incident = open_one()
    ops.transition(desk["people"]["agent"], incident, Status.CANCELLED, comment="Raised twice")
    incident.refresh_from_db()
    entry = JournalEntry.objects.for_record(incident).filter(action="status_changed").get()
    assert abs((incident.cancelled_at - entry.at).total_seconds()) < 1  # same transaction
    assert incident.resolved_at is None and incident.closed_at is None

    migration = importlib.import_module("steward.incidents.migrations.0017_incident_cancelled_at")
    Incident.objects.filter(pk=incident.pk).update(cancelled_at=None)  # as before the column
    with connection.cursor() as cursor:
        cursor.execute(migration.BACKFILL)
    incident.refresh_from_db()
    assert incident.cancelled_at == entry.at
