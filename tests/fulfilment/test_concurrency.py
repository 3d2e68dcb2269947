"""Contended rows: the two tasks of one stage closed at the same moment (the next stage opens
once, no deadlock), and two job runs at once raising one order."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from steward.approvals import operations as approvals
from steward.fulfilment import operations as ops
from steward.fulfilment.choices import TaskStatus
from steward.fulfilment.models import FulfilmentTask, RecurringRun, Request
from tests.fulfilment.conftest import approval_steps
from tests.threads import run_in_threads


@pytest.mark.django_db(transaction=True)
def test_closing_both_tasks_of_a_stage_at_once_opens_the_next_stage_once(fx):
    p = fx["people"]
    item = ops.order(
        p["requester"],
        items=[{"catalog_item": fx["laptop"], "answers": {"model": "light", "cost": 10}}],
    ).items.get()
    approvals.decide(p["manager"], approval_steps(item)[0], decision="approved")
    first = {t.name: t.pk for t in item.tasks.filter(stage=1)}
    workers = {"Prepare the laptop": p["desk"], "Register the asset": p["lead"]}

    def close():
        name = threading.current_thread().name
        task = FulfilmentTask.objects.get(pk=first[name])
        ops.close_task(workers[name], task, outcome="complete")

    errors = run_in_threads(close, 2, names=list(first))
    assert errors == []
    later = item.tasks.get(stage=2)
    assert later.status == TaskStatus.OPEN
    from steward.core.models import JournalEntry

    opened = JournalEntry.objects.filter(
        record_type="fulfilment.fulfilmenttask", record_id=str(later.pk), action="stage_opened"
    )
    assert opened.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_job_runs_at_once_raise_one_order(fx):
    start = dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.UTC)
    ops.create_recurring(
        fx["people"]["agent"],
        catalog_item=fx["mouse"],
        requested_for=fx["people"]["requester"],
        answers={},
        cadence="weekly",
        next_run_at=start,
    )
    errors = run_in_threads(lambda: ops.run_recurring(start + dt.timedelta(minutes=1)), 2)
    assert errors == []
    assert Request.objects.count() == 1
    assert RecurringRun.objects.count() == 1
