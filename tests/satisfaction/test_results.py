"""The results (CSAT, mean score, response rate) per service, group, agent and month, on a
hand-built set of surveys whose figures are worked out by hand below."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.satisfaction import results
from tests.satisfaction.conftest import Q1

pytestmark = pytest.mark.django_db

PERIOD = results.Period(*Q1)


def test_totals(sat, hand_built):
    t = results.report(sat["people"]["admin"], PERIOD).totals
    assert (t.sent, t.answered, t.satisfied) == (9, 7, 4)  # 5,4,5,4 of 5,4,2,1,5,3,4
    assert t.response_rate == round(100 * 7 / 9, 1) == 77.8
    assert t.csat == round(100 * 4 / 7, 1) == 57.1
    assert t.mean_score == round((5 + 4 + 2 + 1 + 5 + 3 + 4) / 7, 2) == 3.43
    assert t.scores == [1, 1, 1, 2, 2]


def test_per_service(sat, hand_built):
    rows = {r.key: r for r in results.report(sat["people"]["admin"], PERIOD, "service").rows}
    banking = rows[str(hand_built["banking"].pk)].figures
    assert (banking.sent, banking.answered, banking.satisfied) == (5, 4, 2)
    assert banking.csat == 50.0 and banking.mean_score == 3.0 and banking.response_rate == 80.0
    treasury = rows[str(hand_built["treasury"].pk)].figures
    assert (treasury.sent, treasury.answered, treasury.csat, treasury.mean_score) == (
        3,
        2,
        50.0,
        4.0,
    )
    assert rows[results.NONE_KEY].figures.sent == 1 and rows[results.NONE_KEY].label == "None"
    assert rows[str(hand_built["banking"].pk)].label == "Online Banking"


def test_per_group_and_agent(sat, hand_built):
    admin = sat["people"]["admin"]
    groups = {r.label: r.figures for r in results.report(admin, PERIOD, "group").rows}
    assert (groups["Network"].sent, groups["Network"].answered, groups["Network"].csat) == (
        5,
        4,
        50.0,
    )
    assert (groups["Other"].sent, groups["Other"].answered, groups["Other"].csat) == (
        4,
        3,
        round(200 / 3, 1),
    )
    agents = {r.key: r.figures for r in results.report(admin, PERIOD, "agent").rows}
    fixer = agents[str(hand_built["fixer"].pk)]
    assert (fixer.sent, fixer.answered, fixer.mean_score) == (4, 4, 3.0)
    assert agents[results.NONE_KEY].sent == 1 and agents[results.NONE_KEY].answered == 0
    assert agents[results.NONE_KEY].csat is None and agents[results.NONE_KEY].response_rate == 0.0


def test_per_month_every_month_of_the_period_in_order(sat, hand_built):
    rows = results.report(sat["people"]["admin"], PERIOD, "month").rows
    assert [r.key for r in rows] == ["2026-01-01", "2026-02-01", "2026-03-01"]
    jan, feb, mar = (r.figures for r in rows)
    assert (jan.sent, jan.answered, jan.csat, jan.response_rate) == (4, 3, round(200 / 3, 1), 75.0)
    assert (feb.sent, feb.answered, feb.csat) == (4, 3, round(100 / 3, 1))
    assert (mar.sent, mar.answered, mar.csat, mar.mean_score) == (1, 1, 100.0, 4.0)


def test_an_empty_month_is_shown_empty(sat, hand_built):
    period = results.Period(dt.datetime(2025, 12, 1, tzinfo=dt.UTC), PERIOD.end)
    rows = results.report(sat["people"]["admin"], period, "month").rows
    assert rows[0].key == "2025-12-01" and rows[0].figures.sent == 0
    assert rows[0].figures.csat is None and rows[0].figures.response_rate is None


def test_filters_narrow_the_surveys(sat, hand_built):
    admin = sat["people"]["admin"]
    t = results.report(admin, PERIOD, service=hand_built["treasury"].pk).totals
    assert (t.sent, t.answered) == (3, 2)
    t = results.report(admin, PERIOD, agent=hand_built["fixer"].pk).totals
    assert (t.sent, t.answered) == (4, 4)


def test_a_requester_counts_only_their_own_surveys(sat, hand_built):
    assert results.report(sat["people"]["outsider"], PERIOD).totals.sent == 0


def test_the_default_period_is_twelve_months_and_bad_ones_are_refused():
    from steward.core.errors import ValidationError

    p = results.checked_period(None, None)
    assert p.start.day == 1 and p.end.day == 1
    assert (p.end.year * 12 + p.end.month) - (p.start.year * 12 + p.start.month) == 12
    with pytest.raises(ValidationError) as refused:
        results.checked_period(PERIOD.end, PERIOD.start)
    assert "to" in refused.value.fields
    with pytest.raises(ValidationError):
        results.checked_period(PERIOD.start, PERIOD.start + dt.timedelta(days=800))
