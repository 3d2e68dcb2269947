"""What fulfilment contributes elsewhere: the KPIs (each worked out by hand on a small past),
the global search, the start page's "My fulfilment tasks" and the ownership gaps."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.approvals import operations as approvals
from steward.core import clock, kpis
from steward.core.kpis import Query
from steward.fulfilment import operations as ops
from steward.fulfilment import registrations as r
from steward.ownership import gaps
from steward.people import operations as people_ops
from tests.fulfilment.conftest import approval_steps

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # a Monday
MARCH = (dt.datetime(2026, 3, 1, tzinfo=dt.UTC), dt.datetime(2026, 4, 1, tzinfo=dt.UTC))


def run(key):
    kpi = kpis.get_kpi(key)
    assert kpi is not None, key
    return kpis.compute(kpi, Query(*MARCH, {}, ""))


@pytest.fixture
def history(fx):
    """Three laptops ordered on 2 March 09:00 (cost 500: the line manager alone decides):
    A approved after 2 h and fulfilled 10 h later (target 16 h: on time); B approved after 4 h
    and fulfilled 20 h after approval (late); C rejected after 6 h. One mouse (no approval)."""
    p = fx["people"]
    made = {}
    with clock.simulated(T0):
        for key in "ABC":
            made[key] = ops.order(
                p["requester"],
                items=[{"catalog_item": fx["laptop"], "answers": {"model": "light", "cost": 500}}],
            ).items.get()
        made["mouse"] = ops.order(p["neighbour"], items=[{"catalog_item": fx["mouse"]}]).items.get()

        def decide(key, hours, decision="approved", comment=""):
            clock.set(T0 + dt.timedelta(hours=hours))
            step = approval_steps(made[key])[0]
            approvals.decide(p["manager"], step, decision=decision, comment=comment)

        def deliver(key, hours):
            clock.set(T0 + dt.timedelta(hours=hours))
            for task in made[key].tasks.order_by("stage", "id"):
                task.refresh_from_db()
                worker = p["agent"] if task.group_id == fx["group"].pk else p["desk"]
                ops.close_task(worker, task, outcome="complete")

        decide("A", 2)
        decide("B", 4)
        decide("C", 6, "rejected", "No budget")
        deliver("A", 12)
        deliver("B", 24)
    return made


def test_kpis_are_listed(db):
    keys = {k.key for k in kpis.enabled_kpis()}
    assert {
        "requests_raised",
        "requests_fulfilled",
        "fulfilment_time",
        "fulfilment_on_target",
        "approval_time",
        "request_rejection_rate",
    } <= keys


def test_kpi_values(history):
    assert run("requests_raised").value == 4
    assert run("requests_fulfilled").value == 2
    # the default calendar is round the clock: 10 h and 20 h → median 15 h
    assert run("fulfilment_time").value == 15.0
    assert run("fulfilment_on_target").value == 50.0
    # approvals of A (2 h), B (4 h), C (6 h): median 4 h; the mouse needed none
    assert run("approval_time").value == 4.0
    assert run("request_rejection_rate").value == pytest.approx(33.33, abs=0.01)


def test_kpi_drill_down_reads_through_for_user(history, fx):
    kpi = kpis.get_kpi("requests_raised")
    sql, params = kpis.record_ids(kpi, Query(*MARCH, {}, ""))
    count, rows = kpi.records(fx["people"]["outsider"], sql, params, 0, 10)
    assert count == 0
    count, rows = kpi.records(fx["people"]["agent"], sql, params, 0, 10)
    assert count == 4 and rows[0][1].startswith("/requests/RITM")


def test_search_and_home_panel(fx):
    p = fx["people"]
    item = ops.order(p["requester"], items=[{"catalog_item": fx["mouse"]}]).items.get()
    hits = r.search_requests(p["agent"], item.number, 10)
    assert [h.url for h in hits] == [f"/requests/{item.number}/"]
    hits = r.search_requests(p["requester"], "mouse", 10)
    assert [h.url for h in hits] == [f"/portal/requests/{item.number}/"]
    assert r.search_requests(p["outsider"], "mouse", 10) == []
    count, rows = r.my_tasks(p["desk"], 5)
    assert count == 1 and rows[0][0].endswith("Mouse")
    assert r.my_tasks(p["agent"], 5) == (0, [])


def test_gaps(fx):
    p = fx["people"]
    found = {g["record"]["name"] for g in r.catalog_items_without_owner()}
    assert found == {"Laptop", "Mouse"}
    ops.update_catalog_item(p["admin"], fx["mouse"], version=fx["mouse"].version, owner=p["desk"])
    assert {g["record"]["name"] for g in r.catalog_items_without_owner()} == {"Laptop"}
    assert r.catalog_items_with_unowned_service() == []
    people_ops.update_user(None, fx["owner"], version=None, is_active=False)
    names = {g["record"]["name"] for g in r.catalog_items_with_unowned_service()}
    assert names == {"Laptop", "Mouse"}
    kinds = {k["kind"] for k in gaps.kinds()}
    assert {"catalog_item_without_owner", "catalog_item_service_unowned"} <= kinds
