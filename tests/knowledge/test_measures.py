# ruff: noqa: F811  (history is the fixture imported from fixtures_c)
"""Every knowledge measure on the hand-built February and March of ``fixtures_c`` (the
timeline is in its docstring), each with the expected figure worked out here. On SQLite and
PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.core import clock
from steward.knowledge import measures
from steward.knowledge import operations as ops
from steward.knowledge.choices import PortalEventKind
from steward.knowledge.measures import Period
from tests.knowledge.fixtures_c import FEBRUARY, MARCH, at, history  # noqa: F401

pytestmark = pytest.mark.django_db

march = Period(*MARCH)


def one(name: str, period: Period = march) -> dict:
    return measures.measure(name, period)[""]


def by(name: str, dimension: str, period: Period = march) -> dict:
    return measures.measure(name, period, dimension)


def test_link_rate(history):
    # resolved in March: I1 (K1 linked), I2 (K2 created from it), I3, I4 -> 2 / 4
    assert one("link_rate") == {"resolved": 4, "linked": 2, "rate": 50.0}
    # February: I0, with K1 linked -> 1 / 1
    assert one("link_rate", Period(*FEBRUARY)) == {"resolved": 1, "linked": 1, "rate": 100.0}


def test_link_rate_per_agent_group_and_service(history):
    people, groups = history["people"], history["groups"]
    services = history["services"]
    # assignees: agent I1 (linked), I3 -> 1/2; candidate I2 (linked) 1/1; contributor I4 0/1
    per_agent = by("link_rate", "agent")
    assert per_agent[str(people["agent"].pk)]["rate"] == 50.0
    assert per_agent[str(people["candidate"].pk)]["rate"] == 100.0
    assert per_agent[str(people["contributor"].pk)] == {"resolved": 1, "linked": 0, "rate": 0.0}
    # owning groups: Front desk I1, I3, I4 -> 1/3; Back office I2 -> 1/1
    per_group = by("link_rate", "group")
    assert per_group[str(groups["front"].pk)]["rate"] == 33.33
    assert per_group[str(groups["back"].pk)]["rate"] == 100.0
    # services: Online Banking I1, I3, I4 -> 1/3; Treasury I2 -> 1/1
    per_service = by("link_rate", "service")
    assert per_service[str(services["retail_live"].pk)]["resolved"] == 3
    assert per_service[str(services["corporate_live"].pk)]["linked"] == 1


def test_reuse_versus_create(history):
    # March links: K1 -> I1 (reuse), K2 <- I2 (create), K1 -> I5 (reuse): 2 of 3 reused
    assert one("links") == {"reuse": 2, "create": 1, "total": 3, "reuse_share": 66.67}
    # per month over February and March: February K1 -> I0 (reuse)
    months = by("links", "month", Period(FEBRUARY[0], MARCH[1]))
    assert months["2026-02-01"] == {"reuse": 1, "create": 0, "total": 1, "reuse_share": 100.0}
    assert months["2026-03-01"]["total"] == 3
    # per agent (who linked): agent 1 (I1), candidate 1 (I2's capture), contributor 1 (I5)
    per_agent = by("links", "agent")
    assert {k: v["total"] for k, v in per_agent.items()} == {
        str(history["people"][name].pk): 1 for name in ("agent", "candidate", "contributor")
    }


def test_participation(history):
    people, groups = history["people"], history["groups"]
    # active in March (IT staff with incident work, or who linked / wrote): agent (raised and
    # linked), candidate (resolved I2, wrote K2), contributor (resolved I4, linked K1 to I5),
    # coach (a work note on I4). The requester raised I6 but is no agent; the admin only
    # worked on articles. Took part: agent, candidate, contributor -> 3 / 4
    assert one("participation") == {"active": 4, "participating": 3, "rate": 75.0}
    # February: agent (I0, linked K1), contributor (wrote K5, K1), candidate (wrote K4) -> 3/3
    assert one("participation", Period(*FEBRUARY))["rate"] == 100.0
    # groups: Front desk = agent, contributor, coach -> 2 / 3; Back office = candidate -> 1/1
    per_group = by("participation", "group")
    assert per_group[str(groups["front"].pk)] == {"active": 3, "participating": 2, "rate": 66.67}
    assert per_group[str(groups["back"].pk)]["rate"] == 100.0
    per_agent = by("participation", "agent")
    assert per_agent[str(people["coach"].pk)]["rate"] == 0.0
    assert str(people["admin"].pk) not in per_agent
    assert str(people["requester"].pk) not in per_agent


def test_time_to_validate_and_to_external(history):
    # validated in March: K3 6 h, K2 48 h, K4 120 h -> median 48, mean 174 / 3 = 58
    assert one("time_to_validate") == {"count": 3, "median_hours": 48.0, "mean_hours": 58.0}
    # external in March: K3 30 h, K4 168 h, K1 432 h -> median 168, mean 630 / 3 = 210
    assert one("time_to_external") == {"count": 3, "median_hours": 168.0, "mean_hours": 210.0}
    # per author: candidate K2 48 h, K4 120 h -> median (48 + 120) / 2 = 84; contributor K3 6 h
    per_agent = by("time_to_validate", "agent")
    assert per_agent[str(history["people"]["candidate"].pk)]["median_hours"] == 84.0
    assert per_agent[str(history["people"]["contributor"].pk)]["median_hours"] == 6.0


def test_citations_per_article(history):
    # 3 links in March; available: K1, K2, K3, K4 (K5 was archived in February) -> 3 / 4
    assert one("citations") == {"links": 3, "articles": 4, "per_article": 0.75}
    # per service: Online Banking K1 cited twice, of K1, K3, K4 -> 2 / 3; Treasury K2 1 / 1
    per_service = by("citations", "service")
    services = history["services"]
    assert per_service[str(services["retail_live"].pk)]["per_article"] == 0.67
    assert per_service[str(services["corporate_live"].pk)]["per_article"] == 1.0


def test_flag_resolution_time(history):
    # resolved in March: F4 54 h (27 Feb 21:00 -> 2 Mar 03:00), F1 4 h, F2 48 h; F3 is open
    # -> median 48, mean 106 / 3 = 35.33
    assert one("flag_resolution") == {"count": 3, "median_hours": 48.0, "mean_hours": 35.33}


def test_self_service_success(history):
    # March searches: S1 (no incident of the requester within 24 h), S2 (I6 three hours
    # later), S3 (the outsider, none) -> 2 / 3; the February search is outside the period
    assert one("self_service") == {"searches": 3, "successful": 2, "rate": 66.67}
    # a search is cut by month only: it has no agent, group or domain
    assert by("self_service", "agent") is None
    assert by("self_service", "month")["2026-03-01"]["searches"] == 3


def test_a_search_counts_once_its_day_is_over(history):
    requester = history["people"]["requester"]
    with clock.simulated(at(31, 10)):
        ops.record_portal_event(requester, kind=PortalEventKind.SEARCH, query="card")
        clock.set(at(31, 20))
        # ten hours later the search may still be followed by an incident: not counted yet
        assert one("self_service")["searches"] == 3
    with clock.simulated(dt.datetime(2026, 4, 1, 11, tzinfo=dt.UTC)):
        # 25 hours later it is a success
        assert one("self_service") == {"searches": 4, "successful": 3, "rate": 75.0}


def test_deflection(history):
    # March views: V1 (I6 four hours later), V2 and V3 (nothing follows) -> 2 of 3
    assert one("deflection") == {"views": 3, "deflected": 2, "rate": 66.67}
    # the viewed articles K3 and K4 are both about Online Banking
    per_service = by("deflection", "service")
    assert per_service == {
        str(history["services"]["retail_live"].pk): {"views": 3, "deflected": 2, "rate": 66.67}
    }


def test_article_quality_index(history):
    # March reviews: R1 no defect (0), R2 complete + title + links (3 + 2 + 1 = 6), R3 unique
    # (3); the weights sum to 3 + 3 + 2 + 2 + 1 + 1 = 12:
    # 100 * (1 - (0 + 6 + 3) / (3 * 12)) = 75
    assert one("aqi") == {"reviews": 3, "index": 75.0}
    # per service: Online Banking K4 (R1, R3): 100 * (1 - 3 / 24) = 87.5; Treasury K2 (R2):
    # 100 * (1 - 6 / 12) = 50
    per_service = by("aqi", "service")
    services = history["services"]
    assert per_service[str(services["retail_live"].pk)]["index"] == 87.5
    assert per_service[str(services["corporate_live"].pk)]["index"] == 50.0


def test_a_report_has_totals_and_a_row_per_key(history):
    report = measures.report(Period(FEBRUARY[0], MARCH[1]), "month")
    assert [row.key for row in report.rows] == ["2026-02-01", "2026-03-01"]
    february, march_row = report.rows
    assert february.figures["link_rate"]["rate"] == 100.0
    assert march_row.figures["aqi"]["index"] == 75.0
    # the totals cover both months: 5 resolved, 3 linked
    assert report.totals["link_rate"] == {"resolved": 5, "linked": 3, "rate": 60.0}
    groups = measures.report(march, "group")
    labels = [row.label for row in groups.rows]
    assert labels[:2] == ["Back office", "Front desk"]
    # a search has no group: its figure is not given per group
    assert all(row.figures["self_service"] is None for row in groups.rows)


def test_an_empty_period_has_figures_without_values(history):
    empty = measures.report(Period(dt.datetime(2025, 1, 1, tzinfo=dt.UTC), FEBRUARY[0]))
    assert empty.totals["link_rate"] == {"resolved": 0, "linked": 0, "rate": None}
    assert empty.totals["aqi"] == {"reviews": 0, "index": None}
    assert empty.totals["time_to_validate"]["median_hours"] is None
