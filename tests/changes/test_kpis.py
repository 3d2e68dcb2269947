"""The change KPIs on hand-built data, each with its value worked out by hand: success rate
and score, emergency share, changes causing incidents, lead time, the backlog awaiting
authorization, conflicts overridden. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.changes import operations as ops
from steward.changes.models import ChangeRequest
from steward.core import kpis
from steward.core.kpis import Query
from steward.incidents import operations as incident_ops
from steward.incidents.models import Incident
from tests.changes.conftest import bring_to

pytestmark = pytest.mark.django_db

UTC = dt.UTC
START = dt.datetime(2026, 3, 1, tzinfo=UTC)
END = dt.datetime(2026, 4, 1, tzinfo=UTC)


def at(day: int, hour: int = 9, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=UTC)


def run(key: str, group_by: str = ""):
    kpi = kpis.get_kpi(key)
    assert kpi is not None, key
    return kpis.compute(kpi, Query(START, END, {}, group_by))


def stamp(change, **times):
    """Put a change's moments in March (hand-built history for the figures)."""
    ChangeRequest.objects.filter(pk=change.pk).update(**times)


@pytest.fixture
def march(desk, make_change):
    agent = desk["people"]["agent"]
    # A: requested 2 March, implementation from 4 March (48 h), closed successful 5 March
    a = bring_to(make_change(title="A"), "closed", desk)
    stamp(a, created_at=at(2), authorized_at=at(3), started_at=at(4), closed_at=at(5))
    # B: requested 8 March, started 9 March (24 h), closed with issues 10 March; it caused a
    # P2 incident (score -2 - 5 = -7)
    b = bring_to(make_change(title="B"), "closed", desk, outcome="successful_with_issues")
    stamp(b, created_at=at(8), authorized_at=at(8, 12), started_at=at(9), closed_at=at(10))
    incident = incident_ops.open_incident(
        agent,
        title="Transfers fail",
        caller=desk["people"]["requester"],
        impact=2,
        urgency=2,
        owning_group=desk["groups"]["platform"],
    )
    Incident.objects.filter(pk=incident.pk).update(priority=2)
    ops.link_incident(agent, b, incident)
    # C: an emergency, requested 12 March 09:00, started 15:00 (6 h), failed, reviewed and
    # closed 14 March (score -5); the change manager overrode its conflicts on 12 March
    c = bring_to(make_change(title="C", type="emergency"), "review", desk, outcome="failed")
    ops.record_review(agent, c, what_happened="The upgrade broke the login page")
    ops.move_change(agent, c, "closed")
    stamp(
        c,
        created_at=at(12),
        authorized_at=at(12, 10),
        started_at=at(12, 15),
        closed_at=at(14),
        conflicts_overridden_at=at(12, 11),
    )
    # D: requested 20 March, waiting for authorization at the end of March
    d = bring_to(make_change(title="D"), "authorize", desk)
    stamp(d, created_at=at(20), authorized_at=None)
    # E: requested 20 February, authorized 3 March: waiting at the start of March only
    e = bring_to(make_change(title="E"), "scheduled", desk)
    stamp(e, created_at=at(20, month=2), authorized_at=at(3))
    # F: a standard-like change requested in February that never needed authorization is
    # not in the backlog: cancelled 25 February before it was authorized
    f = bring_to(make_change(title="F"), "cancelled", desk)
    stamp(f, created_at=at(21, month=2), closed_at=at(25, month=2))
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f}


EXPECTED = [
    # key, value, count
    ("change_success_rate", 33.33, 3),  # A of A, B, C
    ("change_success_score", -3.0, 3),  # (3 - 7 - 5) / 3
    ("emergency_change_share", 25.0, 4),  # C of A, B, C, D (E and F: February)
    ("changes_causing_incidents", 33.33, 3),  # B
    ("change_lead_time", 26.0, 3),  # (48 + 24 + 6) / 3
    ("change_conflicts_overridden", 1, 1),  # C
]


@pytest.mark.parametrize("key,value,count", EXPECTED)
def test_each_kpi_over_march(march, key, value, count):
    figure = run(key)
    assert figure.value == pytest.approx(value, abs=0.01)
    assert figure.count == count


def test_the_backlog_awaiting_authorization(march):
    figure = run("unauthorized_change_backlog")
    assert figure.value == 1  # D at the end of March
    assert figure.previous == 1  # E at the start (F was cancelled before)


def test_every_change_kpi_is_tested():
    from steward.core import practices

    registered = {k.key for k in practices.get("changes").kpis}
    assert registered == {key for key, *_ in EXPECTED} | {"unauthorized_change_backlog"}


def test_by_group(march, desk):
    series = run("change_success_rate", "group").series
    assert [(p["key"], round(p["value"], 2)) for p in series] == [
        (str(desk["groups"]["platform"].pk), 33.33)
    ]
    platform_only = kpis.compute(
        kpis.get_kpi("change_success_rate"),
        Query(START, END, {"group": desk["groups"]["network"].pk}, ""),
    )
    assert platform_only.count == 0
