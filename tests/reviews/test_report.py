"""The figures of a review on the hand-built month, each worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.incidents import operations as incident_ops
from steward.reviews import periods, report
from tests.reporting.conftest import t

pytestmark = pytest.mark.django_db

MARCH = dt.date(2026, 3, 1)
MARCH_MINUTES = 31 * 24 * 60  # 44,640


def figures(built) -> dict:
    return {f["key"]: f for s in built["sections"] for f in s["figures"]}


def test_availability_counts_the_major_incident_from_raised_to_resolved(services):
    built = report.build(services["treasury"], MARCH)
    availability = built["availability"]
    # C: raised 03-04 09:00, resolved 15:00 -> 360 minutes of 44,640
    assert availability["outage_minutes"] == 360
    assert availability["minutes"] == MARCH_MINUTES
    assert availability["percent"] == round(100 * (1 - 360 / MARCH_MINUTES), 3) == 99.194
    [major] = availability["major_incidents"]
    assert major["title"] == "C" and major["outage_minutes"] == 360


def test_a_service_without_major_incidents_is_fully_available(services):
    availability = report.build(services["banking"], MARCH)["availability"]
    assert availability == {
        "percent": 100.0,
        "outage_minutes": 0,
        "minutes": MARCH_MINUTES,
        "major_incidents": [],
    }


def test_overlapping_outages_count_once_and_an_open_one_runs_to_the_month_end(month, services):
    clock, people, groups = month["clock"], month["people"], month["groups"]
    manager = month["dbmanager"]

    def major(at, title):
        clock(at)
        incident = incident_ops.open_incident(
            people["agent"],
            title=title,
            caller=people["outsider"],
            impact=1,
            urgency=1,
            service=services["treasury"],
            owning_group=groups["desk"],
        )
        incident_ops.declare_major(manager, incident, reason="down", manager=manager)
        return incident

    # X: 03-30 22:00 -> resolved 03-31 02:00; Y: 03-31 00:00, never resolved, overlaps X
    # from 00:00 to 02:00 and runs to the month's end: together 03-30 22:00 -> 04-01 00:00.
    x = major(t(3, 30, 22), "X")
    major(t(3, 31, 0), "Y")
    clock(t(3, 31, 2))
    x.refresh_from_db()
    incident_ops.transition(people["agent"], x, "in_progress")
    x.refresh_from_db()
    incident_ops.transition(
        people["agent"], x, "resolved", resolution_code="solved", resolution_notes="ok"
    )
    clock(t(4, 2, 12))
    availability = report.build(services["treasury"], MARCH)["availability"]
    assert availability["outage_minutes"] == 360 + 26 * 60
    assert [m["title"] for m in availability["major_incidents"]] == ["C", "X", "Y"]
    # April so far: Y's outage runs up to now, not to the end of April
    start, end = periods.bounds(dt.date(2026, 4, 1))
    april = report.availability(services["treasury"].pk, start, end)
    assert april["outage_minutes"] == 36 * 60  # 04-01 00:00 -> 04-02 12:00


def test_volumes_and_the_previous_month(services):
    f = figures(report.build(services["banking"], MARCH))
    # raised in March: A, B, E; in February: H, D
    assert (f["incidents_raised"]["value"], f["incidents_raised"]["previous"]) == (3, 2)
    assert f["incidents_raised"]["direction"] == "worse"
    # resolved (latest resolution) in March: A, B, D
    assert f["incidents_resolved"]["value"] == 3
    assert f["major_incidents"]["value"] == 0
    assert f["incidents_raised"]["url"].endswith(
        f"?from=2026-03-01&to=2026-03-31&service={services['banking'].pk}"
    )


def test_the_trend_covers_six_months(services):
    trend = report.build(services["banking"], MARCH)["trend"]
    assert [m["label"] for m in trend] == [
        "2025-10",
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
        "2026-03",
    ]
    assert [m["raised"] for m in trend] == [0, 0, 0, 0, 2, 3]
    assert [m["resolved"] for m in trend] == [0, 0, 0, 0, 0, 3]


def test_handover_figures(services):
    f = figures(report.build(services["banking"], MARCH))
    # resolved in March: A (no handover), B (2 accepted handovers), D (none): 2 / 3
    assert f["incident_reassignment_rate"]["value"] == round(2 / 3, 2)
    # B went back to the desk (A -> B -> A)
    assert f["incident_ping_pong_rate"]["value"] == round(100 / 3, 2)


def test_sla_performance_against_each_target(services):
    built = report.build(services["treasury"], MARCH)
    rows = {(a["sla"]["name"], a["metric"]): a for a in built["agreements"]}
    # C (P1, 4 working hours to resolve): raised Wed 09:00, resolved 15:00 = 6 h: breached
    resolution = rows[("P1", "resolution")]
    assert (resolution["met"], resolution["breached"], resolution["met_percent"]) == (0, 1, 0.0)
    assert resolution["target_hours"] == 4
    assert rows[("P1", "response")]["met"] == 1


def test_top_categories_and_cis_of_the_incidents_raised(services):
    built = report.build(services["banking"], MARCH)
    assert built["top_categories"] == [{"name": None, "count": 3}]
    assert built["top_cis"] == [{"name": None, "count": 3}]


def test_practice_sections_come_from_the_kpi_registry(services, monkeypatch):
    """A later practice's KPIs with a service dimension appear as its own section."""
    from steward.core import practices
    from steward.core.kpis import Kpi

    kpi = Kpi(
        key="problems_opened",
        name="Problems opened",
        description="d",
        formula="f",
        unit="count",
        good="down",
        aggregate="count",
        facts=lambda d: (
            "SELECT created_at AS at, id AS rid, NULL AS v, 0 AS num, 0 AS den, "
            "service_id, owning_group_id AS group_id, priority, organization_id "
            "FROM incidents_incident"
        ),
    )
    fake = practices.Practice(key="problems_demo", name="Problems", kpis=[kpi], on_by_default=True)
    monkeypatch.setitem(practices._practices, "problems_demo", fake)
    sections = {s["key"]: s for s in report.build(services["banking"], MARCH)["sections"]}
    assert sections["problems_demo"]["title"] == "Problems"
    assert sections["problems_demo"]["figures"][0]["value"] == 3


def test_the_trend_chart_spans_the_plot(services):
    """The columns are laid out across the whole chart (``reporting.charts`` geometry)."""
    from steward.reporting import charts

    chart = report.chart_data(report.build(services["banking"], MARCH))["trend"]
    assert (chart["width"], chart["right"]) == (charts.WIDTH, charts.WIDTH - charts.RIGHT)
    assert [b["label"] for b in chart["bars"]][-1] == "2026-03"
    assert all(
        b["x"] >= charts.LEFT and b["x"] + b["width"] <= chart["right"] for b in chart["bars"]
    )
    assert chart["bars"][-1]["text"] == "3"
