# ruff: noqa: F811  (history is the fixture imported from fixtures_c)
"""``GET /api/v1/knowledge/metrics`` on the hand-built March of ``fixtures_c``: the documented
schema (every answer is checked against the OpenAPI document), totals and rows per dimension,
bad input named, and requesters refused without a count."""

from __future__ import annotations

import pytest

from tests.knowledge.fixtures_c import history  # noqa: F401

pytestmark = pytest.mark.django_db

MARCH = {"from": "2026-03-01T00:00:00Z", "to": "2026-04-01T00:00:00Z"}


def test_totals_of_the_period(history, api_as):
    status, data = api_as(history["people"]["agent"], scope="read").get(
        "knowledge/metrics", **MARCH
    )
    assert status == 200
    totals = data["totals"]
    # worked out in test_measures.py
    assert totals["link_rate"] == {"resolved": 4, "linked": 2, "rate": 50.0}
    assert totals["links"] == {"reuse": 2, "create": 1, "total": 3, "reuse_share": 66.67}
    assert totals["participation"]["rate"] == 75.0
    assert totals["time_to_validate"] == {"count": 3, "median_hours": 48.0, "mean_hours": 58.0}
    assert totals["citations"]["per_article"] == 0.75
    assert totals["aqi"] == {"reviews": 3, "index": 75.0}
    assert data["by"] is None and data["rows"] == []
    assert data["from"].startswith("2026-03-01") and data["to"].startswith("2026-04-01")


@pytest.mark.parametrize("by", ["agent", "group", "service", "category", "month"])
def test_rows_per_dimension(history, api_as, by):
    status, data = api_as(history["people"]["agent"]).get("knowledge/metrics", by=by, **MARCH)
    assert status == 200 and data["by"] == by
    assert data["rows"], by
    for row in data["rows"]:
        # a portal search is cut by month only
        assert (row["self_service"] is None) == (by != "month")


def test_rows_per_category(history, api_as):
    _status, data = api_as(history["people"]["agent"]).get(
        "knowledge/metrics", by="category", **MARCH
    )
    rows = {row["label"]: row for row in data["rows"]}
    # reviews: K4 (Network) R1 0 and R3 3 of 24 -> 87.5; K2 (Database) R2 6 of 12 -> 50
    assert rows["Network"]["aqi"] == {"reviews": 2, "index": 87.5}
    assert rows["Database"]["aqi"] == {"reviews": 1, "index": 50.0}


def test_a_time_without_a_zone_is_utc(history, api_as):
    params = {"from": "2026-03-01T00:00:00", "to": "2026-04-01T00:00:00"}
    status, data = api_as(history["people"]["agent"]).get("knowledge/metrics", **params)
    assert status == 200 and data["totals"]["link_rate"]["resolved"] == 4


def test_the_default_period_is_the_current_month(history, api_as):
    status, data = api_as(history["people"]["agent"]).get("knowledge/metrics")
    assert status == 200
    assert data["from"][8:10] == "01"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-04-01T00:00:00Z", "to": "2026-03-01T00:00:00Z"}, "to"),
        ({"from": "2020-01-01T00:00:00Z", "to": "2026-03-01T00:00:00Z"}, "to"),
        ({"by": "colour"}, "by"),
        ({"from": "yesterday"}, "from"),
        ({"from": "9999-12-31T00:00:00Z"}, "from"),
        ({"to": "0001-01-02T00:00:00Z"}, "to"),
    ],
)
def test_bad_input_names_the_field(history, api_as, params, field):
    status, data = api_as(history["people"]["agent"]).get("knowledge/metrics", **params)
    assert status == 422
    assert field in data["error"]["fields"]


@pytest.mark.parametrize("who", ["requester", "outsider"])
def test_requesters_are_refused_without_a_count(history, api_as, who):
    status, data = api_as(history["people"][who]).get("knowledge/metrics", by="month", **MARCH)
    assert status == 403
    assert "totals" not in data and "rows" not in data
    assert set(data) == {"error"}
