"""The service level pages per role: calendars (weekly hours with split days, days off, a
country's public holidays for a range of years), SLA definitions with escalation rules, the
service owner's sign-off button and the groups' OLAs — through the operations, version-checked
with the conflict shown to the person."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.core.models import JournalEntry
from steward.notifications.models import Notification
from steward.people import operations as people_ops
from steward.people.choices import Role
from steward.slm import operations as ops
from steward.slm.models import Calendar, HolidaySource, OlaDefinition, SlaDefinition

pytestmark = pytest.mark.django_db
HOUR = 3600
WEEK = {"mon": [["09:00", "17:00"]], "tue": [["09:00", "17:00"]]}


@pytest.fixture
def people(world, make_user):
    """World plus a group manager (of Database) and a second service owner."""
    manager = make_user("dbm", roles=[Role.AGENT, Role.GROUP_MANAGER])
    database = people_ops.create_group(None, name="Database", manager=manager, members=[manager])
    other_owner = make_user("other_owner", roles=[Role.AGENT, Role.SERVICE_OWNER])
    return world | {"manager": manager, "database": database, "other_owner": other_owner}


def calendar_post(calendar=None, **overrides) -> dict:
    data = {
        "name": "Office NL",
        "description": "",
        "time_zone": "Europe/Amsterdam",
        "hours_mon": "08:00–12:00, 13:00–17:00",
        "hours_tue": "09:00-17:00",
        "hours_wed": "",
        "hours_thu": "",
        "hours_fri": "09:00 to 13:00",
        "hours_sat": "",
        "hours_sun": "",
        "holidays": "2026-12-24\n2026-12-31",
    }
    if calendar is not None:
        data |= {"version": calendar.version, "seen": 0}
    return data | overrides


@pytest.mark.parametrize(
    "url",
    [
        "/service-levels/",
        "/service-levels/sign-off/",
        "/service-levels/olas/",
        "/service-levels/calendars/",
    ],
)
def test_it_staff_read_the_pages_and_requesters_get_404(people, client_for, url):
    assert client_for(people["people"]["agent"]).get(url).status_code == 200
    assert client_for(people["people"]["requester"]).get(url).status_code == 404


# --- calendars -------------------------------------------------------------------------------


def test_an_administrator_creates_a_calendar_with_split_days(people, client_for):
    admin = client_for(people["people"]["admin"])
    assert admin.get("/service-levels/calendars/new/").status_code == 200
    response = admin.post("/service-levels/calendars/new/", calendar_post())
    calendar = Calendar.objects.get(name="Office NL")
    assert (
        response.status_code == 302
        and response["Location"] == f"/service-levels/calendars/{calendar.pk}/"
    )
    assert calendar.hours["mon"] == [["08:00", "12:00"], ["13:00", "17:00"]]
    assert calendar.hours["fri"] == [["09:00", "13:00"]] and calendar.hours["wed"] == []
    assert sorted(h.date for h in calendar.holiday_rows.all()) == [
        dt.date(2026, 12, 24),
        dt.date(2026, 12, 31),
    ]
    assert JournalEntry.objects.for_record(calendar).filter(action="created").exists()


def test_bad_hours_are_shown_beside_the_day_and_nothing_is_written(people, client_for):
    admin = client_for(people["people"]["admin"])
    unreadable = admin.post("/service-levels/calendars/new/", calendar_post(hours_tue="lunchtime"))
    assert unreadable.status_code == 200
    assert "“lunchtime” is not an interval such as 08:00–12:00." in unreadable.content.decode()
    backwards = admin.post("/service-levels/calendars/new/", calendar_post(hours_mon="17:00–09:00"))
    assert backwards.status_code == 200
    assert "starts at 17:00 but ends at 09:00: the start must come first" in (
        backwards.content.decode()
    )
    assert not Calendar.objects.filter(name="Office NL").exists()


def test_agents_may_not_create_calendars(people, client_for):
    agent = client_for(people["people"]["agent"])
    assert agent.get("/service-levels/calendars/new/").status_code == 403
    assert agent.post("/service-levels/calendars/new/", calendar_post()).status_code == 403


def test_a_group_manager_edits_the_calendar_only_their_group_works(people, client_for):
    admin, manager = people["people"]["admin"], people["manager"]
    own = ops.create_calendar(admin, name="DBA hours", time_zone="UTC", hours=WEEK)
    ops.set_calendar(admin, people["database"], own)
    shared = ops.create_calendar(admin, name="Shared", time_zone="UTC", hours=WEEK)
    storage = people_ops.create_group(None, name="Storage", manager=manager, members=[manager])
    ops.set_calendar(admin, storage, shared)
    ops.set_calendar(admin, people["services"]["retail_live"], shared)  # a service counts on it
    page = client_for(manager)

    html = page.get(f"/service-levels/calendars/{own.pk}/").content.decode()
    assert 'name="hours_mon"' in html and 'name="country"' in html
    response = page.post(
        f"/service-levels/calendars/{own.pk}/",
        calendar_post(own, name="DBA hours", hours_mon="07:00–15:00"),
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.hours["mon"] == [["07:00", "15:00"]] and own.version == 2

    html = page.get(f"/service-levels/calendars/{shared.pk}/").content.decode()
    assert 'name="hours_mon"' not in html  # read only
    response = page.post(f"/service-levels/calendars/{shared.pk}/", calendar_post(shared))
    assert response.status_code == 403
    shared.refresh_from_db()
    assert shared.version == 1


def test_a_stale_calendar_edit_shows_who_changed_it_and_keeps_the_input(people, client_for):
    admin = people["people"]["admin"]
    calendar = ops.create_calendar(admin, name="Office", time_zone="UTC", hours=WEEK)
    read_at = calendar.version
    ops.update_calendar(admin, calendar, version=read_at, description="changed meanwhile")
    response = client_for(admin).post(
        f"/service-levels/calendars/{calendar.pk}/",
        calendar_post(calendar, name="Office", hours_mon="06:00–14:00") | {"version": read_at},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "while you were editing" in html and "06:00–14:00" in html
    calendar.refresh_from_db()
    assert calendar.hours["mon"] == [["09:00", "17:00"]]


def test_a_country_s_public_holidays_for_a_range_of_years(people, client_for):
    admin = people["people"]["admin"]
    calendar = ops.create_calendar(admin, name="Office", time_zone="Europe/Amsterdam", hours=WEEK)
    response = client_for(admin).post(
        f"/service-levels/calendars/{calendar.pk}/holidays/",
        {
            "country": "NL",
            "subdivision": "",
            "year_from": 2026,
            "year_to": 2028,
            "version": calendar.version,
        },
    )
    assert response.status_code == 302
    calendar.refresh_from_db()
    assert calendar.holiday_country == "NL" and calendar.holiday_years == [2026, 2027, 2028]
    imported = calendar.holiday_rows.filter(source=HolidaySource.IMPORTED)
    assert imported.filter(date=dt.date(2027, 4, 27), name__icontains="king").exists()
    assert {d.year for d in imported.values_list("date", flat=True)} == {2026, 2027, 2028}


def test_holiday_import_refuses_bad_years_and_unknown_regions(people, client_for):
    admin = people["people"]["admin"]
    calendar = ops.create_calendar(admin, name="Office", time_zone="UTC", hours=WEEK)
    page = client_for(admin)
    url = f"/service-levels/calendars/{calendar.pk}/holidays/"
    backwards = page.post(
        url, {"country": "NL", "year_from": 2028, "year_to": 2026, "version": calendar.version}
    )
    assert backwards.status_code == 422
    assert "Must not be before the first year." in backwards.content.decode()
    region = page.post(
        url,
        {
            "country": "US",
            "subdivision": "XX",
            "year_from": 2026,
            "year_to": 2026,
            "version": calendar.version,
        },
    )
    assert region.status_code == 422 and "is not a subdivision of US" in region.content.decode()
    assert not calendar.holiday_rows.exists()


# --- SLA definitions and the sign-off ---------------------------------------------------------


def sla_post(definition=None, **overrides) -> dict:
    data = {
        "name": "Banking P2",
        "description": "",
        "priority": "P2",
        "service": "",
        "organization": "",
        "response_hours": "0.5",
        "resolution_hours": "4",
        "calendar": "",
        "thresholds": "50, 75, 90",
        "pause_when_paused": "on",
        "reopen_policy": "continue",
        "is_active": "on",
        "rule-TOTAL_FORMS": "2",
        "rule-INITIAL_FORMS": "0",
        "rule-MIN_NUM_FORMS": "0",
        "rule-MAX_NUM_FORMS": "10",
        "rule-0-metric": "resolution",
        "rule-0-at": "75",
        "rule-0-hand_over": "on",
        "rule-1-metric": "",
        "rule-1-at": "",
    }
    if definition is not None:
        data |= {"version": definition.version, "seen": 0}
    return data | overrides


def test_an_administrator_defines_an_sla_with_targets_and_an_escalation_rule(people, client_for):
    admin = client_for(people["people"]["admin"])
    assert admin.get("/service-levels/slas/new/").status_code == 200
    response = admin.post(
        "/service-levels/slas/new/", sla_post(service=people["services"]["retail_live"].pk)
    )
    definition = SlaDefinition.objects.get(name="Banking P2")
    assert response.status_code == 302
    assert definition.response_seconds == 1800 and definition.resolution_seconds == 4 * HOUR
    assert definition.escalations == [
        {"metric": "resolution", "at": 75, "hand_over": True, "raise_priority": False}
    ]
    listing = admin.get("/service-levels/").content.decode()
    assert "Banking P2" in listing and "1 rule" in listing


def test_a_rule_the_sla_cannot_keep_is_shown_beside_the_rule(people, client_for):
    admin = client_for(people["people"]["admin"])
    response = admin.post(
        "/service-levels/slas/new/",
        sla_post(response_hours="", **{"rule-0-metric": "response"}),
    )
    assert response.status_code == 422
    assert "the SLA sets no response target" in response.content.decode()
    assert not SlaDefinition.objects.exists()


def test_a_service_owner_defines_slas_for_their_own_services_only(people, client_for):
    owner = client_for(people["owner"])
    mine = people["services"]["retail_live"]
    response = owner.post("/service-levels/slas/new/", sla_post(service=mine.pk))
    assert response.status_code == 302
    stranger = client_for(people["other_owner"])
    refused = stranger.post("/service-levels/slas/new/", sla_post(name="X", service=mine.pk))
    assert refused.status_code == 422  # not a service they may choose
    assert not SlaDefinition.objects.filter(name="X").exists()
    assert client_for(people["people"]["agent"]).get("/service-levels/slas/new/").status_code == 403


def test_a_stale_sla_edit_is_refused_with_the_change_shown(people, client_for):
    admin = people["people"]["admin"]
    definition = ops.create_definition(admin, name="Gold", resolution_seconds=HOUR)
    read_at = definition.version
    ops.update_definition(admin, definition, version=read_at, description="meanwhile")
    response = client_for(admin).post(
        f"/service-levels/slas/{definition.pk}/",
        sla_post(definition, name="Gold", resolution_hours="2") | {"version": read_at},
    )
    assert response.status_code == 409
    assert "while you were editing" in response.content.decode()
    definition.refresh_from_db()
    assert definition.resolution_seconds == HOUR


def test_the_service_owner_signs_off_with_a_button(people, client_for):
    admin = people["people"]["admin"]
    service = people["services"]["retail_live"]
    definition = ops.create_definition(admin, name="Gold", service=service, resolution_seconds=HOUR)
    asked = Notification.objects.get(recipient=people["owner"], subject__contains="Gold")
    assert asked.link == f"/service-levels/slas/{definition.pk}/"
    owner = client_for(people["owner"])
    page = owner.get("/service-levels/sign-off/").content.decode()
    assert "Waiting for your sign-off" in page and "Sign “Gold” off" in page
    assert (
        "Sign “Gold” off"
        not in client_for(people["other_owner"])
        .get(f"/service-levels/slas/{definition.pk}/")
        .content.decode()
    )

    response = owner.post(
        f"/service-levels/slas/{definition.pk}/sign-off/",
        {"version": definition.version, "next": "list"},
    )
    assert response.status_code == 302 and response["Location"] == "/service-levels/sign-off/"
    definition.refresh_from_db()
    assert definition.signed_off_by == people["owner"]
    assert (
        "Nothing waits for your sign-off."
        in owner.get("/service-levels/sign-off/").content.decode()
    )


def test_nobody_signs_a_commitment_that_changed_after_they_read_it(people, client_for):
    admin = people["people"]["admin"]
    service = people["services"]["retail_live"]
    definition = ops.create_definition(admin, name="Gold", service=service, resolution_seconds=HOUR)
    read_at = definition.version
    ops.update_definition(admin, definition, version=read_at, resolution_seconds=2 * HOUR)
    owner = client_for(people["owner"])
    response = owner.post(
        f"/service-levels/slas/{definition.pk}/sign-off/", {"version": read_at}, follow=True
    )
    who = admin.display_name
    assert f"was changed by {who} after you read it: nothing was signed" in (
        response.content.decode()
    )
    definition.refresh_from_db()
    assert definition.signed_off_by is None


def test_someone_else_s_sign_off_is_refused(people, client_for):
    admin = people["people"]["admin"]
    service = people["services"]["retail_live"]
    definition = ops.create_definition(admin, name="Gold", service=service, resolution_seconds=HOUR)
    response = client_for(people["other_owner"]).post(
        f"/service-levels/slas/{definition.pk}/sign-off/",
        {"version": definition.version},
        follow=True,
    )
    assert "Only the service owner" in response.content.decode()
    definition.refresh_from_db()
    assert definition.signed_off_by is None


# --- OLAs -------------------------------------------------------------------------------------


def ola_post(**overrides) -> dict:
    return {
        "acceptance_minutes": "20",
        "with_group_hours": "6",
        "thresholds": "75",
        "pause_when_paused": "on",
        "is_active": "on",
    } | overrides


def test_a_group_manager_sets_their_group_s_ola(people, client_for):
    group = people["database"]
    manager = client_for(people["manager"])
    assert (
        f"/service-levels/olas/{group.pk}/" in manager.get("/service-levels/olas/").content.decode()
    )
    response = manager.post(f"/service-levels/olas/{group.pk}/", ola_post())
    assert response.status_code == 302
    ola = OlaDefinition.objects.get(group=group)
    assert ola.handover_acceptance_seconds == 1200 and ola.time_with_group_seconds == 6 * HOUR
    assert ola.thresholds == [75]
    other = client_for(people["people"]["agent"])  # manages Network, not Database
    assert other.post(f"/service-levels/olas/{group.pk}/", ola_post()).status_code == 403


def test_a_stale_ola_edit_is_refused(people, client_for):
    group = people["database"]
    ola = ops.set_ola(people["manager"], group, handover_acceptance_seconds=600)
    read_at = ola.version
    ops.set_ola(people["people"]["admin"], group, version=read_at, handover_acceptance_seconds=900)
    response = client_for(people["manager"]).post(
        f"/service-levels/olas/{group.pk}/", ola_post(version=read_at, seen=0)
    )
    assert response.status_code == 409
    assert "while you were editing" in response.content.decode()
    ola.refresh_from_db()
    assert ola.handover_acceptance_seconds == 900
