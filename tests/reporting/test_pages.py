"""The KPI pages: catalogue, one KPI (figure, trend, SVG chart with its table, links to the
records behind each figure) and the records page; IT staff only; bad filters shown on the form."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.reporting.conftest import switch_off

pytestmark = pytest.mark.django_db

MARCH = "from=2026-03-01&to=2026-03-31"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_catalogue_lists_the_kpis(month):
    response = client_for(month["people"]["agent"]).get("/reports/kpis/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/reports/kpis/incident_mttr/"' in html
    assert "Ping-pong rate" in html and "First-level resolution" in html


def test_the_kpi_page_shows_value_trend_chart_and_table(month):
    html = (
        client_for(month["people"]["agent"])
        .get(f"/reports/kpis/incidents_raised/?{MARCH}&group_by=service")
        .content.decode()
    )
    assert re.search(r'data-figure="value"><strong>6</strong>', html)
    # 6 against 2 raised before: more incidents is worse
    assert "worse" in html and "2026-01-29 to 2026-02-28" in html
    assert "<svg" in html and "<title>Online Banking: 3</title>" in html
    service = month["services"]["retail_live"].pk
    link = (
        "/reports/kpis/incidents_raised/records/?from=2026-03-01&amp;to=2026-03-31"
        f"&amp;group_by=service&amp;bucket={service}"
    )
    assert link in html  # the bar and the table's count both lead to the incidents
    assert "<script" not in html.split("</footer>")[0].split("<main")[1]
    assert "style=" not in html


def test_a_time_series_has_a_column_per_day_and_a_table_row_per_day(month):
    html = (
        client_for(month["people"]["agent"])
        .get(f"/reports/kpis/incident_backlog/?{MARCH}&group_by=day")
        .content.decode()
    )
    assert html.count("<rect") == 31
    assert 'viewBox="0 0 720 260"' in html
    assert html.count('<th scope="row">2026-03-') == 31


def test_the_records_behind_a_bar_are_the_incidents(month):
    service = month["services"]["retail_live"].pk
    response = client_for(month["people"]["agent"]).get(
        f"/reports/kpis/incidents_raised/records/?{MARCH}&group_by=service&bucket={service}"
    )
    html = response.content.decode()
    numbers = {month["incidents"][t].number for t in ("A", "B", "E")}
    assert response.status_code == 200 and "3 records" in html
    for number in numbers:
        assert f'href="/incidents/{number}/"' in html
    assert month["incidents"]["C"].number not in html


def test_bad_filters_are_shown_on_the_form_and_compute_nothing(month):
    client = client_for(month["people"]["agent"])
    html = client.get("/reports/kpis/incidents_raised/?from=2026-03-10&to=2026-03-01").content
    assert b"must be after from" in html and b'data-figure="value"' not in html
    html = client.get("/reports/kpis/incidents_raised/?priority=9").content
    assert b"field--invalid" in html and b'data-figure="value"' not in html
    assert client.get("/reports/kpis/no_such/").status_code == 404
    assert (
        client.get(
            f"/reports/kpis/incidents_raised/records/?{MARCH}&group_by=day&bucket=x"
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    "path",
    [
        "/reports/kpis/",
        "/reports/kpis/incidents_raised/",
        "/reports/kpis/incidents_raised/records/",
    ],
)
def test_a_requester_gets_404_everywhere(month, path):
    response = client_for(month["people"]["requester"]).get(f"{path}?{MARCH}")
    assert response.status_code == 404
    assert month["incidents"]["A"].number.encode() not in response.content


def test_the_menu_shows_kpis_to_it_staff_only(month):
    assert b'href="/reports/kpis/"' in client_for(month["people"]["agent"]).get("/").content
    assert b'href="/reports/kpis/"' not in client_for(month["people"]["requester"]).get("/").content


def test_a_switched_off_practice_contributes_no_kpi_page(month):
    switch_off(month["people"]["admin"], "incidents")
    client = client_for(month["people"]["agent"])
    assert client.get("/reports/kpis/incidents_raised/").status_code == 404
    assert b"incident_mttr" not in client.get("/reports/kpis/").content


def test_a_dutch_reader_gets_the_same_drawing(month):
    """Dutch writes 1,5 for 1.5: numbers inside the SVG must stay numbers, or the bars and
    axes of a Dutch reader's chart land in the wrong place."""
    from steward.people import operations as people_ops

    agent = month["people"]["agent"]
    dutch = people_ops.update_user(None, agent, version=agent.version, language="nl")
    html = client_for(dutch).get(f"/reports/kpis/incident_backlog/?{MARCH}&group_by=day")
    svg = html.content.decode().split('<svg class="chart', 1)[1].split("</svg>", 1)[0]
    assert 'lang="nl"' in html.content.decode()
    assert not re.search(r'="-?\d+,\d+"', svg), "a decimal comma inside the chart"
    assert re.search(r'="\d+\.\d+"', svg)  # decimals are there, with a point
