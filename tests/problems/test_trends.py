"""The trends report's figures on hand-built incidents, now aggregated in SQL: incident hours
capped at the period's end (and at the previous period's end), unresolved incidents, hours on
a rounding edge, ties in the order they were shown before, and the recurring groups with their
incident numbers, first and last."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from steward.incidents.models import Incident
from steward.problems import queries
from steward.services import operations as cmdb

END = dt.datetime(2026, 3, 31, tzinfo=dt.UTC)
START = END - dt.timedelta(days=10)


@pytest.fixture
def made(desk, open_one):
    """made(raised, resolved=None, ci=None, category=None) -> an incident raised (and resolved)
    at those moments (test data: the row's own clock, set as if raised back then)."""

    def make(raised, resolved=None, ci=None, category=None, service=None):
        incident = open_one(
            affected_ci=ci, category=category, service=service or desk["services"]["retail_live"]
        )
        Incident.objects.filter(pk=incident.pk).update(created_at=raised, resolved_at=resolved)
        incident.refresh_from_db()
        return incident

    return make


def hours(h):
    return dt.timedelta(hours=h)


def test_hours_are_capped_at_each_period_end_and_run_on_while_unresolved(desk, made):
    db01 = desk["cis"]["db01"]
    made(START + hours(1), START + hours(3), ci=db01)  # 2 h
    made(END - hours(2), END + hours(50), ci=db01)  # resolved after the end: 2 h
    made(END - hours(5), ci=db01)  # unresolved: 5 h
    made(START + hours(10), START + hours(10), ci=db01)  # resolved on raising: 0 h
    made(START - hours(4), START + hours(20), ci=db01)  # previous period, capped: 4 h
    made(START - dt.timedelta(days=10), START - dt.timedelta(days=9), ci=db01)  # previous: 24 h
    made(START - dt.timedelta(days=10, hours=1), ci=db01)  # before both periods: not counted
    made(END, ci=db01)  # at the end: not counted

    report = queries.trends(START, END)

    [row] = report["cis"]
    assert (row.key, row.name, row.count, row.hours) == (db01.pk, "db01", 4, 9.0)
    assert (row.previous_count, row.previous_hours, row.change) == (2, 28.0, 2)
    assert report["previous_from"] == START - dt.timedelta(days=10)
    assert report["previous_to"] == START


def test_hours_on_a_rounding_edge_round_as_before(desk, made):
    """A quarter of an hour is 0.25 h, which Python rounds (to even) to 0.2: the SQL sum keeps
    the figure the Python sum gave."""
    made(START + hours(1), START + hours(1.25), ci=desk["cis"]["db01"])
    made(START + hours(1), START + hours(1.75), ci=desk["cis"]["app01"])
    rows = {r.name: r.hours for r in queries.trends(START, END)["cis"]}
    assert rows == {"db01": round(0.25, 1), "app01": round(0.75, 1)}


def test_rows_sort_by_count_then_hours_then_name(desk, made):
    server = desk["cis"]["db01"].ci_class
    cis = {name: cmdb.create_ci(None, name=name, ci_class=server) for name in ("zz", "aa", "mm")}
    for name in ("zz", "aa"):  # a tie on count and hours: by name
        made(START + hours(1), START + hours(2), ci=cis[name])
    made(START + hours(1), START + hours(3), ci=cis["mm"])  # same count, more hours
    made(START + hours(1), START + hours(2), ci=desk["cis"]["db01"])
    made(START + hours(1), START + hours(2), ci=desk["cis"]["db01"])  # more incidents
    report = queries.trends(START, END, top=4)
    assert [r.name for r in report["cis"]] == ["db01", "mm", "aa", "zz"]
    # incidents without a CI count for their service, not as a CI row
    made(START + hours(1), START + hours(2))
    report = queries.trends(START, END)
    assert sum(r.count for r in report["cis"]) == 5
    assert [(r.name, r.count) for r in report["services"]] == [("Online Banking", 6)]


def test_a_key_seen_only_in_the_previous_period_is_not_shown(desk, made):
    made(START - hours(5), START - hours(4), category=desk["categories"]["network"])
    made(START + hours(5), category=desk["categories"]["database"])
    rows = queries.trends(START, END)["categories"]
    assert [(r.name, r.count, r.previous_count) for r in rows] == [("Database", 1, 0)]


def test_recurring_groups_their_incidents_in_order_without_the_linked(desk, made, raise_problem):
    db01, app01 = desk["cis"]["db01"], desk["cis"]["app01"]
    database, network = desk["categories"]["database"], desk["categories"]["network"]
    end = timezone.now().replace(microsecond=0)
    ago = lambda days: end - dt.timedelta(days=days)  # noqa: E731
    group = [made(ago(d), ci=db01, category=database) for d in (3, 9, 1)]
    linked = made(ago(2), ci=db01, category=database)
    raise_problem(incidents=[linked])
    ties = [made(ago(d), ci=app01, category=c) for d in (4, 5, 6) for c in (network, database)]
    made(ago(40), ci=db01, category=database)  # before the window
    made(ago(1), ci=None, category=database)
    made(ago(1), ci=db01, category=None)

    found = queries.recurring(end, min_count=3, days=30)

    # count first; a tie by CI name, then category name
    assert [(g.ci, g.category, g.count) for g in found] == [
        ("app01", "Database", 3),
        ("app01", "Network", 3),
        ("db01", "Database", 3),
    ]
    db_group = found[2]
    assert (db_group.ci_id, db_group.category_id) == (db01.pk, database.pk)
    assert db_group.numbers == [group[1].number, group[0].number, group[2].number]
    assert (db_group.first, db_group.last) == (ago(9), ago(1))
    assert found[1].numbers == [i.number for i in reversed(ties) if i.category_id == network.pk]
    assert queries.recurring(end, min_count=4, days=30) == []
    assert [g.ci for g in queries.recurring(end, min_count=3, days=30, limit=1)] == ["app01"]
