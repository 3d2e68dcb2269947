"""OLAs: handover acceptance and time with group, in business time on the group's calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.core.errors import PermissionDenied, ValidationError
from steward.notifications.models import Notification
from steward.slm import operations as ops
from steward.slm.models import SlaClock
from tests.slm.helpers import AMS

pytestmark = pytest.mark.django_db
HOUR = 3600
OFFICE = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}


def t(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=AMS).astimezone(dt.UTC)


@pytest.fixture
def network(world, admin_user):
    group = world["group"]  # Network, managed by "agent"
    office = ops.create_calendar(
        admin_user,
        name="Office",
        time_zone="Europe/Amsterdam",
        hours=OFFICE | {"sat": [], "sun": []},
    )
    ops.set_calendar(admin_user, group, office)
    ops.set_ola(
        world["people"]["agent"],
        group,
        handover_acceptance_seconds=HOUR // 2,
        time_with_group_seconds=8 * HOUR,
    )
    return group


def test_the_group_manager_or_an_admin_sets_the_ola(world, network):
    with pytest.raises(PermissionDenied):
        ops.set_ola(world["owner"], network, time_with_group_seconds=HOUR)
    with pytest.raises(ValidationError) as info:
        ops.set_ola(world["people"]["admin"], network, time_with_group_seconds=0)
    assert "time_with_group_seconds" in info.value.fields


def test_handover_acceptance_counts_in_the_groups_business_time(network):
    clock = ops.start_ola("incident", 1, network, "handover_acceptance", at=t(2026, 3, 6, 16, 45))
    assert clock.due_at == t(2026, 3, 9, 9, 15)  # Friday 16:45 + 30 working minutes
    (stopped,) = ops.stop_ola(
        "incident", 1, network, "handover_acceptance", at=t(2026, 3, 9, 9, 10)
    )
    assert stopped.state == "met" and stopped.elapsed_seconds == 25 * 60


def test_a_late_acceptance_breaches_and_the_manager_is_told_once(network, world):
    ops.start_ola("incident", 1, network, "handover_acceptance", at=t(2026, 3, 2, 9, 0))
    assert ops.check_clocks(t(2026, 3, 2, 10, 0)) == 4  # 50, 75, 90 and the breach
    assert ops.check_clocks(t(2026, 3, 2, 11, 0)) == 0
    (row,) = ops.stop_ola("incident", 1, network, "handover_acceptance", at=t(2026, 3, 2, 11, 0))
    assert row.state == "breached"
    subjects = list(
        Notification.objects.filter(recipient=world["people"]["agent"]).values_list(
            "subject", flat=True
        )
    )
    assert sum("OLA breached" in s for s in subjects) == 1


def test_time_with_group_pauses_on_hold_and_stops_when_resolved(network):
    ops.start_ola("incident", 1, network, "time_with_group", at=t(2026, 3, 2, 9, 0))
    ops.track("incident", 1, at=t(2026, 3, 2, 10, 0), category="paused", status="On Hold")
    ops.track("incident", 1, at=t(2026, 3, 2, 14, 0), category="open", status="In Progress")
    ops.track("incident", 1, at=t(2026, 3, 2, 15, 0), category="resolved", status="Resolved")
    row = SlaClock.objects.get(metric="time_with_group")
    assert row.state == "met" and row.elapsed_seconds == 2 * HOUR
    assert row.paused_seconds == 4 * HOUR


def test_a_group_without_an_ola_gets_no_clock(world):
    assert ops.start_ola("incident", 1, world["group"], "time_with_group") is None


def test_ola_api(world, api_as, network):
    manager = api_as(world["people"]["agent"])
    status, body = manager.put(
        f"olas/{network.pk}",
        {"time_with_group_seconds": 4 * HOUR, "handover_acceptance_seconds": 900},
    )
    assert status == 200 and body["time_with_group_seconds"] == 4 * HOUR
    assert (
        api_as(world["owner"]).put(f"olas/{network.pk}", {"time_with_group_seconds": 60})[0] == 403
    )
    status, body = manager.put(f"olas/{network.pk}", {"time_with_group_seconds": -1})
    assert status == 422 and "time_with_group_seconds" in body["error"]["fields"]
    status, body = api_as(world["people"]["agent"], "read").get("olas")
    assert [o["group_name"] for o in body["items"]] == ["Network"]
    assert api_as(world["people"]["requester"], "read").get(f"olas/{network.pk}")[0] == 404


def test_calendars_are_assigned_to_services_groups_and_people(world, api_as, admin_user):
    office = ops.create_calendar(
        admin_user,
        name="Office 2",
        time_zone="Europe/Amsterdam",
        hours=OFFICE | {"sat": [], "sun": []},
    )
    admin = api_as(world["people"]["admin"])
    service, group, person = world["services"]["retail_live"], world["group"], world["owner"]
    status, body = admin.post(
        f"calendars/{office.pk}/assignments",
        {"services": [service.pk], "groups": [group.pk], "users": [person.pk]},
    )
    assert status == 200
    assert body == {
        "calendar": office.pk,
        "services": [service.pk],
        "groups": [group.pk],
        "users": [person.pk],
    }
    from steward.slm.matching import calendar_for

    d = ops.create_definition(admin_user, name="Any", resolution_seconds=HOUR)
    assert calendar_for(d, service.pk) == office
    status, body = admin.post(f"calendars/{office.pk}/assignments", {"groups": [999999]})
    assert status == 422 and "groups" in body["error"]["fields"]
    # a member who does not manage the group may not; the group's manager (agent) may, for
    # their own group only (not for a service)
    status, _ = api_as(world["owner"]).post(
        f"calendars/{office.pk}/assignments", {"groups": [group.pk]}
    )
    assert status == 403
    status, _ = api_as(world["people"]["agent"]).post(
        f"calendars/{office.pk}/assignments", {"services": [service.pk]}
    )
    assert status == 403
    status, _ = api_as(world["people"]["agent"]).post(
        f"calendars/{office.pk}/assignments", {"groups": [group.pk]}
    )
    assert status == 200


def test_a_calendar_is_assigned_to_many_records_in_one_operation(world, admin_user):
    from steward.core.models import JournalEntry
    from steward.slm.models import GroupCalendar, ServiceCalendar

    office = ops.create_calendar(
        admin_user, name="Office 3", time_zone="Europe/Amsterdam", hours=OFFICE
    )
    service, group = world["services"]["retail_live"], world["group"]
    with pytest.raises(PermissionDenied):
        ops.assign_calendar(world["people"]["agent"], office, [service])
    with pytest.raises(KeyError):  # a calendar is no service, group or user: nothing is kept
        ops.assign_calendar(admin_user, office, [service, office])
    assert not ServiceCalendar.objects.filter(service=service).exists()

    ops.assign_calendar(admin_user, office, [service, group])

    assert ServiceCalendar.objects.get(service=service).calendar == office
    assert GroupCalendar.objects.get(group=group).calendar == office
    for target in (service, group):
        entry = JournalEntry.objects.for_record(target).filter(action="calendar_set").get()
        assert entry.changes == {"calendar": [None, "Office 3"]}
