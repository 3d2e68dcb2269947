"""The SLA compliance report: figures, API, page with its SVG chart, and CSV."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.slm import operations as ops
from steward.slm.reports import compliance

pytestmark = pytest.mark.django_db
HOUR = 3600
UTC = dt.UTC


@pytest.fixture
def resolved(admin_user, world):
    """Five resolved tickets on the 24x7 calendar: 1, 2, 3, 5 and 10 hours against 4 hours."""
    ops.create_definition(admin_user, name="Std", resolution_seconds=4 * HOUR)
    banking = world["services"]["retail_live"]
    start = dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    for i, (hours, priority) in enumerate([(1, "P2"), (2, "P2"), (3, "P3"), (5, "P3"), (10, "P3")]):
        ops.track(
            "incident", i, at=start, category="open", priority=priority, service_id=banking.pk
        )
        ops.track("incident", i, at=start + dt.timedelta(hours=hours), category="resolved")
    ops.track("incident", 99, at=start, category="open", priority="P3")  # still open: not counted
    return banking


def test_figures_by_service_and_priority(resolved):
    (row,) = compliance("service")
    assert row["label"] == "Online Banking"
    assert (row["met"], row["breached"], row["total"], row["met_percent"]) == (3, 2, 5, 60.0)
    assert row["median_hours"] == 3.0
    assert row["p90_hours"] == 8.0  # between 5 and 10 hours, interpolated
    by_priority = {r["label"]: r for r in compliance("priority")}
    assert by_priority["P2"]["met_percent"] == 100.0 and by_priority["P3"]["met"] == 1
    assert [r["label"] for r in compliance("month")] == ["2026-03"]


def test_api_returns_the_rows_for_it_staff_only(resolved, world, api_as):
    status, body = api_as(world["people"]["agent"], "read").get(
        "sla-reports/compliance", group_by="priority"
    )
    assert status == 200 and [r["label"] for r in body["rows"]] == ["P2", "P3"]
    assert api_as(world["people"]["requester"], "read").get("sla-reports/compliance")[0] == 403
    status, body = api_as(world["people"]["agent"], "read").get(
        "sla-reports/compliance", group_by="colour"
    )
    assert status == 422 and "group_by" in body["error"]["fields"]


def test_the_page_draws_a_chart_and_offers_csv(resolved, world, client, settings):
    client.force_login(world["people"]["agent"])
    response = client.get("/service-levels/compliance/", {"days": "365"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and "Online Banking: 60.0%" in html and "chart__bar--below" in html
    csv_response = client.get("/service-levels/compliance/", {"days": "365", "format": "csv"})
    assert csv_response["Content-Type"].startswith("text/csv")
    lines = csv_response.content.decode().splitlines()
    assert lines[0] == "service,met,breached,total,met_percent,median_hours,p90_hours"
    assert lines[1] == "Online Banking,3,2,5,60.0,3.0,8.0"


def test_requesters_do_not_get_the_page(resolved, world, client):
    client.force_login(world["people"]["requester"])
    assert client.get("/service-levels/compliance/").status_code == 404
