"""Contended writes: two approvals of one version (exactly one wins, one baseline captured),
and one person's two simultaneous votes (one counted), on SQLite and PostgreSQL."""

from __future__ import annotations

import threading

import pytest

from steward.core import journal
from steward.improvement.models import ImprovementItem, Vote
from tests.threads import run_in_threads

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_approvals_of_one_version_one_wins(reg, api_as, item):
    it = item(kpi_key="incidents_raised", target=0)
    clients = {"a": api_as(reg["manager"]), "b": api_as(reg["admin"])}
    results = {}

    def approve():
        name = threading.current_thread().name
        results[name] = clients[name].post(
            f"improvements/{it.pk}/transitions", {"to": "approved", "version": 1}
        )

    errors = run_in_threads(approve, 2, names=["a", "b"])
    assert not errors
    assert sorted(status for status, _ in results.values()) == [200, 409]
    it = ImprovementItem.objects.get(pk=it.pk)
    assert it.status == "approved" and it.version == 2
    assert [e.action for e in journal.history(it)].count("approved") == 1


def test_one_persons_two_votes_at_once_count_once(reg, api_as, item):
    it = item(public=True)
    clients = {"a": api_as(reg["agent"]), "b": api_as(reg["agent"])}
    results = {}

    def vote():
        name = threading.current_thread().name
        results[name] = clients[name].post(f"improvements/{it.pk}/votes")

    errors = run_in_threads(vote, 2, names=["a", "b"])
    assert not errors
    assert sorted(status for status, _ in results.values()) == [200, 409]
    assert Vote.objects.filter(item=it).count() == 1
    assert ImprovementItem.objects.get(pk=it.pk).votes == 1
