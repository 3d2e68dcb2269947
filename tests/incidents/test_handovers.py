"""Formal handovers: pending until accepted, ownership moves only on acceptance, measures."""

from __future__ import annotations

from datetime import timedelta

import pytest

from steward.core.errors import Conflict, PermissionDenied, ValidationError
from steward.core.models import JournalEntry
from steward.incidents import operations as ops
from steward.incidents import queries
from steward.incidents.models import Handover, Incident
from steward.notifications.models import Notification
from steward.people.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(open_one, desk):
    incident = open_one()
    ops.assign(desk["people"]["agent"], incident, desk["desk2"])
    incident.refresh_from_db()
    return incident


def hand(desk, incident, to="database", by=None):
    return ops.hand_over(
        by or desk["people"]["agent"],
        incident,
        to_group=desk["groups"][to],
        reason="Database errors in the log",
        note="Restarted the app server; no change",
    )


def test_ownership_does_not_move_before_acceptance(desk, incident):
    handover = hand(desk, incident)

    incident.refresh_from_db()
    assert handover.status == "pending"
    assert incident.owning_group == desk["groups"]["desk"]
    assert incident.assignee == desk["desk2"]
    assert queries.pending_handover(incident) == handover
    assert JournalEntry.objects.for_record(incident).last().action == "handover_requested"
    # the receiving group and its manager are told (the group through one notification)
    told = {
        user.username
        for user in User.objects.all()
        if Notification.objects.for_user(user).filter(subject__startswith="Handover to").exists()
    }
    assert told == {"dba", "dba2", "dbmanager"}


def test_accepting_moves_ownership_and_may_take_the_assignment(desk, incident):
    handover = hand(desk, incident)
    version = Incident.objects.get(pk=incident.pk).version

    ops.accept_handover(desk["dba"], handover, take_assignment=True)

    incident.refresh_from_db()
    handover.refresh_from_db()
    assert incident.owning_group == desk["groups"]["database"]
    assert incident.assignee == desk["dba"]
    assert incident.version == version + 1
    assert (handover.status, handover.decided_by) == ("accepted", desk["dba"])
    entry = JournalEntry.objects.for_record(incident).last()
    assert entry.action == "handover_accepted"
    assert entry.changes["owning_group"][1]["name"] == "Database"
    assert Notification.objects.filter(
        recipient=desk["people"]["agent"], subject__contains="accepted"
    ).exists()


def test_accepting_without_taking_leaves_it_unassigned(desk, incident):
    ops.accept_handover(desk["dba"], hand(desk, incident))
    incident.refresh_from_db()
    assert incident.assignee is None


def test_only_the_receiving_group_decides(desk, incident):
    handover = hand(desk, incident)
    for outsider in (desk["people"]["agent"], desk["desk2"], desk["owner"]):
        with pytest.raises(PermissionDenied):
            ops.accept_handover(outsider, handover)
        with pytest.raises(PermissionDenied):
            ops.reject_handover(outsider, handover, reason="no")
    # the group's manager may decide
    ops.reject_handover(desk["dbmanager"], handover, reason="Not a database problem")


def test_rejecting_keeps_ownership_and_tells_the_sender_why(desk, incident):
    handover = hand(desk, incident)
    with pytest.raises(ValidationError) as err:
        ops.reject_handover(desk["dba"], handover, reason="  ")
    assert list(err.value.fields) == ["reason"]

    ops.reject_handover(desk["dba"], handover, reason="Connection pool is fine: check the app")

    incident.refresh_from_db()
    handover.refresh_from_db()
    assert incident.owning_group == desk["groups"]["desk"]
    assert incident.assignee == desk["desk2"]
    assert handover.status == "rejected"
    assert handover.rejection_reason == "Connection pool is fine: check the app"
    told = Notification.objects.get(recipient=desk["people"]["agent"], subject__contains="rejected")
    assert "check the app" in told.body


def test_a_decided_handover_cannot_be_decided_again(desk, incident):
    handover = hand(desk, incident)
    ops.accept_handover(desk["dba"], handover)
    with pytest.raises(Conflict):
        ops.accept_handover(desk["dba2"], handover)
    with pytest.raises(Conflict):
        ops.reject_handover(desk["dba2"], handover, reason="late")


def test_one_pending_handover_per_incident(desk, incident):
    hand(desk, incident)
    with pytest.raises(Conflict) as err:
        hand(desk, incident, to="network")
    assert "pending" in err.value.message
    assert Handover.objects.filter(incident=incident).count() == 1


def test_assigning_within_the_group_is_not_a_handover(desk, incident):
    with pytest.raises(ValidationError) as err:
        hand(desk, incident, to="desk")
    assert "not a handover" in err.value.fields["to_group"][0]
    ops.assign(desk["people"]["agent"], incident, desk["people"]["agent"])
    assert not Handover.objects.exists()


def test_closed_incidents_are_not_handed_over(desk, incident):
    ops.transition(desk["people"]["agent"], incident, "cancelled")
    with pytest.raises(Conflict):
        hand(desk, incident)


def test_the_sender_may_cancel(desk, incident):
    handover = hand(desk, incident)
    with pytest.raises(PermissionDenied):
        ops.cancel_handover(desk["dba"], handover)
    ops.cancel_handover(desk["desk2"], handover)
    handover.refresh_from_db()
    assert handover.status == "cancelled"
    hand(desk, incident, to="network")  # a new one may start


def bounce(desk, incident, route):
    """Hand the incident along ``route`` (group keys), each accepted by a member."""
    acceptor = {"desk": desk["desk2"], "database": desk["dba"], "network": desk["owner"]}
    for to in route:
        handover = ops.hand_over(
            None, incident, to_group=desk["groups"][to], reason="bounce", note=""
        )
        ops.accept_handover(acceptor[to], handover)
        incident.refresh_from_db()


def test_measures_count_handovers_rejections_and_time_to_accept(desk, incident):
    rejected = hand(desk, incident)
    ops.reject_handover(desk["dba"], rejected, reason="no")
    accepted = hand(desk, incident, to="network")
    Handover.objects.filter(pk=accepted.pk).update(
        created_at=accepted.created_at - timedelta(minutes=10)
    )
    ops.accept_handover(desk["owner"], accepted)

    m = queries.incident_measures(Incident.objects.get(pk=incident.pk))

    assert (m.count, m.rejections, m.pending, m.ping_pong) == (1, 1, False, False)
    assert 599 < m.mean_seconds_to_accept < 660


def test_returning_to_a_group_that_handed_it_away_is_ping_pong(desk, incident):
    bounce(desk, incident, ["database"])
    assert not queries.incident_measures(incident).ping_pong
    bounce(desk, incident, ["desk"])
    assert queries.incident_measures(incident).ping_pong


def test_more_than_three_handovers_is_ping_pong(desk, open_one):
    from steward.people import operations as people_ops

    extra = [
        people_ops.create_group(None, name=f"Team {n}", members=[desk["dba"]]) for n in range(4)
    ]
    incident = open_one()
    for n, group in enumerate(extra):
        h = ops.hand_over(None, incident, to_group=group, reason="next", note="")
        ops.accept_handover(desk["dba"], h)
        incident.refresh_from_db()
        assert queries.incident_measures(incident).ping_pong == (n + 1 > 3)


def test_per_group_figures(desk, incident):
    bounce(desk, incident, ["database", "desk"])
    pending = hand(desk, incident, to="network")
    rejected_one = ops.open_incident(
        None,
        title="other",
        caller=desk["people"]["requester"],
        impact=3,
        urgency=3,
    )
    ops.reject_handover(desk["dba"], hand(desk, rejected_one), reason="no")

    figures = {row["group"]["name"]: row for row in queries.group_figures()}

    assert figures["Database"] | {"mean_seconds_to_accept": None} == {
        "group": {"id": desk["groups"]["database"].pk, "name": "Database"},
        "received": 2,
        "accepted": 1,
        "rejected": 1,
        "pending": 0,
        "sent": 1,
        "mean_seconds_to_accept": None,
        "ping_pong_incidents": 0,
    }
    assert figures["Service Desk"]["ping_pong_incidents"] == 1
    assert figures["Service Desk"]["sent"] == 3
    assert figures["Network"]["pending"] == 1
    assert figures["Database"]["mean_seconds_to_accept"] is not None
    assert pending.status == "pending"


def test_without_an_ola_the_default_target_applies_and_the_manager_is_told_once(desk, incident):
    from django.utils import timezone

    handover = hand(desk, incident)
    now = timezone.now()
    assert ops.overdue_handovers(now + timedelta(minutes=29)) == []
    assert ops.notify_overdue_handovers(now + timedelta(minutes=31)) == 1
    assert ops.notify_overdue_handovers(now + timedelta(minutes=90)) == 0
    told = Notification.objects.filter(subject__startswith="Handover waiting")
    assert list(told.values_list("recipient__username", flat=True)) == ["dbmanager"]
    handover.refresh_from_db()
    assert handover.overdue_notified_at is not None


def test_the_groups_ola_sets_the_target_in_business_time_and_slm_escalates_once(desk, incident):
    from django.utils import timezone

    from steward.slm import operations as slm

    ops.set_handover_target(desk["dbmanager"], desk["groups"]["database"], 60)
    hand(desk, incident)
    now = timezone.now()
    assert ops.overdue_handovers(now + timedelta(minutes=59)) == []
    assert len(ops.overdue_handovers(now + timedelta(minutes=61))) == 1
    assert ops.notify_overdue_handovers(now + timedelta(minutes=61)) == 0  # slm's job, not ours
    slm.check_clocks(now + timedelta(minutes=61))
    slm.check_clocks(now + timedelta(minutes=90))
    told = Notification.objects.filter(subject__startswith="OLA breached")
    assert list(told.values_list("recipient__username", flat=True)) == ["dbmanager"]


def test_overdue_handovers_are_listed_for_the_receiving_group(desk, incident, api_as):
    handover = hand(desk, incident)
    manager = api_as(desk["dbmanager"])
    assert manager.get("handovers", overdue=True)[1]["count"] == 0
    Handover.objects.filter(pk=handover.pk).update(
        created_at=handover.created_at - timedelta(minutes=31)
    )
    status, data = manager.get("handovers", overdue=True, mine=True)
    assert status == 200 and data["count"] == 1 and data["items"][0]["overdue"] is True


def test_a_handover_past_its_target_is_an_ownership_gap_for_the_receiving_manager(desk, incident):
    from steward.ownership import gaps

    handover = hand(desk, incident)
    assert not [g for g in gaps.collect() if g["kind"] == "handover_overdue"]
    Handover.objects.filter(pk=handover.pk).update(
        created_at=handover.created_at - timedelta(minutes=31)
    )
    (found,) = [g for g in gaps.collect() if g["kind"] == "handover_overdue"]
    assert found["fix_by"]["id"] == desk["dbmanager"].pk
    ops.accept_handover(desk["dba"], handover)
    assert not [g for g in gaps.collect() if g["kind"] == "handover_overdue"]
