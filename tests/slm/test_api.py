"""The calendars API: create, read, change, add, elapsed; roles; bad input in the one shape."""

from __future__ import annotations

import functools
import json

import jsonschema
import pytest

from steward.core.models import JournalEntry
from steward.slm.models import Calendar, CalendarHoliday

pytestmark = pytest.mark.django_db
OFFICE = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}
BODY = {"name": "Amsterdam office", "time_zone": "Europe/Amsterdam", "hours": OFFICE}


@functools.cache
def _spec() -> dict:
    from steward.api import api

    return json.loads(json.dumps(api.get_openapi_schema()))


def conforms(method: str, template: str, status: int, body) -> None:
    """The response matches what the OpenAPI document promises for that status."""
    spec = _spec()
    operation = spec["paths"][f"/api/v1/calendars{template}"][method]
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    jsonschema.Draft202012Validator({**schema, "components": spec["components"]}).validate(body)


def counts():
    return Calendar.objects.count(), CalendarHoliday.objects.count(), JournalEntry.objects.count()


@pytest.fixture
def admin_api(admin_user, api_as):
    return api_as(admin_user)


@pytest.fixture
def office(admin_api):
    status, body = admin_api.post(
        "calendars", {**BODY, "holiday_country": "NL", "holiday_years": [2026]}
    )
    assert status == 201, body
    return body


def test_create_returns_the_calendar_with_its_holidays(admin_api):
    status, body = admin_api.post(
        "calendars",
        {
            **BODY,
            "hours": {"mon": [["13:00", "17:00"], ["08:00", "12:00"]]},
            "holidays": ["2026-12-31"],
            "holiday_country": "NL",
            "holiday_years": [2026],
        },
    )
    assert status == 201, body
    conforms("post", "", 201, body)
    assert body["name"] == "Amsterdam office" and body["version"] == 1
    assert body["hours"]["mon"] == [["08:00", "12:00"], ["13:00", "17:00"]]
    assert body["hours"]["sun"] == []
    assert body["holidays"] == ["2026-12-31"]
    assert {"date": "2026-04-27", "name": "King's Day"} in body["imported_holidays"]
    assert body["is_default"] is False


def test_list_shows_the_default_24x7_calendar_to_agents(office, agent, api_as):
    status, body = api_as(agent).get("calendars")
    assert status == 200
    conforms("get", "", 200, body)
    assert body["count"] == 2
    names = {c["name"]: c for c in body["items"]}
    assert names["24×7"]["is_default"] is True
    assert names["24×7"]["hours"]["sun"] == [["00:00", "24:00"]]
    status, body = api_as(agent).get("calendars", limit=1, offset=1)
    assert (body["count"], len(body["items"])) == (2, 1)


def test_list_reads_in_a_constant_number_of_queries(admin_api, django_assert_max_num_queries):
    for n in range(5):
        assert (
            admin_api.post("calendars", {**BODY, "name": f"C{n}", "holidays": ["2026-01-01"]})[0]
            == 201
        )
    with django_assert_max_num_queries(6):
        status, body = admin_api.get("calendars")
    assert status == 200 and body["count"] == 6


def test_requesters_see_no_calendars(office, requester, api_as):
    client = api_as(requester)
    assert client.get("calendars")[1]["count"] == 0
    assert client.get(f"calendars/{office['id']}")[0] == 404
    assert (
        client.post(
            f"calendars/{office['id']}/add", {"start": "2026-01-09T14:30:00Z", "seconds": 60}
        )[0]
        == 404
    )


@pytest.mark.parametrize("who", ["requester", "agent"])
def test_only_administrators_create(who, request, api_as):
    client = api_as(request.getfixturevalue(who))
    before = counts()
    status, body = client.post("calendars", BODY)
    assert status == 403, body
    assert body["error"]["code"] == "forbidden"
    assert counts() == before


def test_get_one(office, agent, api_as):
    status, body = api_as(agent).get(f"calendars/{office['id']}")
    assert status == 200
    conforms("get", "/{calendar_id}", 200, body)
    assert body == office


def test_patch_changes_and_bumps_the_version(office, admin_api):
    status, body = admin_api.patch(
        f"calendars/{office['id']}",
        {
            "version": 1,
            "name": "Amsterdam",
            "holidays": ["2026-06-01"],
            "holiday_country": None,
            "holiday_years": None,
        },
    )
    assert status == 200, body
    conforms("patch", "/{calendar_id}", 200, body)
    assert body["version"] == 2 and body["name"] == "Amsterdam"
    assert body["holidays"] == ["2026-06-01"]
    assert body["holiday_country"] == "" and body["imported_holidays"] == []
    assert body["holiday_years"] == []


def test_patch_with_a_stale_version_is_a_409_and_writes_nothing(office, admin_api):
    assert admin_api.patch(f"calendars/{office['id']}", {"version": 1, "name": "A"})[0] == 200
    before = counts()
    status, body = admin_api.patch(
        f"calendars/{office['id']}", {"version": 1, "name": "B", "holidays": ["2026-06-01"]}
    )
    assert status == 409, body
    conforms("patch", "/{calendar_id}", 409, body)
    assert body["error"]["code"] == "stale_version" and "version" in body["error"]["fields"]
    assert counts() == before
    assert Calendar.objects.get(pk=office["id"]).name == "A"


def test_patch_needs_a_version_and_refuses_null_hours(office, admin_api):
    status, body = admin_api.patch(f"calendars/{office['id']}", {"name": "No version"})
    assert status == 422 and "version" in body["error"]["fields"]
    status, body = admin_api.patch(f"calendars/{office['id']}", {"version": 1, "hours": None})
    assert status == 422 and "hours" in body["error"]["fields"]


def test_agents_cannot_patch(office, agent, api_as):
    status, _ = api_as(agent).patch(f"calendars/{office['id']}", {"version": 1, "name": "X"})
    assert status == 403


def test_add_and_elapsed(office, agent, api_as):
    client = api_as(agent)
    status, body = client.post(
        f"calendars/{office['id']}/add", {"start": "2026-04-24T13:30:00Z", "seconds": 4 * 3600}
    )
    assert status == 200, body
    conforms("post", "/{calendar_id}/add", 200, body)
    assert body == {"due": "2026-04-28T09:30:00Z"}  # over King's Day; 11:30 CEST
    status, body = client.post(
        f"calendars/{office['id']}/elapsed",
        {"start": "2026-04-24T15:30:00+02:00", "end": body["due"]},
    )
    assert status == 200, body
    conforms("post", "/{calendar_id}/elapsed", 200, body)
    assert body == {"seconds": 4 * 3600}


def test_add_zero_is_the_start_and_a_saturday_start_counts_from_monday(office, admin_api):
    url = f"calendars/{office['id']}/add"
    assert admin_api.post(url, {"start": "2026-01-10T10:00:00Z", "seconds": 0})[1] == {
        "due": "2026-01-10T10:00:00Z"
    }
    assert admin_api.post(url, {"start": "2026-01-10T10:00:00Z", "seconds": 60})[1] == {
        "due": "2026-01-12T08:01:00Z"
    }


def test_arithmetic_on_an_unknown_calendar_is_a_404(admin_api):
    status, body = admin_api.post(
        "calendars/999999/add", {"start": "2026-01-10T10:00:00Z", "seconds": 1}
    )
    assert status == 404 and body["error"]["code"] == "not_found"


CREATE_CASES = [
    ({"hours": {"mon": [["09:00", "25:00"]]}}, "hours.mon[0]"),
    ({"hours": {"mon": [["08:00", "12:00"], ["11:00", "17:00"]]}}, "hours.mon[1]"),
    ({"hours": {"mon": [["24:00", "24:00"]]}}, "hours.mon[0]"),
    ({"hours": {"someday": [["09:00", "17:00"]]}}, "hours.someday"),
    ({"hours": {"mon": [[9, 17]]}}, "hours.mon.0.0"),
    ({"time_zone": "Mars/Olympus"}, "time_zone"),
    ({"holidays": ["2026-02-30"]}, "holidays.0"),
    ({"holiday_country": "XX", "holiday_years": [2026]}, "holiday_country"),
    ({"holiday_country": "NL"}, "holiday_years"),
    ({"name": ""}, "name"),
    ({"colour": "red"}, "colour"),
]


@pytest.mark.parametrize("change,field", CREATE_CASES)
def test_bad_input_to_create_is_a_422_naming_the_field(admin_api, change, field):
    before = counts()
    status, body = admin_api.post("calendars", {**BODY, **change})
    assert status == 422, body
    conforms("post", "", 422, body)
    assert field in body["error"]["fields"], body
    assert counts() == before


def test_a_duplicate_name_is_a_422_naming_it(office, admin_api):
    before = counts()
    status, body = admin_api.post("calendars", BODY)
    assert status == 422 and "name" in body["error"]["fields"]
    assert counts() == before


@pytest.mark.parametrize(
    "change,field",
    [
        ({"hours": {"tue": [["10:00", "09:00"]]}}, "hours.tue[0]"),
        ({"time_zone": "Nowhere"}, "time_zone"),
        ({"is_default": True}, "is_default"),
    ],
)
def test_bad_input_to_patch_is_a_422_and_writes_nothing(office, admin_api, change, field):
    before = counts()
    status, body = admin_api.patch(f"calendars/{office['id']}", {"version": 1, **change})
    assert status == 422, body
    assert field in body["error"]["fields"], body
    assert counts() == before
    assert Calendar.objects.get(pk=office["id"]).version == 1


@pytest.mark.parametrize(
    "path,body,field",
    [
        ("add", {"start": "2026-01-10T10:00:00Z", "seconds": -1}, "seconds"),
        ("add", {"start": "2026-01-10T10:00:00", "seconds": 1}, "start"),
        ("add", {"start": "yesterday", "seconds": 1}, "start"),
        ("add", {"start": "2026-01-10T10:00:00Z"}, "seconds"),
        ("add", {"start": "2026-01-10T10:00:00Z", "seconds": 1, "extra": 1}, "extra"),
        ("add", {"start": "9999-01-10T10:00:00Z", "seconds": 1}, "start"),
        ("add", {"start": "2026-01-10T10:00:00Z", "seconds": 10**12}, "seconds"),
        ("elapsed", {"start": "2026-01-10T10:00:00Z", "end": "2026-01-09T10:00:00Z"}, "end"),
        ("elapsed", {"start": "2026-01-10T10:00:00Z", "end": "2026-01-11T10:00:00"}, "end"),
    ],
)
def test_bad_arithmetic_input_is_a_422_naming_the_field(office, admin_api, path, body, field):
    status, response = admin_api.post(f"calendars/{office['id']}/{path}", body)
    assert status == 422, response
    assert field in response["error"]["fields"], response
