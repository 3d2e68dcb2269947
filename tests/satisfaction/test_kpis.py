"""The satisfaction KPIs on the hand-built first quarter (conftest's ``hand_built``), each
with its value worked out by hand: the same figures as the results page (test_results.py)."""

from __future__ import annotations

import pytest

from steward.core import kpis
from steward.core.kpis import Query
from steward.core.operations import set_practice_enabled
from tests.satisfaction.conftest import Q1

pytestmark = pytest.mark.django_db

KEYS = ("satisfaction_csat", "satisfaction_mean_score", "satisfaction_response_rate")


def run(key: str, group_by: str = "", **filters):
    kpi = kpis.get_kpi(key)
    assert kpi is not None, key
    return kpis.compute(kpi, Query(*Q1, filters, group_by))


def test_reporting_lists_them_while_the_practice_is_on(db):
    assert set(KEYS) <= {k.key for k in kpis.enabled_kpis()}
    set_practice_enabled(None, "satisfaction", False)
    assert not set(KEYS) & {k.key for k in kpis.enabled_kpis()}


def test_the_figures(sat, hand_built):
    csat = run("satisfaction_csat")
    assert (csat.value, csat.count) == (57.14, 7)
    assert run("satisfaction_mean_score").value == 3.43
    rate = run("satisfaction_response_rate")
    assert (rate.value, rate.count) == (77.78, 9)


def test_by_service_and_filtered_by_group(sat, hand_built):
    by_service = {p["key"]: p["value"] for p in run("satisfaction_csat", "service").series}
    assert by_service[str(hand_built["banking"].pk)] == 50.0
    assert by_service[str(hand_built["treasury"].pk)] == 50.0
    assert run("satisfaction_response_rate", group=hand_built["other"].pk).value == 75.0


def test_by_month(sat, hand_built):
    series = {p["key"]: p["value"] for p in run("satisfaction_response_rate", "month").series}
    assert series == {"2026-01-01": 75.0, "2026-02-01": 75.0, "2026-03-01": 100.0}


def test_the_records_behind_a_figure(sat, hand_built):
    kpi = kpis.get_kpi("satisfaction_csat")
    sql, params = kpis.record_ids(kpi, Query(*Q1, {}, ""))
    count, rows = kpi.records(sat["people"]["admin"], sql, params, 0, 50)
    assert count == 7 and all(url.startswith("/satisfaction/surveys/") for _, url, _ in rows)
    # a requester sees only their own surveys behind a figure
    assert kpi.records(sat["people"]["outsider"], sql, params, 0, 50)[0] == 0
