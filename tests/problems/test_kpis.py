"""The problem KPIs on hand-built data, each with its value worked out by hand: opened,
resolved, known errors published, incidents linked to a known error, mean time to root cause,
workaround uses, incidents avoided per fix. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.core import kpis
from steward.core.kpis import Query
from steward.incidents.models import Incident
from steward.problems import operations as ops
from steward.problems.choices import Status
from steward.problems.models import Problem, WorkaroundUse
from tests.problems.conftest import bring_to, publish, record_root_cause

pytestmark = pytest.mark.django_db

UTC = dt.UTC
START = dt.datetime(2026, 3, 1, tzinfo=UTC)
END = dt.datetime(2026, 4, 1, tzinfo=UTC)


def at(day: int, hour: int = 9, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=UTC)


def run(key: str):
    kpi = kpis.get_kpi(key)
    assert kpi is not None, key
    return kpis.compute(kpi, Query(START, END, {}, ""))


def stamp(model, obj, **times):
    """Put a record's timestamps in March (hand-built history for the figures)."""
    model.objects.filter(pk=obj.pk).update(**times)


@pytest.fixture
def march(desk, open_one, raise_problem):
    agent = desk["people"]["agent"]
    db01 = desk["cis"]["db01"]
    database = desk["categories"]["database"]
    # A: raised 2 March, root cause 4 March (48 h), known error 5 March, resolved 20 March
    a = publish(raise_problem(title="A", owner=agent, cis=[db01], category=database), agent)
    # B: raised 10 March, root cause 11 March 09:00 -> 15:00 (6 h), still open
    b = raise_problem(title="B", owner=agent)
    bring_to(b, Status.ROOT_CAUSE_ANALYSIS, agent)
    record_root_cause(b, agent)
    # C: raised in February, nothing since
    c = raise_problem(title="C")
    stamp(Problem, a, created_at=at(2), root_cause_at=at(4), known_error_at=at(5))
    stamp(Problem, b, created_at=at(11), root_cause_at=at(11, 15))
    stamp(Problem, c, created_at=at(20, month=2))
    a.refresh_from_db()
    ops.transition(agent, a, Status.FIX_IN_PROGRESS)
    ops.transition(agent, a, Status.RESOLVED, fix_description="Pool doubled")
    stamp(Problem, a, resolved_at=at(1, month=1))  # fixed on 1 January, for "avoided"
    # incidents: four raised in March, two of them linked to A (a known error), one by a
    # workaround; around A's fix: 3 incidents of db01/Database before it, 1 after
    linked = open_one(title="linked", affected_ci=db01, category=database)
    used = open_one(title="used", affected_ci=db01, category=database)
    ops.link_incidents(agent, a, [linked])
    ops.apply_workaround(agent, used, a)  # a resolved known error still offers its workaround
    others = [open_one(title=f"other {n}") for n in range(2)]
    for n, incident in enumerate([linked, used, *others]):
        stamp(Incident, incident, created_at=at(3 + n))
    stamp(WorkaroundUse, WorkaroundUse.objects.get(), used_at=at(8))
    for n, day in enumerate([(5, 12), (10, 12), (28, 12)]):
        old = open_one(title=f"before {n}", affected_ci=db01, category=database)
        stamp(Incident, old, created_at=dt.datetime(2025, day[1], day[0], tzinfo=UTC))
    after = open_one(title="after", affected_ci=db01, category=database)
    stamp(Incident, after, created_at=dt.datetime(2026, 1, 15, tzinfo=UTC))
    elsewhere = open_one(title="other CI", affected_ci=desk["cis"]["app01"], category=database)
    stamp(Incident, elsewhere, created_at=dt.datetime(2025, 12, 20, tzinfo=UTC))
    return {"a": a, "b": b, "c": c}


def test_problems_opened_resolved_and_published(march):
    # opened in March: A, B (C in February); resolved: none in March (A's fix is January's)
    assert run("problems_opened").value == 2
    assert run("problems_opened").previous == 1
    assert run("problems_resolved").value == 0
    assert run("known_errors_published").value == 1


def test_incidents_linked_to_a_known_error_and_workaround_uses(march):
    # four incidents raised in March, two linked to A
    assert run("incidents_linked_to_known_error").value == 50.0
    assert run("workaround_uses").value == 1


def test_mean_time_to_root_cause(march):
    # A 2 March 09:00 to 4 March 09:00 = 48 h, B 11 March 09:00 to 15:00 = 6 h: (48 + 6) / 2
    assert run("problem_time_to_root_cause").value == 27.0


def test_incidents_avoided_after_the_fix(march):
    # A fixed 1 January: 3 incidents of db01/Database in the 30 days before (5, 10 and 28
    # December), 1 after (15 January); the other CI's does not count: 3 - 1 = 2
    figure = kpis.compute(
        kpis.get_kpi("incidents_avoided_after_fix"),
        Query(dt.datetime(2026, 1, 1, tzinfo=UTC), dt.datetime(2026, 2, 1, tzinfo=UTC), {}, ""),
    )
    assert figure.value == 2
