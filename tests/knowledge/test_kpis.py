# ruff: noqa: F811  (history is the fixture imported from fixtures_c)
"""The knowledge KPIs on the hand-built February and March of ``fixtures_c``, each with its
value worked out by hand (the same figures as the measures, test_measures.py): link rate,
reuse share, participation, time to validate and to external, AQI, flag resolution time,
self-service success and deflection. Reporting lists them; each is one statement. On SQLite
and PostgreSQL."""

from __future__ import annotations

import pytest

from steward.core import kpis
from steward.core.kpis import Query
from steward.core.operations import set_practice_enabled
from tests.knowledge.fixtures_c import FEBRUARY, MARCH, history  # noqa: F401

pytestmark = pytest.mark.django_db

KEYS = (
    "knowledge_link_rate",
    "knowledge_reuse_share",
    "knowledge_participation",
    "knowledge_time_to_validate",
    "knowledge_time_to_external",
    "knowledge_aqi",
    "knowledge_flag_resolution_time",
    "knowledge_self_service_success",
    "knowledge_deflection_rate",
)


def run(key: str, group_by: str = "", period=MARCH, **filters):
    kpi = kpis.get_kpi(key)
    assert kpi is not None, key
    return kpis.compute(kpi, Query(*period, filters, group_by))


def test_reporting_lists_the_knowledge_kpis(db):
    listed = {kpi.key for kpi in kpis.enabled_kpis()}
    assert set(KEYS) <= listed
    # a practice switched off contributes no KPI
    set_practice_enabled(None, "knowledge", False)
    assert not set(KEYS) & {kpi.key for kpi in kpis.enabled_kpis()}


def test_link_rate_and_reuse_share(history):
    # resolved in March: I1, I2 linked; I3, I4 not -> 50 %; February I0 (linked) -> previous
    figure = run("knowledge_link_rate")
    assert (figure.value, figure.count, figure.previous) == (50.0, 4, 100.0)
    # March links: reuse, create, reuse -> 66.67 %
    assert run("knowledge_reuse_share").value == 66.67
    # by owning group: Front desk I1, I3, I4 -> 1/3; Back office I2 -> 1/1
    groups = history["groups"]
    by_group = {p["key"]: p["value"] for p in run("knowledge_link_rate", "group").series}
    assert by_group == {str(groups["front"].pk): 33.33, str(groups["back"].pk): 100.0}
    # filtered to Treasury: I2 only
    treasury = history["services"]["corporate_live"].pk
    assert run("knowledge_link_rate", service=treasury).value == 100.0


def test_participation(history):
    # active: agent, candidate, contributor, coach; took part: all but the coach -> 75 %
    assert run("knowledge_participation").value == 75.0
    # Front desk: agent, contributor, coach -> 2 / 3 (an agent counts once, however much
    # they did)
    front = history["groups"]["front"].pk
    assert run("knowledge_participation", group=front).value == 66.67
    # per month over February and March: February 3 / 3
    months = run("knowledge_participation", "month", (FEBRUARY[0], MARCH[1])).series
    assert [(p["key"], p["value"]) for p in months] == [
        ("2026-02-01", 100.0),
        ("2026-03-01", 75.0),
    ]


def test_times_to_validate_to_external_and_to_resolve_a_flag(history):
    # validated in March: 6, 48, 120 h -> median 48
    assert run("knowledge_time_to_validate").value == 48.0
    # external in March: 30, 168, 432 h -> median 168
    assert run("knowledge_time_to_external").value == 168.0
    # flags resolved in March: 54, 4, 48 h -> median 48
    assert run("knowledge_flag_resolution_time").value == 48.0


def test_article_quality_index(history):
    # reviews 0, 6, 3 of 12: the mean of 100 * (1 - w / 12) = 100 * (1 - 9 / 36) = 75
    figure = run("knowledge_aqi")
    assert (figure.value, figure.count) == (75.0, 3)


def test_self_service_success_and_deflection(history):
    # March searches S1, S3 succeed, S2 not -> 66.67 %; views V2, V3 deflected, V1 not
    assert run("knowledge_self_service_success").value == 66.67
    assert run("knowledge_deflection_rate").value == 66.67
    # the Corporate outsider's search (S3) succeeded; Retail's requester: S1 of S1, S2
    orgs = history["orgs"]
    assert run("knowledge_self_service_success", organization=orgs["corporate"].pk).value == 100.0
    assert run("knowledge_self_service_success", organization=orgs["retail"].pk).value == 50.0


def test_the_records_behind_the_link_rate_are_the_resolved_incidents(history):
    kpi = kpis.get_kpi("knowledge_link_rate")
    sql, params = kpis.record_ids(kpi, Query(*MARCH, {}, ""))
    count, rows = kpi.records(history["people"]["agent"], sql, params, 0, 10)
    numbers = {history["incidents"][name].number for name in ("i1", "i2", "i3", "i4")}
    assert count == 4 and {label.split()[0] for label, _url, _meta in rows} == numbers


def test_the_records_behind_the_time_to_validate_are_the_articles(history):
    kpi = kpis.get_kpi("knowledge_time_to_validate")
    sql, params = kpis.record_ids(kpi, Query(*MARCH, {}, ""))
    count, rows = kpi.records(history["people"]["agent"], sql, params, 0, 10)
    articles = history["articles"]
    assert count == 3
    assert {label.split()[0] for label, _u, _m in rows} == {
        articles[k].number for k in ("k2", "k3", "k4")
    }


@pytest.mark.parametrize("group_by", ["", "week", "month", "group", "service", "organization"])
def test_each_kpi_is_one_statement(history, django_assert_num_queries, group_by):
    for key in KEYS:
        kpi = kpis.get_kpi(key)
        if group_by and group_by not in kpi.groupings:
            continue
        with django_assert_num_queries(1):
            kpis.compute(kpi, Query(*MARCH, {}, group_by))
