"""Which calendar a support group or a service works, chosen on the pages: a group's manager
(or an administrator) on the group's page, an administrator for several services and groups at
once on the calendar's page — through the operation ``assign_calendar``, which enforces who."""

from __future__ import annotations

import pytest
from django.urls import reverse

from steward.core.errors import PermissionDenied
from steward.core.models import JournalEntry
from steward.people import operations as people_ops
from steward.people.choices import Role
from steward.slm import operations as ops
from steward.slm import rules
from steward.slm.models import Calendar, GroupCalendar, ServiceCalendar, UserCalendar

pytestmark = pytest.mark.django_db
OFFICE = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}
PREFIX = "group-calendar-"


@pytest.fixture
def desk(world, make_user):
    """World plus the manager of Database and two calendars."""
    admin = world["people"]["admin"]
    manager = make_user("dbm", roles=[Role.AGENT, Role.GROUP_MANAGER])
    database = people_ops.create_group(None, name="Database", manager=manager, members=[manager])
    office = ops.create_calendar(
        admin, name="Office NL", time_zone="Europe/Amsterdam", hours=OFFICE
    )
    late = ops.create_calendar(admin, name="Late shift", time_zone="UTC", hours=OFFICE)
    return world | {"manager": manager, "database": database, "office": office, "late": late}


def group_url(group) -> str:
    return reverse("people:group_detail", args=[group.pk])


def calendar_of(group):
    link = GroupCalendar.objects.filter(group=group).first()
    return link.calendar if link else None


# --- the operation and its rule --------------------------------------------------------------


def test_a_group_manager_points_their_own_group_and_only_it(desk):
    manager, database, office = desk["manager"], desk["database"], desk["office"]
    ops.assign_calendar(manager, office, [database])
    assert calendar_of(database) == office
    entry = JournalEntry.objects.for_record(database).get(action="calendar_set")
    assert entry.actor == manager and entry.changes == {"calendar": [None, "Office NL"]}

    for target in (desk["group"], desk["services"]["retail_live"], manager):
        with pytest.raises(PermissionDenied):
            ops.assign_calendar(manager, desk["late"], [target])
    # all or none: their own group is not moved when another target is refused
    with pytest.raises(PermissionDenied):
        ops.assign_calendar(manager, desk["late"], [database, desk["group"]])
    assert calendar_of(database) == office and calendar_of(desk["group"]) is None
    assert not UserCalendar.objects.exists() and not ServiceCalendar.objects.exists()

    ops.assign_calendar(manager, None, [database])  # back to the default
    assert calendar_of(database) is None


def test_other_it_staff_assign_no_calendar_and_administrators_any(desk):
    owner = desk["owner"]  # a member of Network, not its manager
    with pytest.raises(PermissionDenied):
        ops.assign_calendar(owner, desk["office"], [desk["database"]])
    assert not GroupCalendar.objects.exists()
    ops.assign_calendar(desk["people"]["admin"], desk["office"], [desk["database"]])
    assert calendar_of(desk["database"]) == desk["office"]


@pytest.mark.parametrize(
    "who,expected", [("admin", True), ("manager", True), ("agent", False), ("owner", False)]
)
def test_the_pages_offer_the_calendar_form_to_whom_the_rule_allows(desk, who, expected):
    user = desk["manager"] if who == "manager" else desk.get(who) or desk["people"][who]
    assert ("assign_calendar" in rules.allowed_actions(user, desk["database"])) is expected
    assert rules.may_assign_calendar(user, desk["database"]) is expected


# --- the group's page ------------------------------------------------------------------------


def test_the_manager_changes_their_group_s_calendar_on_its_page(desk, client_for):
    client = client_for(desk["manager"])
    html = client.get(group_url(desk["database"])).content.decode()
    assert "Calendar and OLA" in html and "Change the calendar" in html
    assert (
        "the default" in html and f'href="{reverse("slm:ola", args=[desk["database"].pk])}"' in html
    )

    url = reverse("slm:group_calendar", args=[desk["database"].pk])
    response = client.post(url, {f"{PREFIX}calendar": desk["office"].pk})
    assert response.status_code == 302 and response["Location"] == group_url(desk["database"])
    assert calendar_of(desk["database"]) == desk["office"]
    html = client.get(group_url(desk["database"])).content.decode()
    assert "Database now works the calendar “Office NL”." in html
    assert f'href="{reverse("slm:calendar", args=[desk["office"].pk])}">Office NL</a>' in html

    default = Calendar.objects.default()
    client.post(url, {f"{PREFIX}calendar": default.pk})  # the default: no calendar of its own
    assert calendar_of(desk["database"]) is None


def test_the_group_page_shows_the_ola_targets(desk, client_for):
    ops.set_ola(
        desk["manager"],
        desk["database"],
        handover_acceptance_seconds=30 * 60,
        time_with_group_seconds=8 * 3600,
    )
    html = client_for(desk["people"]["agent"]).get(group_url(desk["database"])).content.decode()
    assert "30 working minutes" in html and "8 working hours" in html
    assert "Change the calendar" not in html  # not the manager of Database


@pytest.mark.parametrize("value", ["", "999999", "office"])
def test_a_choice_the_page_did_not_offer_changes_nothing(desk, client_for, value):
    ops.assign_calendar(desk["manager"], desk["office"], [desk["database"]])
    client = client_for(desk["manager"])
    url = reverse("slm:group_calendar", args=[desk["database"].pk])
    response = client.post(url, {f"{PREFIX}calendar": value}, follow=True)
    assert "nothing was changed" in response.content.decode()
    assert calendar_of(desk["database"]) == desk["office"]


def test_others_cannot_change_a_group_s_calendar(desk, client_for):
    url = reverse("slm:group_calendar", args=[desk["database"].pk])
    data = {f"{PREFIX}calendar": desk["office"].pk}
    assert client_for(desk["people"]["agent"]).post(url, data).status_code == 403
    assert client_for(desk["people"]["requester"]).post(url, data).status_code == 404
    assert client_for(desk["people"]["agent"]).get(url).status_code == 405
    assert not GroupCalendar.objects.exists()


def test_requesters_see_no_calendar_panel(desk, client_for):
    response = client_for(desk["people"]["requester"]).get(group_url(desk["database"]))
    assert "Calendar and OLA" not in response.content.decode()


# --- the calendar's page ---------------------------------------------------------------------


def test_an_administrator_assigns_services_and_groups_on_the_calendar_page(desk, client_for):
    admin = client_for(desk["people"]["admin"])
    office, banking = desk["office"], desk["services"]["retail_live"]
    page = reverse("slm:calendar", args=[office.pk])
    assert "Assign this calendar" in admin.get(page).content.decode()

    response = admin.post(
        reverse("slm:calendar_assign", args=[office.pk]),
        {"services": [banking.pk], "groups": [desk["database"].pk, desk["group"].pk]},
    )
    assert response.status_code == 302 and response["Location"] == page
    assert ServiceCalendar.objects.get(service=banking).calendar == office
    assert calendar_of(desk["database"]) == office and calendar_of(desk["group"]) == office
    html = admin.get(page).content.decode()
    assert "3 services and groups now work “Office NL”." in html
    assert 'Remove<span class="visually-hidden"> Online Banking</span>' in html

    response = admin.post(
        reverse("slm:calendar_release", args=[office.pk]), {"group": desk["group"].pk}
    )
    assert response.status_code == 302 and calendar_of(desk["group"]) is None
    assert calendar_of(desk["database"]) == office
    entry = JournalEntry.objects.for_record(desk["group"]).filter(action="calendar_set").last()
    assert entry.changes == {"calendar": ["Office NL", None]}


@pytest.mark.parametrize(
    "data,message",
    [
        ({}, "Choose at least one service or support group."),
        ({"groups": ["999999"]}, "Select a valid choice."),
        ({"services": ["x"]}, "is not a valid value."),
    ],
)
def test_bad_assignments_are_refused_on_the_page_and_change_nothing(
    desk, client_for, data, message
):
    office = desk["office"]
    response = client_for(desk["people"]["admin"]).post(
        reverse("slm:calendar_assign", args=[office.pk]), data
    )
    assert response.status_code == 422 and message in response.content.decode()
    assert not GroupCalendar.objects.exists() and not ServiceCalendar.objects.exists()


def test_a_release_of_something_that_does_not_work_the_calendar_changes_nothing(desk, client_for):
    ops.assign_calendar(desk["people"]["admin"], desk["late"], [desk["database"]])
    response = client_for(desk["people"]["admin"]).post(
        reverse("slm:calendar_release", args=[desk["office"].pk]), {"group": desk["database"].pk}
    )
    assert response.status_code == 422
    assert "does not work this calendar" in response.content.decode()
    assert calendar_of(desk["database"]) == desk["late"]


@pytest.mark.parametrize("who", ["manager", "agent"])
def test_only_administrators_assign_from_the_calendar_page(desk, client_for, who):
    user = desk["manager"] if who == "manager" else desk["people"][who]
    client = client_for(user)
    office = desk["office"]
    assert (
        "Assign this calendar"
        not in client.get(reverse("slm:calendar", args=[office.pk])).content.decode()
    )
    # not even their own group: the calendar page is the administrators' tool
    data = {"groups": [desk["database"].pk]}
    assert client.post(reverse("slm:calendar_assign", args=[office.pk]), data).status_code == 403
    assert (
        client.post(
            reverse("slm:calendar_release", args=[office.pk]), {"group": desk["database"].pk}
        ).status_code
        == 403
    )
    assert not GroupCalendar.objects.exists()
