"""Reminders and escalation: due steps remind their approvers (and delegates) and move on;
overdue steps are escalated once; the job is idempotent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from steward.approvals import jobs
from steward.approvals import operations as ops
from steward.approvals.calendar import add_business_days
from steward.approvals.choices import Kind
from steward.core.models import JournalEntry
from steward.notifications.models import Notification
from steward.people import operations as people_ops
from steward.slm.calendar_math import WorkCalendar


@pytest.fixture
def boss(make_user):
    return make_user("boss")


@pytest.fixture
def approver(make_user, admin_user, boss):
    person = make_user("appr")
    return people_ops.update_user(admin_user, person, version=person.version, line_manager=boss)


@pytest.fixture
def step(stand, record, make_user, approver):
    (made,) = ops.request_approval(
        make_user("asker"), record, steps=[ops.StepSpec("LM", users=((approver, Kind.USER),))]
    )
    return made


def reminders_to(user):
    return Notification.objects.filter(recipient=user, subject__startswith="Reminder").count()


def test_nothing_due_nothing_done(step, approver):
    assert jobs.remind_and_escalate(timezone.now()) == {"reminded": 0, "escalated": 0}
    assert reminders_to(approver) == 0


def test_reminder_then_escalation_once(step, approver, boss, make_user, record):
    stand_in = make_user("standin")
    ops.delegate(
        approver,
        user=approver,
        delegate=stand_in,
        starts_at=timezone.now(),
        ends_at=timezone.now() + dt.timedelta(days=30),
    )
    due = step.remind_at + dt.timedelta(minutes=1)
    assert jobs.remind_and_escalate(due) == {"reminded": 1, "escalated": 0}
    assert reminders_to(approver) == 1 and reminders_to(stand_in) == 1
    assert jobs.remind_and_escalate(due) == {"reminded": 0, "escalated": 0}  # idempotent
    step.refresh_from_db()
    assert step.reminders_sent == 1 and step.remind_at > due
    late = step.escalate_at + dt.timedelta(minutes=1)
    result = jobs.remind_and_escalate(late)
    assert result["escalated"] == 1
    assert Notification.objects.filter(
        recipient=boss, subject__startswith="Approval overdue"
    ).exists()
    assert jobs.remind_and_escalate(late)["escalated"] == 0
    step.refresh_from_db()
    assert step.escalated_at == late
    assert JournalEntry.objects.for_record(record).filter(action="approval_escalated").count() == 1


def test_escalate_to_wins(stand, record, make_user, approver, boss):
    chief = make_user("chief")
    (made,) = ops.request_approval(
        make_user("asker2"),
        record,
        steps=[ops.StepSpec("LM", users=((approver, Kind.USER),), escalate_to=chief)],
    )
    jobs.remind_and_escalate(made.escalate_at + dt.timedelta(seconds=1))
    assert Notification.objects.filter(
        recipient=chief, subject__startswith="Approval overdue"
    ).exists()
    assert not Notification.objects.filter(recipient=boss).exists()


def test_decided_steps_are_not_reminded(step, approver):
    ops.decide(approver, step, decision="approved")
    assert jobs.remind_and_escalate(step.escalate_at + dt.timedelta(days=1)) == {
        "reminded": 0,
        "escalated": 0,
    }


def test_business_days_skip_days_off():
    weekdays = WorkCalendar("UTC", [[(540, 1020)]] * 5 + [[], []], frozenset())
    friday = dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.UTC)
    assert add_business_days(friday, 2, weekdays) == dt.datetime(2026, 12, 8, 10, 0, tzinfo=dt.UTC)
    assert add_business_days(friday, 0, weekdays) == friday
    always = WorkCalendar.always()
    assert add_business_days(friday, 2, always) == friday + dt.timedelta(days=2)
