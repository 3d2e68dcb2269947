"""The queue tallies (active incidents per group and assignee, kept by database triggers) equal
a count of the incidents after every kind of change, including concurrent ones."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.db import connection, transaction

from steward.incidents import operations as ops
from steward.incidents import tallies
from steward.incidents.choices import ResolutionCode, Status
from steward.incidents.models import Incident, QueueTally
from tests.threads import run_in_threads


def recount() -> Counter:
    """The tallies as a count of the incidents would give them."""
    rows = Incident.objects.active().values_list("owning_group_id", "assignee_id")
    return Counter((group, assignee or 0) for group, assignee in rows)


def tallied() -> Counter:
    tallies.settle()
    rows = QueueTally.objects.exclude(active_count=0).values_list(
        "group_id", "assignee_id", "active_count"
    )
    return Counter({(group, assignee): n for group, assignee, n in rows})


def test_the_tallies_follow_every_change_of_an_incident(desk, open_one):
    agent, dba = desk["people"]["agent"], desk["dba"]
    database = desk["groups"]["database"]
    first, second, third = open_one(), open_one(), open_one(owning_group=database)
    assert tallied() == recount() and sum(recount().values()) == 3

    ops.assign(agent, first, agent)
    ops.assign(agent, first, desk["desk2"])  # reassigned within the group
    ops.transition(agent, second, Status.IN_PROGRESS)
    ops.transition(agent, second, Status.ON_HOLD, hold_reason="awaiting_caller")
    assert tallied() == recount()

    handover = ops.hand_over(agent, first, to_group=database, reason="db", note="tried")
    assert tallied() == recount()  # ownership has not moved yet
    ops.accept_handover(dba, handover, take_assignment=True)
    assert tallied()[(database.pk, dba.pk)] == 1
    assert tallied() == recount()

    ops.transition(agent, second, Status.IN_PROGRESS)
    ops.transition(
        agent,
        second,
        Status.RESOLVED,
        resolution_code=ResolutionCode.values[0],
        resolution_notes="fixed",
    )
    assert tallied() == recount() and sum(recount().values()) == 2
    ops.transition(desk["people"]["requester"], second, Status.IN_PROGRESS)  # reopened
    ops.transition(dba, third, Status.CANCELLED, comment="duplicate")  # its group cancels
    assert tallied() == recount() and sum(recount().values()) == 2

    rows = [
        {"title": f"bulk {n}", "caller": agent, "owning_group": database, "impact": 3, "urgency": 3}
        for n in range(5)
    ]
    ops.bulk_open_incidents(desk["people"]["admin"], rows)
    assert tallied() == recount() and sum(recount().values()) == 7

    Incident.objects.filter(pk=third.pk).delete()  # a cancelled one: nothing to take away
    Incident.objects.filter(title="bulk 0").delete()
    assert tallied() == recount() and sum(recount().values()) == 6


def test_a_transaction_reads_its_own_changes_of_the_tallies(desk, open_one):
    group = desk["groups"]["desk"]
    before = tallies.total(group_id=group.pk)
    with transaction.atomic():
        open_one(owning_group=group)
        assert tallies.total(group_id=group.pk) == before + 1
    assert tallies.total(group_id=group.pk) == before + 1


@pytest.mark.django_db(transaction=True)
def test_parallel_creates_and_moves_in_one_group_lose_no_count(desk, open_one):
    """Twenty incidents raised into one group at once, and handovers accepted at once between
    two groups in both directions: the tallies still equal the count (no lost update, no
    deadlock)."""
    agent, dba = desk["people"]["agent"], desk["dba"]
    service_desk, database = desk["groups"]["desk"], desk["groups"]["database"]
    to_db = [open_one(owning_group=service_desk) for _ in range(6)]
    to_desk = [open_one(owning_group=database) for _ in range(6)]
    handovers = [ops.hand_over(agent, i, to_group=database, reason="r") for i in to_db] + [
        ops.hand_over(dba, i, to_group=service_desk, reason="r") for i in to_desk
    ]
    moves = iter(handovers)

    def create():
        open_one(owning_group=service_desk)

    def accept():
        handover = next(moves)
        taker = dba if handover.to_group_id == database.pk else agent
        ops.accept_handover(taker, handover, take_assignment=True)

    assert run_in_threads(create, 20) == []
    assert run_in_threads(accept, len(handovers)) == []
    counted = recount()
    assert counted[(service_desk.pk, 0)] == 20 and counted[(database.pk, dba.pk)] == 6
    assert tallied() == counted


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_tally_changes_at_commit(desk, open_one):
    """PostgreSQL changes the rows when the transaction commits (a new incident does not lock
    its group's row for the rest of its transaction); another connection sees it from then."""
    group = desk["groups"]["desk"]
    before = tallies.total(group_id=group.pk)
    with transaction.atomic():
        open_one(owning_group=group)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT active_count FROM incidents_queuetally WHERE group_id = %s", [group.pk]
            )
            row = cursor.fetchone()
        assert (row[0] if row else 0) == before  # pending until commit (or settle)
    assert tallies.total(group_id=group.pk) == before + 1


def test_the_command_finds_a_wrong_tally_and_the_rebuild_counts_again(desk, open_one):
    from django.core.management import CommandError, call_command

    group = desk["groups"]["desk"]
    open_one(owning_group=group)
    open_one(owning_group=group)
    out = StringIO()
    call_command("queue_tallies", stdout=out)
    assert "match" in out.getvalue()

    tallies.settle()
    QueueTally.objects.filter(group_id=group.pk, assignee_id=0).update(active_count=7)
    with pytest.raises(CommandError) as failed:
        call_command("queue_tallies")
    assert f"group {group.pk}, assignee none: tallied 7, counted 2" in str(failed.value)

    out = StringIO()
    call_command("queue_tallies", "--rebuild", stdout=out)
    assert "1 row(s) were wrong" in out.getvalue()
    assert tallied() == recount() and tallied()[(group.pk, 0)] == 2
    call_command("queue_tallies", stdout=StringIO())


def test_only_administrators_rebuild_the_tallies(desk):
    from steward.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        ops.rebuild_queue_tallies(desk["people"]["agent"])
    assert ops.rebuild_queue_tallies(desk["people"]["admin"]) == 0
