"""GET /api/v1/kpis and /api/v1/kpis/{key}: the shape the issue spells, IT staff only, strict
input in the one error shape, and the practice switch."""

from __future__ import annotations

import pytest

from steward.core import operations as core_ops
from steward.core import practices
from steward.core.kpis import enabled_kpis
from tests.reporting.conftest import switch_off

pytestmark = pytest.mark.django_db

MARCH = {"from": "2026-03-01T00:00:00Z", "to": "2026-04-01T00:00:00Z"}


def test_the_catalogue_lists_each_kpi_with_its_definition(month, api_as):
    status, data = api_as(month["people"]["agent"]).get("kpis")
    assert status == 200
    by_key = {k["key"]: k for k in data["items"]}
    # every practice that is on brings its own (problems too): incidents bring these 20
    assert data["count"] == len(by_key) == len(enabled_kpis())
    incidents = {k.key for k in practices.get("incidents").kpis}
    assert len(incidents) == 20 and incidents <= set(by_key)
    mttr = by_key["incident_mttr"]
    assert mttr["unit"] == "hours" and mttr["good"] == "down"
    assert mttr["dimensions"] == ["service", "group", "priority", "organization"]
    assert mttr["group_by"][-3:] == ["day", "week", "month"]
    assert mttr["formula"] and mttr["description"] and mttr["records"] == "incidents"
    assert by_key["incident_backlog"]["snapshot"] is True


def test_one_kpi_with_value_previous_and_series(month, api_as):
    status, data = api_as(month["people"]["agent"]).get(
        "kpis/incidents_raised", **MARCH, group_by="service"
    )
    assert status == 200
    assert {"key", "value", "unit", "series", "previous"} <= set(data)
    assert data["key"] == "incidents_raised" and data["unit"] == "count"
    assert data["value"] == 6 and data["previous"] == 2 and data["change"] == 4
    assert data["from"].startswith("2026-03-01") and data["previous_from"].startswith("2026-01-29")
    series = {p["label"]: (p["value"], p["count"]) for p in data["series"]}
    assert series == {"Online Banking": (3, 3), "Treasury": (2, 2), "(none)": (1, 1)}


def test_filters_and_time_series_through_the_api(month, api_as):
    api = api_as(month["people"]["agent"])
    _, data = api.get(
        "kpis/incident_mttr", **MARCH, priority="3", group=str(month["groups"]["desk"].pk)
    )
    assert data["value"] == pytest.approx(round((4 + 26 + 313) / 3, 2))  # A B D
    assert data["filters"] == {"group": month["groups"]["desk"].pk, "priority": 3}
    _, weekly = api.get("kpis/incident_backlog", **MARCH, group_by="week")
    assert [p["value"] for p in weekly["series"]] == [2, 1, 2, 3, 3, 3]


def test_a_requester_gets_403_and_no_kpi(month, api_as):
    api = api_as(month["people"]["requester"])
    for path in ("kpis", "kpis/incidents_raised"):
        status, data = api.get(path, **MARCH)
        assert status == 403
        assert set(data) == {"error"} and "value" not in str(data)


def test_without_a_token_it_is_401(month, api_as):
    assert api_as(None).get("kpis")[0] == 401


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "yesterday"}, "from"),
        ({"to": "2026-13-01T00:00:00Z"}, "to"),
        ({"from": "2026-03-02T00:00:00Z", "to": "2026-03-01T00:00:00Z"}, "to"),
        ({"from": "2020-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"}, "to"),
        ({"service": "0"}, "service"),
        ({"service": "abc"}, "service"),
        ({"group": "99999999999999999999"}, "group"),
        ({"priority": "6"}, "priority"),
        ({"organization": "-1"}, "organization"),
        ({"group_by": "year"}, "group_by"),
        (
            {"from": "2025-01-01T00:00:00Z", "to": "2026-03-01T00:00:00Z", "group_by": "day"},
            "group_by",
        ),
    ],
)
def test_bad_input_is_a_422_naming_the_field(month, api_as, params, field):
    status, data = api_as(month["people"]["agent"]).get("kpis/incidents_raised", **params)
    assert status == 422, data
    assert field in data["error"]["fields"], data


def test_a_dimension_the_kpi_lacks_is_refused(month, api_as, monkeypatch):
    from steward.core import kpis

    kpi = kpis.get_kpi("incidents_raised")
    narrow = type(kpi)(**{**kpi.__dict__, "key": "narrow", "dimensions": ("service",)})
    monkeypatch.setattr(kpis, "contributions", lambda kind: [narrow])
    api = api_as(month["people"]["agent"])
    status, data = api.get("kpis/narrow", group="1")
    assert status == 422 and "group" in data["error"]["fields"]
    status, data = api.get("kpis/narrow", group_by="priority")
    assert status == 422 and "group_by" in data["error"]["fields"]


def test_an_unknown_kpi_is_a_404(month, api_as):
    api = api_as(month["people"]["agent"])
    assert api.get("kpis/no_such_kpi")[0] == 404
    status, data = api.get("kpis/Bad-Key!")
    assert status in (404, 422) and "error" in data


def test_switching_incidents_off_hides_their_kpis(month, api_as):
    admin = month["people"]["admin"]
    api = api_as(month["people"]["agent"])
    switch_off(admin, "incidents")
    status, data = api.get("kpis")
    # what is left is the requests practice's, which does not need incidents
    from steward.fulfilment.kpis import KPIS as REQUEST_KPIS

    assert status == 200
    assert {k["key"] for k in data["items"]} == {k.key for k in REQUEST_KPIS}
    status, data = api.get("kpis/incidents_raised")
    assert status == 404
    core_ops.set_practice_enabled(admin, "incidents", True)
    assert api.get("kpis")[1]["count"] == 20 + len(REQUEST_KPIS)  # its own, and the requests'


def test_switching_reporting_off_answers_404_practice_off(month, api_as):
    switch_off(month["people"]["admin"], "reporting")
    status, data = api_as(month["people"]["agent"]).get("kpis")
    assert status == 404 and data["error"]["code"] == "practice_off"
