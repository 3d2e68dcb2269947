"""The article lists: the queues and their counts, each filter, and each sort (a descending
sort is the exact reverse of the ascending one, ties included)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from steward.core import clock
from steward.knowledge import lists
from steward.knowledge import operations as ops
from steward.knowledge.choices import Audience, Confidence

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def ids(user, **filters):
    return [a.pk for a in lists.filtered(user, SimpleNamespace(**filters))]


@pytest.fixture
def shelf(kb, make_article, open_incident):
    people, cats = kb["people"], kb["categories"]
    with clock.simulated(START):
        own = make_article(people["candidate"], title="Bravo", language="nl")
        clock.set(START + dt.timedelta(hours=1))
        network = make_article(
            people["agent"], title="alpha", services=[], category=cats["network"]
        )
        clock.set(START + dt.timedelta(hours=2))
        public = make_article(
            people["agent"],
            title="Charlie",
            confidence=Confidence.VALIDATED,
            audience=Audience.PUBLIC,
        )
        clock.set(START + dt.timedelta(hours=3))
        archived = make_article(people["agent"], title="Bravo", confidence=Confidence.ARCHIVED)
        clock.set(START + dt.timedelta(hours=4))
        incident, other = open_incident(), open_incident()
    ops.link_article(people["agent"], incident, public)
    ops.link_article(people["agent"], other, public)
    ops.link_article(people["agent"], incident, network)
    return {"own": own, "network": network, "public": public, "archived": archived}


def test_queues(kb, shelf):
    people = kb["people"]
    candidate, agent = people["candidate"], people["agent"]
    a = {k: v.pk for k, v in shelf.items()}
    assert set(ids(candidate, queue="mine")) == {a["own"]}
    assert set(ids(agent, queue="mine")) == {a["network"], a["public"]}  # archived is not live
    assert set(ids(agent, queue="drafts")) == {a["own"], a["network"]}
    assert set(ids(agent, queue="all")) == set(a.values())
    assert ids(agent, queue="flagged") == []
    ops.flag_article(candidate, shelf["network"], reason="unclear")
    assert ids(agent, queue="flagged") == [a["network"]]  # the owner
    assert ids(people["cat_contributor"], queue="flagged") == [a["network"]]  # its domain
    assert ids(people["contributor"], queue="flagged") == []  # another domain
    # the coach of Online Banking coaches the Candidates' live articles there not yet
    # reviewed at their current revision (archived ones are not coached)
    assert set(ids(people["coach"], queue="coach")) == {a["own"], a["public"]}
    ops.review_article(people["coach"], shelf["public"], defects=[])
    assert set(ids(people["coach"], queue="coach")) == {a["own"]}
    counts = lists.queue_counts(agent)
    assert counts == {"all": 4, "mine": 2, "drafts": 2, "flagged": 1, "coach": 0}
    assert lists.queue_counts(people["admin"])["coach"] == 2  # admins coach everywhere


def test_filters(kb, shelf):
    agent = kb["people"]["agent"]
    a = {k: v.pk for k, v in shelf.items()}
    assert ids(agent, confidence="validated") == [a["public"]]
    assert ids(agent, audience="public") == [a["public"]]
    assert ids(agent, category=kb["categories"]["network"].pk) == [a["network"]]
    banking = kb["services"]["retail_live"].pk
    assert set(ids(agent, service=banking)) == {a["own"], a["public"], a["archived"]}
    assert ids(agent, language="nl") == [a["own"]]
    assert ids(agent, q="charlie") == [a["public"]]
    assert ids(agent, q=shelf["network"].number) == [a["network"]]


@pytest.mark.parametrize("sort", ["updated", "created", "title", "citations"])
def test_each_sort_and_its_exact_reverse(kb, shelf, sort):
    agent = kb["people"]["agent"]
    up, down = ids(agent, sort=sort), ids(agent, sort=f"-{sort}")
    assert down == list(reversed(up))
    assert len(up) == 4


def test_sorts_order_by_what_they_say(kb, shelf):
    agent = kb["people"]["agent"]
    a = {k: v.pk for k, v in shelf.items()}
    assert ids(agent, sort="created") == [a["own"], a["network"], a["public"], a["archived"]]
    assert ids(agent, sort="-citations")[:2] == [a["public"], a["network"]]
    titles = ids(agent, sort="title")
    # the two "Bravo" articles tie on the title: the id breaks the tie
    assert titles.index(a["own"]) < titles.index(a["archived"])
