"""Concurrency: two PATCHes with the same version (exactly one wins), parallel comments and
handovers, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from steward.core.models import JournalEntry
from steward.incidents import operations as ops
from steward.incidents.models import Comment, Handover, Incident


def run_in_threads(n, work):
    """Run ``work(i)`` in ``n`` threads that start together; returns their results."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def target(i):
        try:
            barrier.wait()
            results[i] = work(i)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_patch_with_the_same_version_exactly_one_wins(desk, open_one, api_as):
    incident = open_one()
    clients = [api_as(desk["people"]["agent"]), api_as(desk["desk2"])]

    results = run_in_threads(
        2,
        lambda i: clients[i].patch(
            f"incidents/{incident.number}", {"version": 1, "title": f"writer {i}"}
        ),
    )

    statuses = sorted(status for status, _ in results)
    assert statuses == [200, 409]
    winner = next(body for status, body in results if status == 200)
    loser = next(body for status, body in results if status == 409)
    assert loser["error"]["code"] == "stale_version"
    incident.refresh_from_db()
    assert incident.version == 2 and incident.title == winner["title"]
    assert JournalEntry.objects.for_record(incident).filter(action="updated").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_handovers_leave_one_pending(desk, open_one):
    incident = open_one()
    targets = [desk["groups"]["database"], desk["groups"]["network"]]

    def work(i):
        try:
            ops.hand_over(
                None, Incident.objects.get(pk=incident.pk), to_group=targets[i], reason="race"
            )
            return "ok"
        except Exception as exc:  # the loser gets a conflict
            return type(exc).__name__

    results = run_in_threads(2, work)

    assert sorted(results) == ["Conflict", "ok"]
    assert Handover.objects.filter(incident=incident, status="pending").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_comments_are_all_recorded(desk, open_one):
    incident = open_one()
    agent = desk["people"]["agent"]

    def work(i):
        ops.add_comment(agent, Incident.objects.get(pk=incident.pk), body=f"note {i}", time_spent=1)
        return i

    results = run_in_threads(50, work)

    assert sorted(results) == list(range(50))
    assert Comment.objects.filter(incident=incident).count() == 50
    bodies = set(Comment.objects.filter(incident=incident).values_list("body", flat=True))
    assert bodies == {f"note {i}" for i in range(50)}
    assert JournalEntry.objects.for_record(incident).filter(action="work_note").count() == 50


@pytest.mark.django_db(transaction=True)
def test_parallel_comments_on_the_embedded_database(desk, open_one):
    """The same on SQLite with fewer writers: its write lock queues them, none is lost."""
    incident = open_one()
    agent = desk["people"]["agent"]
    run_in_threads(
        8,
        lambda i: ops.add_comment(
            agent, Incident.objects.get(pk=incident.pk), body=f"note {i}", time_spent=1
        ),
    )
    assert Comment.objects.filter(incident=incident).count() == 8
