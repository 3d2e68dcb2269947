"""Change enablement on the shared approvals (``steward.approvals``): entering Authorize asks
one step for the change's authority; the change is decided from the approvals side too (the
one mechanism: ``/approvals/``, its API, a one-click link) with the same rules — nobody
approves their own change, only IT staff decide, a delegate decides on someone's behalf; an
authority that moves in Authorize asks afresh in a new round; leaving Authorize withdraws the
step."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from steward.approvals import operations as approvals_ops
from steward.approvals import queries as approval_queries
from steward.approvals.models import ApprovalRequest, Approver
from steward.changes import operations as ops
from steward.changes.authorization import authorization, may_approve
from steward.changes.choices import Status
from steward.core import journal
from steward.core.errors import Conflict as ConflictError
from steward.core.errors import PermissionDenied, ValidationError
from steward.people import operations as people_ops
from steward.people.choices import Role
from tests.changes.conftest import bring_to

pytestmark = pytest.mark.django_db

TYPE = "changes.changerequest"


def steps(change) -> list[tuple[int, str, str]]:
    """(round, name, state) of every step asked on ``change``."""
    return list(
        ApprovalRequest.objects.filter(subject_type=TYPE, subject_id=change.pk)
        .order_by("round", "step")
        .values_list("round", "name", "state")
    )


def awaits(person, change) -> bool:
    return (
        approval_queries.awaiting(person).filter(subject_type=TYPE, subject_id=change.pk).exists()
    )


@pytest.fixture
def cab(desk):
    board = ops.create_board(desk["people"]["admin"], group=desk["groups"]["cab"], quorum=2)
    ops.set_authority(desk["people"]["cm"], type="normal", risk="high", level="board", board=board)
    ops.create_risk_rule(
        desk["people"]["cm"], name="Outage", kind="outage_expected", minimum="high"
    )
    return {"board": board, "high": {"outage_expected": True, "outage_minutes": 60}}


def test_entering_authorize_asks_one_step_of_the_changes_authority(desk, make_change, cab):
    low = bring_to(make_change(), Status.AUTHORIZE, desk)
    high = bring_to(make_change(**cab["high"]), Status.AUTHORIZE, desk)

    assert steps(low) == [(1, "Peer review", "pending")]
    assert steps(high) == [(1, "CAB", "pending")]
    step = ApprovalRequest.objects.get(subject_type=TYPE, subject_id=high.pk)
    assert (step.group, step.quorum, step.mode) == (desk["groups"]["cab"], 2, "any")
    assert step.subject_label == f"{high.number} {high.title}"
    # nobody approves their own change: the requester and owner (agent) are not asked
    people = desk["people"]
    assert awaits(people["peer"], low) and awaits(people["impl"], low)
    assert not awaits(people["agent"], low)
    assert not awaits(people["cm"], low)
    assert {awaits(people[k], high) for k in ("cm", "cab1", "cab2")} == {True}


def test_a_change_decided_from_the_approvals_side_is_authorized(desk, make_change):
    change = bring_to(make_change(), Status.AUTHORIZE, desk)
    step = ApprovalRequest.objects.get(subject_type=TYPE, subject_id=change.pk)
    version = change.version

    approvals_ops.decide(desk["people"]["peer"], step, decision="approved", comment="Fine")

    change.refresh_from_db()
    assert change.authorized_at is not None and change.version > version
    assert authorization(change).complete
    assert [e.action for e in journal.history(change)][-2:] == ["approval_decided", "authorized"]
    ops.move_change(desk["people"]["agent"], change, Status.SCHEDULED)
    change.refresh_from_db()
    assert change.status == Status.SCHEDULED


def test_a_rejection_from_the_approvals_side_sends_the_change_back_to_assess(desk, make_change):
    change = bring_to(make_change(), Status.AUTHORIZE, desk)
    step = ApprovalRequest.objects.get(subject_type=TYPE, subject_id=change.pk)

    with pytest.raises(ValidationError) as refused:
        approvals_ops.decide(desk["people"]["peer"], step, decision="rejected")
    assert "comment" in refused.value.fields
    approvals_ops.decide(
        desk["people"]["peer"], step, decision="rejected", comment="No tested backout"
    )

    change.refresh_from_db()
    assert (change.status, change.approval_round) == (Status.ASSESS, 2)
    assert change.rejection_reasons == "Peer: No tested backout"
    assert steps(change) == [(1, "Peer review", "rejected")]
    ops.move_change(desk["people"]["agent"], change, Status.AUTHORIZE)
    assert steps(change)[-1] == (2, "Peer review", "pending")


def test_the_approvals_side_keeps_the_changes_rules(desk, make_change, make_user):
    """Self-approval is refused there too, and only IT staff decide on a change (a requester
    standing in for a peer is refused, nothing written)."""
    people = desk["people"]
    change = bring_to(make_change(owner=people["impl"]), Status.AUTHORIZE, desk)
    step = ApprovalRequest.objects.get(subject_type=TYPE, subject_id=change.pk)
    for own in (people["agent"], people["impl"]):  # the requester, the owner
        with pytest.raises(PermissionDenied) as refused:
            approvals_ops.decide(own, step, decision="approved")
        assert "approver" in refused.value.fields

    requester = people["requester"]
    now = timezone.now()
    approvals_ops.delegate(
        people["peer"],
        user=people["peer"],
        delegate=requester,
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(days=2),
    )
    with pytest.raises(PermissionDenied) as refused:
        approvals_ops.decide(requester, step, decision="approved")
    assert "approver" in refused.value.fields
    assert not Approver.objects.filter(request=step).exclude(decision="pending").exists()
    change.refresh_from_db()
    assert change.authorized_at is None


def test_a_delegate_decides_on_behalf_of_a_board_member(desk, make_change, make_user, cab):
    people = desk["people"]
    stand_in = make_user("standin", roles=[Role.AGENT])
    now = timezone.now()
    approvals_ops.delegate(
        people["cab1"],
        user=people["cab1"],
        delegate=stand_in,
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(days=2),
    )
    change = bring_to(make_change(**cab["high"]), Status.AUTHORIZE, desk)
    assert may_approve(stand_in, change)

    vote = ops.decide(stand_in, change, decision="approved", comment="For Cab1")

    assert (vote.approver, vote.decided_by, vote.on_behalf_of) == (
        people["cab1"],
        stand_in,
        people["cab1"],
    )
    assert not may_approve(people["cab1"], change)  # cab1's approval is given
    state = authorization(change)
    assert state.approved == 1 and not state.complete
    ops.decide(people["cm"], change, decision="approved")
    assert authorization(change).complete


def test_a_change_whose_risk_moved_is_asked_afresh_in_a_new_round(desk, make_change, cab):
    change = bring_to(make_change(), Status.AUTHORIZE, desk)
    ops.decide(desk["people"]["peer"], change, decision="approved")
    change.refresh_from_db()
    assert change.authorized_at is not None

    ops.update_change(desk["people"]["agent"], change, version=change.version, **cab["high"])

    change.refresh_from_db()
    assert change.risk == "high"
    assert (change.approval_round, change.authorized_at) == (2, None)
    assert steps(change) == [(1, "Peer review", "approved"), (2, "CAB", "pending")]
    assert awaits(desk["people"]["cab1"], change)
    assert "reauthorized" in [e.action for e in journal.history(change)]
    with pytest.raises(ValidationError) as refused:
        ops.move_change(desk["people"]["agent"], change, Status.SCHEDULED)
    assert "approvals" in refused.value.fields


def test_a_pending_step_is_withdrawn_when_the_authority_table_moves(desk, make_change):
    change = bring_to(make_change(), Status.AUTHORIZE, desk)
    assert steps(change) == [(1, "Peer review", "pending")]

    ops.set_authority(desk["people"]["cm"], type="normal", risk="low", level="change_manager")

    change.refresh_from_db()
    assert steps(change) == [(1, "Peer review", "cancelled"), (2, "Change manager", "pending")]
    assert not may_approve(desk["people"]["peer"], change)
    assert may_approve(desk["people"]["cm"], change)

    ops.set_authority(desk["people"]["cm"], type="normal", risk="low", level="none")
    change.refresh_from_db()
    assert change.authorized_at is not None and authorization(change).complete
    assert steps(change)[-1] == (2, "Change manager", "cancelled")


def test_a_new_quorum_asks_the_boards_changes_afresh(desk, make_change, cab):
    board = cab["board"]
    change = bring_to(make_change(**cab["high"]), Status.AUTHORIZE, desk)
    ops.decide(desk["people"]["cab1"], change, decision="approved")

    ops.update_board(desk["people"]["cm"], board, version=board.version, meets_on="Tuesdays")
    assert steps(change) == [(1, "CAB", "pending")]  # nothing that decides moved
    board.refresh_from_db()
    ops.update_board(desk["people"]["cm"], board, version=board.version, quorum=3)

    change.refresh_from_db()
    assert steps(change) == [(1, "CAB", "cancelled"), (2, "CAB", "pending")]
    assert authorization(change).needed == 3


def test_the_change_managers_presence_is_read_as_the_board_stands(desk, make_change, cab):
    board = cab["board"]
    change = bring_to(make_change(**cab["high"]), Status.AUTHORIZE, desk)
    ops.decide(desk["people"]["cab1"], change, decision="approved")
    ops.update_board(
        desk["people"]["cm"], board, version=board.version, change_manager_required=False
    )

    ops.decide(desk["people"]["cab2"], change, decision="approved")

    assert authorization(change).complete


def test_leaving_authorize_withdraws_the_open_step(desk, make_change):
    back = bring_to(make_change(), Status.AUTHORIZE, desk)
    ops.move_change(desk["people"]["agent"], back, Status.ASSESS)
    cancelled = bring_to(make_change(), Status.AUTHORIZE, desk)
    ops.move_change(
        desk["people"]["agent"], cancelled, Status.CANCELLED, cancel_reason="Not needed"
    )

    assert steps(back) == [(1, "Peer review", "cancelled")]
    assert steps(cancelled) == [(1, "Peer review", "cancelled")]
    for person in (desk["people"]["peer"], desk["people"]["impl"]):
        assert not awaits(person, back) and not awaits(person, cancelled)
    step = ApprovalRequest.objects.get(subject_type=TYPE, subject_id=back.pk)
    with pytest.raises(ConflictError):
        approvals_ops.decide(desk["people"]["peer"], step, decision="approved")


def test_a_change_nobody_could_approve_does_not_enter_authorize(desk, make_change, make_user):
    people = desk["people"]
    alone = people_ops.create_group(None, name="Alone", members=[people["agent"]])
    change = bring_to(make_change(owning_group=alone), Status.ASSESS, desk)

    with pytest.raises(ValidationError) as refused:
        ops.move_change(people["agent"], change, Status.AUTHORIZE)

    assert "approvers" in refused.value.fields
    change.refresh_from_db()
    assert change.status == Status.ASSESS and steps(change) == []


def test_a_change_is_decided_through_the_approvals_api(desk, make_change, api_as):
    people = desk["people"]
    change = bring_to(make_change(), Status.AUTHORIZE, desk)
    step = ApprovalRequest.objects.get(subject_type=TYPE, subject_id=change.pk)

    status, mine = api_as(people["peer"]).get("approvals")
    assert status == 200
    assert [a["id"] for a in mine["items"]] == [step.pk]
    status, theirs = api_as(people["agent"]).get("approvals")  # the requester and owner
    assert status == 200 and theirs["items"] == []
    status, _ = api_as(people["requester"]).get(f"approvals/{step.pk}")
    assert status == 404

    status, decided = api_as(people["peer"]).post(
        f"approvals/{step.pk}/decision", {"decision": "approved", "comment": "Plans look right"}
    )

    assert status == 200, decided
    status, auth = api_as(people["agent"]).get(f"changes/{change.number}/approvals")
    assert status == 200
    assert auth["complete"] and auth["authorized_at"] is not None
    assert [
        (a["approver"]["id"], a["level"], a["decision"], a["comment"]) for a in auth["approvals"]
    ] == [(people["peer"].pk, "peer", "approved", "Plans look right")]


def test_a_board_whose_members_decided_stays_for_the_record(desk, make_change, cab):
    from steward.changes.operations.admin_removals import delete_board

    people, board = desk["people"], cab["board"]
    change = bring_to(make_change(**cab["high"]), Status.AUTHORIZE, desk)
    ops.decide(people["cab1"], change, decision="approved")
    ops.set_authority(people["cm"], type="normal", risk="high", level="change_manager")

    with pytest.raises(ConflictError) as refused:
        delete_board(people["admin"], board)

    assert "board" in refused.value.fields
    change.refresh_from_db()
    assert steps(change) == [(1, "CAB", "cancelled"), (2, "Change manager", "pending")]
    unused = ops.create_board(people["admin"], group=desk["groups"]["platform"], quorum=1)
    delete_board(people["admin"], unused)  # a board nobody decided for goes
