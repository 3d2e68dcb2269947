"""Two people deciding one step at once: the step is locked, so exactly one decision approves
it and calls on_complete once; the other is told the step is no longer pending (409)."""

from __future__ import annotations

import threading

import pytest

from steward.approvals import operations as ops
from steward.approvals.choices import Decision, State
from steward.approvals.models import ApprovalRequest, Approver
from steward.core.errors import Conflict
from steward.people import operations as people_ops
from tests.threads import run_in_threads


@pytest.mark.django_db(transaction=True)
def test_two_members_approving_at_once_approve_once(stand, record, make_user):
    bob, cat = make_user("bob"), make_user("cat")
    group = people_ops.create_group(None, name="Finance")
    group.members.set([bob, cat])
    (step,) = ops.request_approval(make_user("ann"), record, steps=[ops.StepSpec("F", group=group)])
    people = {"bob": bob, "cat": cat}

    def decide():
        person = people[threading.current_thread().name]
        ops.decide(person, ApprovalRequest.objects.get(pk=step.pk), decision="approved")

    errors = run_in_threads(decide, 2, names=["bob", "cat"])
    step.refresh_from_db()
    assert step.state == State.APPROVED
    assert Approver.objects.filter(request=step, decision=Decision.APPROVED).count() == 1
    assert len(errors) == 1 and isinstance(errors[0], Conflict)
    assert stand.completed == [("approved", 1, "")]
