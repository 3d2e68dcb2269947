"""The issue's approval tests: a two-step approval with "all" and a rejection, self-approval
refused, tasks generated only after approval."""

from __future__ import annotations

import pytest

from steward.approvals import operations as approvals
from steward.core.errors import PermissionDenied, ValidationError
from steward.core.models import JournalEntry
from steward.fulfilment import operations as ops
from steward.fulfilment.choices import ItemStatus, RequestStatus, TaskStatus
from steward.fulfilment.models import FulfilmentTask, RequestedItem
from tests.fulfilment.conftest import approval_steps

pytestmark = pytest.mark.django_db


def _order(fx, who="requester", **answers):
    answers = answers or {"model": "light", "cost": 1500}
    request = ops.order(
        fx["people"][who], items=[{"catalog_item": fx["laptop"], "answers": answers}]
    )
    return request, request.items.get()


def test_two_step_approval_with_all_then_tasks(fx):
    p = fx["people"]
    request, item = _order(fx)
    assert request.number.startswith("REQ") and item.number.startswith("RITM")
    assert item.status == ItemStatus.AWAITING_APPROVAL
    steps = approval_steps(item)
    assert [(s.name, s.state) for s in steps] == [
        ("Line manager", "pending"),
        ("Finance", "waiting"),
    ]
    # no task before approval
    assert not FulfilmentTask.objects.filter(item=item).exists()

    approvals.decide(p["manager"], steps[0], decision="approved")
    steps = approval_steps(item)
    assert steps[1].state == "pending" and steps[1].mode == "all"
    item.refresh_from_db()
    assert item.status == ItemStatus.AWAITING_APPROVAL
    assert not FulfilmentTask.objects.filter(item=item).exists()

    approvals.decide(p["fin1"], steps[1], decision="approved")
    item.refresh_from_db()
    # "all": one approval of two is not enough
    assert item.status == ItemStatus.AWAITING_APPROVAL
    assert not FulfilmentTask.objects.filter(item=item).exists()

    approvals.decide(p["fin2"], approval_steps(item)[1], decision="approved")
    item.refresh_from_db()
    assert item.status == ItemStatus.APPROVED
    assert item.approved_at is not None and item.due_at is not None
    tasks = list(item.tasks.order_by("stage", "id"))
    assert [(t.name, t.stage, t.status) for t in tasks] == [
        ("Prepare the laptop", 1, TaskStatus.OPEN),
        ("Register the asset", 1, TaskStatus.OPEN),
        ("Hand it over", 2, TaskStatus.WAITING),
    ]
    assert all(t.number.startswith("TASK") for t in tasks)

    # stage 1 in parallel, then stage 2, then the item is fulfilled and the order closed
    ops.start_task(p["desk"], tasks[0])
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_PROGRESS
    ops.close_task(p["desk"], tasks[0], outcome="complete", notes="Imaged")
    tasks[2].refresh_from_db()
    assert tasks[2].status == TaskStatus.WAITING
    ops.close_task(p["lead"], tasks[1], outcome="incomplete", notes="No asset tag left")
    tasks[2].refresh_from_db()
    assert tasks[2].status == TaskStatus.OPEN
    ops.close_task(p["agent"], tasks[2], outcome="complete")
    item.refresh_from_db()
    request.refresh_from_db()
    assert item.status == ItemStatus.FULFILLED and item.fulfilled_at is not None
    assert request.status == RequestStatus.CLOSED


def test_rejection_ends_the_item_with_the_reason(fx):
    p = fx["people"]
    request, item = _order(fx)
    approvals.decide(p["manager"], approval_steps(item)[0], decision="approved")
    with pytest.raises(ValidationError) as refused:
        approvals.decide(p["fin1"], approval_steps(item)[1], decision="rejected")
    assert "comment" in refused.value.fields
    approvals.decide(p["fin1"], approval_steps(item)[1], decision="rejected", comment="Too dear")
    item.refresh_from_db()
    request.refresh_from_db()
    assert item.status == ItemStatus.REJECTED
    assert item.rejection_reason == "Too dear"
    assert request.status == RequestStatus.CLOSED
    assert not FulfilmentTask.objects.filter(item=item).exists()
    assert JournalEntry.objects.filter(
        record_type="fulfilment.requesteditem", record_id=str(item.pk), action="status_rejected"
    ).exists()


def test_condition_leaves_a_step_out(fx):
    _, item = _order(fx, model="light", cost=200)
    assert [s.name for s in approval_steps(item)] == ["Line manager"]


def test_item_without_flow_is_approved_at_once_with_one_task(fx):
    request = ops.order(fx["people"]["requester"], items=[{"catalog_item": fx["mouse"]}])
    item = request.items.get()
    assert item.status == ItemStatus.APPROVED
    assert [t.name for t in item.tasks.all()] == ["Mouse"]
    assert item.tasks.get().group == fx["desk"]


def test_self_approval_refused(fx, make_user):
    """The line manager orders for themselves: the step cannot be decided by them; a named
    approver who orders is refused when deciding their own item."""
    p = fx["people"]
    boss_item = ops.create_catalog_item(
        p["admin"],
        name="Phone",
        service=fx["services"]["retail_live"],
        category=fx["category"],
        fulfilment_group=fx["desk"],
        approval_flow=[{"approver": "group", "group": fx["finance"].pk}],
    )
    # fin1 orders for themselves: fin2 may approve, fin1 may not
    request = ops.order(p["fin1"], items=[{"catalog_item": boss_item}])
    item = request.items.get()
    step = approval_steps(item)[0]
    with pytest.raises(PermissionDenied) as refused:
        approvals.decide(p["fin1"], step, decision="approved")
    assert "approver" in refused.value.fields
    item.refresh_from_db()
    assert item.status == ItemStatus.AWAITING_APPROVAL
    approvals.decide(p["fin2"], step, decision="approved")
    item.refresh_from_db()
    assert item.status == ItemStatus.APPROVED


def test_nobody_else_to_approve_refuses_the_order(fx):
    p = fx["people"]
    solo = ops.create_catalog_item(
        p["admin"],
        name="Desk lamp",
        service=fx["services"]["retail_live"],
        category=fx["category"],
        fulfilment_group=fx["desk"],
        approval_flow=[{"approver": "user", "user": p["desk"].pk}],
    )
    with pytest.raises(ValidationError) as refused:
        ops.order(p["desk"], items=[{"catalog_item": solo}])
    assert "approvers" in refused.value.fields
    assert not RequestedItem.objects.filter(catalog_item=solo).exists()


def test_cancel_cancels_the_approval_round(fx):
    p = fx["people"]
    _, item = _order(fx)
    ops.cancel_item(p["requester"], item, reason="Not needed any more", version=item.version)
    item.refresh_from_db()
    assert item.status == ItemStatus.CANCELLED
    assert {s.state for s in approval_steps(item)} == {"cancelled"}
    assert item.request.status == RequestStatus.CANCELLED
