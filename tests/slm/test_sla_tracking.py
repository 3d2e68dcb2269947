"""SLA definitions and clocks on tickets: matching, pausing, priority changes, reopen policies,
warnings and breaches journaled and escalated once each, and ledgers that add up."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.core.models import JournalEntry
from steward.notifications.models import Notification
from steward.slm import operations as ops
from steward.slm import records
from steward.slm.matching import match_definition
from steward.slm.models import Calendar, SlaClock
from tests.slm.helpers import AMS

pytestmark = pytest.mark.django_db
HOUR = 3600
OFFICE = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}


def t(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=AMS).astimezone(dt.UTC)


@pytest.fixture
def office(admin_user):
    return ops.create_calendar(
        admin_user,
        name="Office NL",
        time_zone="Europe/Amsterdam",
        hours=OFFICE | {"sat": [], "sun": []},
        holidays=[dt.date(2026, 4, 27)],
    )


@pytest.fixture
def sla(admin_user, office, world):
    return ops.create_definition(
        admin_user,
        name="Standard",
        priority="",
        calendar=office,
        response_seconds=2 * HOUR,
        resolution_seconds=8 * HOUR,
    )


class Ticket:
    """A stand-in practice registered as the tracked record type "ticket" (the service owner is
    the one to tell, at every level)."""

    def __init__(self, world):
        self.world = world

    def register(self):
        owner = self.world["owner"]
        records.register(
            records.TrackedType(
                key="ticket",
                instance=lambda rid: owner,
                label=lambda inst: "TCK1 Printer on fire",
                link=lambda inst: "/tickets/1",
                recipients=lambda inst, level: [owner],
            )
        )


def clocks(record_id="1"):
    return {c.metric: c for c in SlaClock.objects.filter(record_type="ticket", record_id=record_id)}


def test_the_most_specific_definition_wins(admin_user, office, world):
    service = world["services"]["retail_live"]
    org = world["orgs"]["retail"]
    generic = ops.create_definition(
        admin_user, name="Any", resolution_seconds=HOUR, record_type="ticket"
    )
    p1 = ops.create_definition(
        admin_user, name="P1", priority="P1", resolution_seconds=HOUR, record_type="ticket"
    )
    by_org = ops.create_definition(
        admin_user, name="Retail", organization=org, resolution_seconds=HOUR, record_type="ticket"
    )
    by_service = ops.create_definition(
        admin_user, name="Banking", service=service, resolution_seconds=HOUR, record_type="ticket"
    )
    assert match_definition("ticket", priority="P3") == generic
    assert match_definition("ticket", priority="P1") == p1
    assert match_definition("ticket", priority="P1", organization_id=org.pk) == by_org
    assert (
        match_definition("ticket", priority="P1", organization_id=org.pk, service_id=service.pk)
        == by_service
    )
    assert match_definition("incident", priority="P1") is None


def test_clocks_start_with_due_times_on_the_business_calendar(sla, world):
    ops.track(
        "incident", 1, at=t(2026, 4, 24, 15, 30), category="open", status="New", priority="P3"
    )
    rows = {c.metric: c for c in SlaClock.objects.filter(record_id="1")}
    assert rows["response"].due_at == t(2026, 4, 28, 9, 30)  # Friday 15:30 + 2h, King's Day
    assert rows["resolution"].due_at == t(2026, 4, 28, 15, 30)
    assert JournalEntry.objects.filter(action="sla_started").count() == 1


def test_response_stops_at_first_response_and_resolution_at_resolved(sla):
    ops.track("incident", 1, at=t(2026, 3, 2, 9, 0), category="open", status="New")
    ops.track(
        "incident",
        1,
        at=t(2026, 3, 2, 10, 0),
        category="open",
        status="In Progress",
        responded=True,
    )
    ops.track("incident", 1, at=t(2026, 3, 2, 16, 0), category="resolved", status="Resolved")
    rows = {c.metric: c for c in SlaClock.objects.filter(record_id="1")}
    assert rows["response"].state == "met" and rows["response"].elapsed_seconds == HOUR
    assert rows["resolution"].state == "met" and rows["resolution"].elapsed_seconds == 7 * HOUR


def test_on_hold_pauses_and_moves_the_due_time(sla):
    ops.track("incident", 1, at=t(2026, 3, 2, 9, 0), category="open", status="New", responded=True)
    ops.track(
        "incident", 1, at=t(2026, 3, 2, 11, 0), category="paused", status="On Hold: awaiting caller"
    )
    row = SlaClock.objects.get(record_id="1", metric="resolution")
    assert row.state == "paused" and row.due_at is None
    ops.track("incident", 1, at=t(2026, 3, 3, 10, 0), category="open", status="In Progress")
    row.refresh_from_db()
    assert row.paused_seconds == 7 * HOUR
    assert row.due_at == t(2026, 3, 3, 16, 0)
    reasons = list(row.segments.values_list("kind", "reason"))
    assert ("paused", "status On Hold: awaiting caller") in reasons


def test_a_definition_that_does_not_pause_keeps_counting_on_hold(admin_user, office):
    ops.create_definition(
        admin_user,
        name="Strict",
        calendar=office,
        resolution_seconds=8 * HOUR,
        pause_when_paused=False,
    )
    ops.track("incident", 1, at=t(2026, 3, 2, 9, 0), category="open", status="New")
    ops.track("incident", 1, at=t(2026, 3, 2, 11, 0), category="paused", status="On Hold")
    row = SlaClock.objects.get(record_id="1")
    assert row.state == "running" and row.due_at == t(2026, 3, 2, 17, 0)


def test_priority_change_applies_the_new_target_and_keeps_elapsed(admin_user, office):
    ops.create_definition(
        admin_user, name="P3", priority="P3", calendar=office, resolution_seconds=8 * HOUR
    )
    ops.create_definition(
        admin_user, name="P2", priority="P2", calendar=office, resolution_seconds=4 * HOUR
    )
    ops.create_definition(
        admin_user, name="P1", priority="P1", calendar=office, resolution_seconds=2 * HOUR
    )
    ops.track("incident", 1, at=t(2026, 3, 2, 9, 0), category="open", priority="P3")
    ops.track("incident", 1, at=t(2026, 3, 2, 10, 0), category="open", priority="P2")
    row = SlaClock.objects.get(record_id="1")
    assert row.target_seconds == 4 * HOUR and row.elapsed_seconds == HOUR
    assert row.due_at == t(2026, 3, 2, 13, 0)
    assert row.segments.filter(reason="priority changed from P3 to P2").exists()
    ops.track("incident", 1, at=t(2026, 3, 2, 12, 0), category="open", priority="P1")
    row.refresh_from_db()
    assert row.state == "breached" and row.breached_at == t(2026, 3, 2, 12, 0)


@pytest.mark.parametrize(
    "policy,elapsed,due",
    [
        ("continue", 3 * HOUR, (2026, 3, 3, 14, 0)),
        ("restart", 0, (2026, 3, 3, 17, 0)),
    ],
)
def test_reopen_continues_or_restarts_the_resolution_clock(
    admin_user, office, policy, elapsed, due
):
    ops.create_definition(
        admin_user, name="S", calendar=office, resolution_seconds=8 * HOUR, reopen_policy=policy
    )
    ops.track("incident", 1, at=t(2026, 3, 2, 9, 0), category="open")
    ops.track("incident", 1, at=t(2026, 3, 2, 12, 0), category="resolved")
    ops.track("incident", 1, at=t(2026, 3, 3, 9, 0), category="open", status="Reopened")
    row = SlaClock.objects.get(record_id="1")
    assert row.state == "running" and row.elapsed_seconds == elapsed
    assert row.due_at == t(*due)


def test_warnings_and_breach_fire_once_each_journaled_and_escalated(admin_user, office, world):
    Ticket(world).register()
    ops.create_definition(
        admin_user, name="S", record_type="ticket", calendar=office, resolution_seconds=4 * HOUR
    )
    ops.track("ticket", 1, at=t(2026, 3, 2, 9, 0), category="open", status="New")
    row = clocks()["resolution"]
    assert row.next_alert_at == t(2026, 3, 2, 11, 0)  # 50%
    assert ops.check_clocks(t(2026, 3, 2, 10, 59)) == 0
    assert ops.check_clocks(t(2026, 3, 2, 12, 15)) == 2  # 50% and 75%
    assert ops.check_clocks(t(2026, 3, 2, 12, 16)) == 0
    assert ops.check_clocks(t(2026, 3, 2, 13, 30)) == 2  # 90% and the breach
    assert ops.check_clocks(t(2026, 3, 2, 16, 0)) == 0
    row.refresh_from_db()
    assert row.thresholds_fired == [50, 75, 90, 100]
    assert row.state == "breached" and row.breached_at == t(2026, 3, 2, 13, 0)
    owner = world["owner"]
    actions = list(
        JournalEntry.objects.for_record(owner)
        .filter(action__startswith="sla_")
        .values_list("action", flat=True)
    )
    assert actions.count("sla_warning") == 3 and actions.count("sla_breached") == 1
    subjects = list(
        Notification.objects.filter(recipient=owner, subject__startswith="SLA")
        .order_by("id")
        .values_list("subject", flat=True)
    )
    assert subjects == [
        "SLA 50% used: TCK1 Printer on fire",
        "SLA 75% used: TCK1 Printer on fire",
        "SLA 90% used: TCK1 Printer on fire",
        "SLA breached: TCK1 Printer on fire",
    ]
    assert sum(row.segments.values_list("counted_seconds", flat=True)) == row.elapsed_seconds


def test_a_paused_clock_raises_no_alert(admin_user, office, world):
    Ticket(world).register()
    ops.create_definition(
        admin_user, name="S", record_type="ticket", calendar=office, resolution_seconds=HOUR
    )
    ops.track("ticket", 1, at=t(2026, 3, 2, 9, 0), category="open")
    ops.track("ticket", 1, at=t(2026, 3, 2, 9, 10), category="paused", status="On Hold")
    assert ops.check_clocks(t(2026, 3, 9, 9, 0)) == 0
    assert clocks()["resolution"].breached_at is None


def test_every_ledger_sums_to_elapsed(sla):
    events = [
        ((2026, 4, 24, 15, 0), "open", "New", False),
        ((2026, 4, 24, 16, 0), "open", "In Progress", True),
        ((2026, 4, 28, 10, 0), "paused", "On Hold", False),
        ((2026, 4, 29, 9, 30), "open", "In Progress", False),
        ((2026, 4, 29, 11, 0), "resolved", "Resolved", False),
    ]
    for when, category, status, responded in events:
        ops.track("incident", 7, at=t(*when), category=category, status=status, responded=responded)
    for row in SlaClock.objects.filter(record_id="7"):
        assert sum(row.segments.values_list("counted_seconds", flat=True)) == row.elapsed_seconds


def test_sign_off_is_the_service_owners_and_a_changed_target_withdraws_it(
    admin_user, office, world
):
    from steward.core.errors import PermissionDenied

    service = world["services"]["retail_live"]
    d = ops.create_definition(admin_user, name="Banking", service=service, resolution_seconds=HOUR)
    with pytest.raises(PermissionDenied):
        ops.sign_off(world["people"]["agent"], d)
    ops.sign_off(world["owner"], d)
    d.refresh_from_db()
    assert d.signed_off_by == world["owner"] and d.signed_off_at is not None
    ops.update_definition(admin_user, d, version=d.version, resolution_seconds=2 * HOUR)
    d.refresh_from_db()
    assert d.signed_off_by is None


def test_a_definition_needs_a_target(admin_user):
    from steward.core.errors import ValidationError

    with pytest.raises(ValidationError) as info:
        ops.create_definition(admin_user, name="Empty")
    assert "resolution_seconds" in info.value.fields


def test_services_can_point_to_a_calendar(admin_user, world, office):
    from steward.slm.matching import calendar_for

    service = world["services"]["retail_live"]
    d = ops.create_definition(admin_user, name="Any", resolution_seconds=HOUR)
    assert calendar_for(d, service.pk) == Calendar.objects.default()
    ops.set_calendar(admin_user, service, office)
    assert calendar_for(d, service.pk) == office


def test_an_sla_not_signed_off_is_an_ownership_gap_until_the_owner_signs(admin_user, world):
    from steward.ownership import gaps

    service = world["services"]["retail_live"]
    d = ops.create_definition(admin_user, name="Banking", service=service, resolution_seconds=HOUR)
    found = [g for g in gaps.collect() if g["kind"] == "sla_not_signed_off"]
    assert [(g["record"]["name"], g["fix_by"]["name"]) for g in found] == [
        ("Banking", world["owner"].display_name)
    ]
    ops.sign_off(world["owner"], d)
    assert not [g for g in gaps.collect() if g["kind"] == "sla_not_signed_off"]
