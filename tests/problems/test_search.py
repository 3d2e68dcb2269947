"""Problems and known errors in the search: the number, or every word of the title,
statement, workaround or root cause (a word prefix too), kept by the database's triggers; a
requester finds none of it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from steward.problems import operations as ops
from steward.problems.models import Problem
from steward.problems.registrations import search_problems
from steward.problems.search import text_filter
from tests.problems.conftest import publish, record_root_cause

pytestmark = pytest.mark.django_db


def found(text) -> list[str]:
    return sorted(text_filter(Problem.objects.all(), text).values_list("title", flat=True))


def test_every_word_of_title_statement_workaround_and_root_cause(desk, raise_problem):
    agent = desk["people"]["agent"]
    pool = raise_problem(title="Database connections run out", statement="At month end")
    raise_problem(title="Printers offline")
    assert found("connections") == ["Database connections run out"]
    assert found("connect") == ["Database connections run out"]  # a prefix
    assert found("month database") == ["Database connections run out"]
    assert found("database printers") == []
    assert found(pool.number) == ["Database connections run out"]
    record_root_cause(pool, agent, root_cause="Undersized pgbouncer")
    assert found("pgbouncer") == ["Database connections run out"]
    pool.refresh_from_db()
    ops.update_problem(agent, pool, version=pool.version, title="Pool exhaustion")
    assert found("connections") == []
    assert found("pgbouncer pool") == ["Pool exhaustion"]


def test_a_known_error_is_found_by_its_workaround_in_the_search_box(
    desk, client_for, raise_problem
):
    agent = desk["people"]["agent"]
    problem = publish(raise_problem(owner=agent), agent, workaround="Flush the kerberos cache")
    hits = search_problems(agent, "kerberos", 10)
    assert [h.title for h in hits] == [f"{problem.number} {problem.title}"]
    assert "Known error" in hits[0].summary
    page = client_for(agent).get(reverse("core:search"), {"q": "kerberos"}).content.decode()
    assert problem.number in page


def test_a_requester_finds_no_problem(desk, client_for, raise_problem):
    agent = desk["people"]["agent"]
    problem = publish(raise_problem(owner=agent), agent, workaround="Flush the kerberos cache")
    requester = desk["people"]["requester"]
    assert search_problems(requester, "kerberos", 10) == []
    assert search_problems(requester, problem.number, 10) == []
    page = client_for(requester).get(reverse("core:search"), {"q": "kerberos"}).content.decode()
    assert problem.number not in page
