# ruff: noqa: F811  (history is the fixture imported from fixtures_c)
"""The metrics page and its CSV on the hand-built March of ``fixtures_c``: IT staff see the
key figures, the month charts and the figures per group; requesters get a 404 and no count;
the CSV has the same figures."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from tests.knowledge.fixtures_c import history  # noqa: F401

pytestmark = pytest.mark.django_db

MARCH = {"start": "2026-03-01", "end": "2026-03-31"}


def test_staff_see_the_key_figures_charts_and_figures_per_group(history, client_for):
    response = client_for(history["people"]["agent"]).get(
        reverse("knowledge:metrics"), {**MARCH, "by": "group"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    # link rate 2 / 4, participation 3 / 4, AQI 75 (test_measures.py works them out)
    assert "2 of 4 resolved incidents have an article" in page
    assert "3 of 4 active agents linked or wrote an article" in page
    assert "from 3 coach reviews" in page
    # per group: Front desk's link rate 1 / 3, Back office's 1 / 1
    assert "Front desk" in page and "33.33 %" in page and ">1/3<" in page
    # six charts of twelve months each, drawn on the server
    assert page.count('<svg class="chart" role="img"') == 6
    assert page.count("<rect ") == 6 * 12
    assert "<script" not in page.split("<main", 1)[1]


def test_the_page_defaults_to_the_current_month_and_refuses_a_backwards_period(history, client_for):
    client = client_for(history["people"]["agent"])
    assert client.get(reverse("knowledge:metrics")).status_code == 200
    response = client.get(
        reverse("knowledge:metrics"), {"start": "2026-03-31", "end": "2026-03-01"}
    )
    assert response.status_code == 200
    assert "The period ends before it starts." in response.content.decode()


@pytest.mark.parametrize("who", ["requester", "outsider"])
def test_requesters_get_a_404_and_no_counts(history, client_for, who):
    client = client_for(history["people"][who])
    page = client.get(reverse("knowledge:metrics"), MARCH)
    assert page.status_code == 404
    assert "resolved incidents" not in page.content.decode()
    assert client.get(reverse("knowledge:metrics_csv"), MARCH).status_code == 404


def test_anonymous_people_are_sent_to_sign_in(db, client):
    response = client.get(reverse("knowledge:metrics"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_csv_has_the_totals_and_a_row_per_service(history, client_for):
    response = client_for(history["people"]["agent"]).get(
        reverse("knowledge:metrics_csv"), {**MARCH, "by": "service"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "knowledge-metrics-2026-03-01-2026-03-31-service.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_label = {row["Service"]: row for row in rows}
    total = by_label["Total"]
    assert total["link_rate.rate"] == "50.0" and total["aqi.index"] == "75.0"
    assert total["self_service.rate"] == "66.67"
    # Online Banking: I1, I3, I4 resolved, I1 linked; a search has no service: empty cells
    banking = by_label["Online Banking"]
    assert (banking["link_rate.resolved"], banking["link_rate.linked"]) == ("3", "1")
    assert banking["self_service.searches"] == ""
    assert banking["key"] == str(history["services"]["retail_live"].pk)


def test_the_page_reads_a_fixed_number_of_statements(
    history, client_for, django_assert_max_num_queries
):
    # each measure is one aggregate per part (totals, rows, months): nothing per row
    client = client_for(history["people"]["agent"])
    with django_assert_max_num_queries(45):
        assert client.get(reverse("knowledge:metrics"), {**MARCH, "by": "agent"}).status_code == 200
