"""Authorizing changes: the authority per level (none, peer, change manager, a board with its
quorum and its change manager), nobody approving their own change, one vote per round,
rejection back to Assess with the reasons and a new round, versions and the journal."""

from __future__ import annotations

import pytest

from steward.approvals.choices import DONE
from steward.approvals.models import Approver
from steward.changes import operations as ops
from steward.changes import rules
from steward.changes.authorization import authorization, may_approve
from steward.changes.choices import Status
from steward.core import journal
from steward.core.errors import Conflict as ConflictError
from steward.core.errors import NotFound, PermissionDenied, StaleVersion, ValidationError
from tests.changes.conftest import bring_to
from tests.threads import run_in_threads

pytestmark = pytest.mark.django_db


def decisions(change=None, round=None):
    """The decisions given on changes (the shared approvals' approver rows)."""
    rows = Approver.objects.filter(request__subject_type="changes.changerequest", decision__in=DONE)
    if change is not None:
        rows = rows.filter(request__subject_id=change.pk)
    if round is not None:
        rows = rows.filter(request__round=round)
    return rows


def in_authorize(desk, make_change, **fields):
    return bring_to(make_change(**fields), Status.AUTHORIZE, desk)


def approve(person, change, **kw):
    return ops.decide(person, change, decision="approved", **kw)


@pytest.fixture
def moderate(desk):
    """A rule making any change with an expected outage moderate risk (→ the change manager)."""
    ops.create_risk_rule(
        desk["people"]["cm"], name="Outage", kind="outage_expected", minimum="moderate"
    )
    return {"outage_expected": True, "outage_minutes": 10}


@pytest.fixture
def cab(desk):
    """The CAB (quorum 2, the change manager required) authorizes normal high-risk changes;
    ``high`` are the fields of such a change."""
    board = ops.create_board(desk["people"]["admin"], group=desk["groups"]["cab"], quorum=2)
    ops.set_authority(desk["people"]["cm"], type="normal", risk="high", level="board", board=board)
    ops.create_risk_rule(
        desk["people"]["cm"], name="Outage", kind="outage_expected", minimum="high"
    )
    return {"board": board, "high": {"outage_expected": True, "outage_minutes": 60}}


# --- none ---------------------------------------------------------------------------------------


def test_a_pre_authorized_change_is_authorized_on_entering_authorize(desk, make_change):
    ops.set_authority(desk["people"]["cm"], type="normal", risk="low", level="none")
    change = in_authorize(desk, make_change)

    state = authorization(change)
    assert (state.level, state.needed, state.complete) == ("none", 0, True)
    assert change.authorized_at is not None
    assert not may_approve(desk["people"]["peer"], change)
    with pytest.raises(PermissionDenied) as refused:
        approve(desk["people"]["peer"], change)
    assert "approver" in refused.value.fields


# --- peer ---------------------------------------------------------------------------------------


def test_a_low_risk_change_is_peer_reviewed_by_another_member_of_its_group(desk, make_change):
    change = in_authorize(desk, make_change)
    state = authorization(change)
    assert (state.level, state.needed, state.complete) == ("peer", 1, False)
    assert change.authorized_at is None

    for outsider in (desk["people"]["outsider_agent"], desk["people"]["cm"]):
        with pytest.raises(PermissionDenied) as refused:
            approve(outsider, change)
        assert "approver" in refused.value.fields

    approval = approve(desk["people"]["peer"], change, comment="Plans look right")

    change.refresh_from_db()
    assert (approval.level, approval.round, approval.comment) == ("peer", 1, "Plans look right")
    assert authorization(change).complete
    assert change.authorized_at is not None
    assert [e.action for e in journal.history(change)][-2:] == ["approval_decided", "authorized"]


def test_nobody_approves_their_own_change(desk, make_change):
    change = in_authorize(
        desk, make_change, actor=desk["people"]["peer"], owner=desk["people"]["impl"]
    )

    for own in (desk["people"]["peer"], desk["people"]["impl"]):  # the requester, the owner
        assert not may_approve(own, change)
        with pytest.raises(PermissionDenied) as refused:
            approve(own, change)
        assert "approver" in refused.value.fields
        assert "own change" in refused.value.message
    assert not decisions().exists()
    approve(desk["people"]["agent"], change)
    assert authorization(change).complete


def test_one_vote_per_person_per_round_and_none_once_authorized(desk, make_change, cab):
    change = in_authorize(desk, make_change, **cab["high"])
    approve(desk["people"]["cab1"], change)

    with pytest.raises(ConflictError) as refused:
        approve(desk["people"]["cab1"], change)
    assert "decision" in refused.value.fields

    approve(desk["people"]["cm"], change)
    assert authorization(change).complete
    with pytest.raises(ConflictError) as refused:
        ops.decide(desk["people"]["cab2"], change, decision="rejected", comment="Too late")
    assert "decision" in refused.value.fields
    assert decisions(change).count() == 2


# --- the change manager -------------------------------------------------------------------------


def test_a_moderate_risk_change_is_authorized_by_the_change_manager(desk, make_change, moderate):
    change = in_authorize(desk, make_change, **moderate)
    assert change.risk == "moderate"
    assert authorization(change).level == "change_manager"

    with pytest.raises(PermissionDenied) as refused:
        approve(desk["people"]["peer"], change)
    assert "approver" in refused.value.fields
    assert rules.allowed_actions(desk["people"]["cm"], change) >= {"approve"}
    assert "approve" not in rules.allowed_actions(desk["people"]["peer"], change)

    approve(desk["people"]["cm"], change)

    assert authorization(change).complete


def test_an_emergency_change_is_authorized_by_the_change_manager_alone(desk, make_change):
    change = in_authorize(desk, make_change, type="emergency")
    assert authorization(change).level == "change_manager"
    approve(desk["people"]["cm"], change)
    ops.move_change(desk["people"]["agent"], change, Status.SCHEDULED)
    change.refresh_from_db()
    assert change.status == Status.SCHEDULED


# --- a board ------------------------------------------------------------------------------------


def test_a_board_decides_with_its_quorum_and_the_change_manager(desk, make_change, cab):
    change = in_authorize(desk, make_change, **cab["high"])
    state = authorization(change)
    assert (state.level, state.board, state.needed) == ("board", cab["board"], 2)

    with pytest.raises(PermissionDenied):
        approve(desk["people"]["peer"], change)  # not on the board
    approve(desk["people"]["cab1"], change)
    assert not authorization(change).complete  # quorum not reached

    approve(desk["people"]["cab2"], change)
    state = authorization(change)
    assert state.approved == 2
    assert state.change_manager_missing
    assert not state.complete  # quorum reached, no change manager among them
    with pytest.raises(ValidationError) as refused:
        ops.move_change(desk["people"]["agent"], change, Status.SCHEDULED)
    assert "approvals" in refused.value.fields

    approve(desk["people"]["cm"], change)
    change.refresh_from_db()
    assert authorization(change).complete
    assert change.authorized_at is not None


def test_a_board_without_the_change_manager_requirement_decides_on_its_quorum(
    desk, make_change, cab
):
    board = cab["board"]
    ops.update_board(
        desk["people"]["cm"], board, version=board.version, change_manager_required=False
    )
    change = in_authorize(desk, make_change, **cab["high"])

    approve(desk["people"]["cab1"], change)
    assert not authorization(change).complete
    approve(desk["people"]["cab2"], change)
    assert authorization(change).complete


def test_a_board_rule_needs_its_board_and_a_standard_change_no_authority(desk):
    with pytest.raises(ValidationError) as refused:
        ops.set_authority(desk["people"]["cm"], type="normal", risk="high", level="board")
    assert "board" in refused.value.fields
    with pytest.raises(ValidationError) as refused:
        ops.set_authority(desk["people"]["cm"], type="standard", risk="low", level="peer")
    assert "level" in refused.value.fields
    with pytest.raises(PermissionDenied):
        ops.set_authority(desk["people"]["peer"], type="normal", risk="low", level="none")


# --- rejection ----------------------------------------------------------------------------------


def test_a_rejection_sends_the_change_back_to_assess_with_its_reasons(desk, make_change, cab):
    change = in_authorize(desk, make_change, **cab["high"])
    approve(desk["people"]["cab1"], change)

    with pytest.raises(ValidationError) as refused:
        ops.decide(desk["people"]["cab2"], change, decision="rejected")
    assert "comment" in refused.value.fields

    ops.decide(desk["people"]["cab2"], change, decision="rejected", comment="No tested backout")

    change.refresh_from_db()
    assert change.status == Status.ASSESS
    assert change.approval_round == 2
    assert change.rejection_reasons == "Cab2: No tested backout"
    assert change.authorized_at is None
    entry = journal.history(change).last()
    assert entry.action == "rejected"
    assert entry.changes["status"] == ["authorize", "assess"]
    assert entry.comment == "No tested backout"

    # the new round: the earlier votes no longer count, and everyone votes again
    ops.move_change(desk["people"]["agent"], change, Status.AUTHORIZE)
    state = authorization(change)
    assert (state.approved, state.rejected, state.complete) == (0, False, False)
    approve(desk["people"]["cab1"], change)
    approve(desk["people"]["cm"], change)
    assert authorization(change).complete
    assert decisions(change, round=2).count() == 2


def test_a_change_is_decided_only_while_in_authorize(desk, make_change):
    change = bring_to(make_change(), Status.ASSESS, desk)
    with pytest.raises(ConflictError) as refused:
        approve(desk["people"]["peer"], change)
    assert "status" in refused.value.fields


def test_an_unknown_decision_is_refused(desk, make_change):
    change = in_authorize(desk, make_change)
    with pytest.raises(ValidationError) as refused:
        ops.decide(desk["people"]["peer"], change, decision="maybe")
    assert "decision" in refused.value.fields


def test_a_stale_version_writes_no_vote(desk, make_change):
    change = in_authorize(desk, make_change)
    with pytest.raises(StaleVersion):
        approve(desk["people"]["peer"], change, version=change.version - 1)
    assert not decisions().exists()
    approve(desk["people"]["peer"], change, version=change.version)
    assert decisions().count() == 1


def test_a_requester_cannot_vote(desk, make_change):
    change = in_authorize(desk, make_change)
    with pytest.raises(NotFound):
        approve(desk["people"]["requester"], change)
    assert not may_approve(desk["people"]["requester"], change)
    assert rules.allowed_actions(desk["people"]["requester"], change) == frozenset()


def test_a_change_whose_risk_moved_is_authorized_afresh_at_its_new_level(
    desk, make_change, moderate
):
    change = in_authorize(desk, make_change)
    approve(desk["people"]["peer"], change)
    assert authorization(change).complete

    ops.update_change(desk["people"]["agent"], change, version=change.version, outage_expected=True)

    change.refresh_from_db()
    assert change.risk == "moderate"
    assert not authorization(change).complete


@pytest.mark.django_db(transaction=True)
def test_two_peers_approving_at_once_authorize_the_change_once(desk, make_change):
    change = in_authorize(desk, make_change)
    voters = {"peer": desk["people"]["peer"], "impl": desk["people"]["impl"]}

    def vote():
        import threading

        from steward.changes.models import ChangeRequest

        person = voters[threading.current_thread().name]
        approve(person, ChangeRequest.objects.get(pk=change.pk))

    errors = run_in_threads(vote, 2, names=["peer", "impl"])

    assert len(errors) == 1 and isinstance(errors[0], ConflictError)
    assert errors[0].fields == {"decision": [errors[0].message]}
    assert decisions(change).count() == 1
    assert [e.action for e in journal.history(change)].count("authorized") == 1


def test_once_votes_are_given_the_scope_moves_only_through_assess(desk, make_change, cab):
    change = in_authorize(desk, make_change, **cab["high"])
    ops.update_change(
        desk["people"]["agent"], change, version=change.version, cis=[desk["cis"]["db01"]]
    )  # no vote yet: the scope may still move
    approve(desk["people"]["cab1"], change)
    change.refresh_from_db()

    with pytest.raises(ConflictError) as refused:
        ops.update_change(
            desk["people"]["agent"], change, version=change.version, cis=[desk["cis"]["web01"]]
        )

    assert set(refused.value.fields) == {"cis"}
    assert list(change.cis.all()) == [desk["cis"]["db01"]]
