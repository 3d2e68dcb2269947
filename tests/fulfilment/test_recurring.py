"""Recurring requests: the job raises one order per planned run, idempotent across two runs of
the job, and shows the next run."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.core.errors import ValidationError
from steward.fulfilment import operations as ops
from steward.fulfilment.models import RecurringRun, Request

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 1, 31, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def monthly(fx):
    return ops.create_recurring(
        fx["people"]["agent"],
        name="Access review",
        catalog_item=fx["mouse"],
        requested_for=fx["people"]["requester"],
        answers={},
        cadence="monthly",
        next_run_at=START,
    )


def test_two_runs_of_the_job_raise_one_order(monthly):
    now = START + dt.timedelta(minutes=5)
    first = ops.run_recurring(now)
    second = ops.run_recurring(now)
    assert len(first) == 1 and second == []
    assert Request.objects.count() == 1
    run = RecurringRun.objects.get()
    assert run.run_at == START and run.request.number == first[0]
    monthly.refresh_from_db()
    # the 31st of January → the last day of February, same time
    assert monthly.next_run_at == dt.datetime(2026, 2, 28, 8, 0, tzinfo=dt.UTC)
    assert monthly.last_run_at == START
    order = Request.objects.get()
    assert order.requested_for.username == "req"
    assert order.opened_by.username == "agent"


def test_a_run_already_recorded_is_not_raised_again(monthly):
    """Even when ``next_run_at`` was not moved (a crash between), the unique run row stops a
    second order for the same planned time."""
    RecurringRun.objects.create(recurring=monthly, run_at=START)
    assert ops.run_recurring(START + dt.timedelta(minutes=1)) == []
    assert Request.objects.count() == 0


def test_missed_runs_raise_one_order_for_the_latest(monthly):
    raised = ops.run_recurring(dt.datetime(2026, 5, 2, tzinfo=dt.UTC))
    assert len(raised) == 1
    run = RecurringRun.objects.get()
    assert run.run_at == dt.datetime(2026, 4, 30, 8, 0, tzinfo=dt.UTC)
    monthly.refresh_from_db()
    assert monthly.next_run_at == dt.datetime(2026, 5, 31, 8, 0, tzinfo=dt.UTC)


def test_paused_does_not_run_and_resumes(monthly, fx):
    paused = ops.update_recurring(
        fx["people"]["agent"], monthly, version=monthly.version, is_active=False
    )
    assert ops.run_recurring(START + dt.timedelta(hours=1)) == []
    ops.update_recurring(fx["people"]["agent"], paused, version=paused.version, is_active=True)
    assert len(ops.run_recurring(START + dt.timedelta(hours=1))) == 1


@pytest.mark.parametrize(
    ("cadence", "interval", "day", "expected"),
    [
        ("daily", 2, None, dt.datetime(2026, 2, 2, 8, 0, tzinfo=dt.UTC)),
        ("weekly", 1, 0, dt.datetime(2026, 2, 9, 8, 0, tzinfo=dt.UTC)),  # a Monday
        ("quarterly", 1, 15, dt.datetime(2026, 4, 15, 8, 0, tzinfo=dt.UTC)),
        ("yearly", 1, None, dt.datetime(2027, 1, 31, 8, 0, tzinfo=dt.UTC)),
    ],
)
def test_next_run(cadence, interval, day, expected):
    assert ops.next_run_after(cadence, interval, day, START) == expected


def test_a_failing_run_is_recorded_and_moves_on(monthly, fx):
    ops.update_catalog_item(
        fx["people"]["admin"], fx["mouse"], version=fx["mouse"].version, is_active=False
    )
    assert ops.run_recurring(START + dt.timedelta(minutes=1)) == []
    run = RecurringRun.objects.get()
    assert run.request is None and run.error
    monthly.refresh_from_db()
    assert monthly.next_run_at > START


def test_requesters_cannot_set_one_up(fx):
    from steward.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        ops.create_recurring(
            fx["people"]["requester"],
            catalog_item=fx["mouse"],
            requested_for=fx["people"]["requester"],
            answers={},
            cadence="weekly",
            next_run_at=START,
        )
    with pytest.raises(ValidationError) as refused:
        ops.create_recurring(
            fx["people"]["agent"],
            catalog_item=fx["laptop"],
            requested_for=fx["people"]["requester"],
            answers={"model": "gold"},
            cadence="weekly",
            next_run_at=START,
        )
    assert "answers.model" in refused.value.fields
