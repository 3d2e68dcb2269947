"""Who is told as a change moves through authorization: the approvers its authority names
when it enters Authorize (the owning group for a peer review, the change managers, the
board's group; asked by the shared approvals, never the requester or owner), and its owner
and requester when it is rejected or authorized."""

from __future__ import annotations

import pytest

from steward.changes import operations as ops
from steward.changes.choices import Status
from steward.notifications import queries
from tests.changes.conftest import bring_to

pytestmark = pytest.mark.django_db


def subjects(person) -> list[str]:
    return [n.subject for n in queries.inbox(person)]


def asked(person, change, step: str = "") -> bool:
    """Whether ``person`` was asked to approve ``change`` (at the step named ``step``)."""
    prefix = f"Approval asked: {change.number} {change.title} ({step}"
    return any(s.startswith(prefix) for s in subjects(person))


def test_a_peer_review_asks_the_owning_group_and_nobody_else(desk, make_change):
    change = bring_to(make_change(), Status.AUTHORIZE, desk)
    people = desk["people"]

    assert asked(people["peer"], change, "Peer review)")
    assert asked(people["impl"], change, "Peer review)")
    for outsider in ("agent", "cm", "cab1", "outsider_agent"):  # agent: requester and owner
        assert not asked(people[outsider], change), outsider


def test_a_moderate_risk_change_asks_the_change_managers(desk, make_change):
    ops.create_risk_rule(
        desk["people"]["cm"], name="Outage", kind="outage_expected", minimum="moderate"
    )
    change = bring_to(make_change(outage_expected=True, outage_minutes=10), Status.AUTHORIZE, desk)

    assert asked(desk["people"]["cm"], change, "Change manager)")
    assert not asked(desk["people"]["peer"], change)


def test_a_board_change_asks_the_board_members(desk, make_change):
    board = ops.create_board(desk["people"]["admin"], group=desk["groups"]["cab"], quorum=2)
    ops.set_authority(desk["people"]["cm"], type="normal", risk="high", level="board", board=board)
    ops.create_risk_rule(
        desk["people"]["cm"], name="Outage", kind="outage_expected", minimum="high"
    )
    change = bring_to(make_change(outage_expected=True, outage_minutes=60), Status.AUTHORIZE, desk)

    for member in ("cm", "cab1", "cab2"):
        assert asked(desk["people"][member], change, "CAB)"), member
    assert not asked(desk["people"]["peer"], change)


def test_a_pre_authorized_change_asks_nobody(desk, make_change):
    ops.set_authority(desk["people"]["cm"], type="normal", risk="low", level="none")
    change = bring_to(make_change(), Status.AUTHORIZE, desk)

    assert not asked(desk["people"]["peer"], change)


def test_the_owner_hears_of_a_rejection_with_its_reasons_and_of_the_authorization(
    desk, make_change
):
    people = desk["people"]
    change = bring_to(make_change(owner=people["impl"]), Status.AUTHORIZE, desk)
    ops.decide(people["peer"], change, decision="rejected", comment="No rollback tested")
    change.refresh_from_db()

    rejected = [n for n in queries.inbox(people["impl"]) if n.subject.endswith("is back in Assess")]
    assert [n.subject for n in rejected] == [f"{change.number} was rejected and is back in Assess"]
    assert "No rollback tested" in rejected[0].body

    ops.move_change(people["agent"], change, Status.AUTHORIZE, version=change.version)
    change.refresh_from_db()
    ops.decide(people["peer"], change, decision="approved")

    assert f"{change.number} is authorized: it can be scheduled" in subjects(people["impl"])
    assert f"{change.number} is authorized: it can be scheduled" not in subjects(people["peer"])
