"""The problem lifecycle: every allowed and every refused transition, from the table, and
every guard with the items it names."""

from __future__ import annotations

import pytest

from steward.core.errors import NotFound, StaleVersion, TransitionNotAllowed, ValidationError
from steward.core.models import JournalEntry
from steward.problems import operations as ops
from steward.problems.choices import STATUS_CATEGORY, Category, Status
from steward.problems.workflow import PROBLEM
from tests.problems.conftest import CONTEXT, bring_to, record_root_cause

pytestmark = pytest.mark.django_db

ALLOWED = [(s, t) for s in Status for t in PROBLEM.allowed(s)]
REFUSED = [(s, t) for s in Status for t in Status if t not in PROBLEM.allowed(s)]


def test_the_table_is_the_one_in_the_issue():
    assert {s: set(PROBLEM.allowed(s)) for s in Status} == {
        "new": {"assessment", "cancelled"},
        "assessment": {"root_cause_analysis", "cancelled"},
        "root_cause_analysis": {"fix_in_progress", "resolved", "cancelled"},
        "fix_in_progress": {"resolved", "cancelled"},
        "resolved": {"closed", "fix_in_progress"},
        "closed": set(),
        "cancelled": set(),
    }


def test_every_status_has_a_category():
    assert STATUS_CATEGORY == {
        "new": Category.OPEN,
        "assessment": Category.OPEN,
        "root_cause_analysis": Category.OPEN,
        "fix_in_progress": Category.OPEN,
        "resolved": Category.RESOLVED,
        "closed": Category.RESOLVED,
        "cancelled": Category.RESOLVED,
    }


@pytest.mark.parametrize(("current", "target"), ALLOWED)
def test_every_allowed_transition_moves_and_journals(desk, raise_problem, current, target):
    agent = desk["people"]["agent"]
    problem = bring_to(raise_problem(owner=agent), current, agent)
    if target == Status.FIX_IN_PROGRESS and current == Status.ROOT_CAUSE_ANALYSIS:
        record_root_cause(problem, agent)
    problem.refresh_from_db()
    ops.transition(agent, problem, target, version=problem.version, **CONTEXT.get(target, {}))
    problem.refresh_from_db()
    assert problem.status == target
    entry = JournalEntry.objects.for_record(problem).order_by("-id").first()
    assert entry.action == "status_changed"
    assert entry.changes["status"] == [current, target]


@pytest.mark.parametrize(("current", "target"), REFUSED)
def test_every_refused_transition_names_the_allowed_ones(desk, raise_problem, current, target):
    agent = desk["people"]["agent"]
    problem = bring_to(raise_problem(owner=agent), current, agent)
    if current in (Status.CLOSED, Status.CANCELLED):
        with pytest.raises(Exception) as refused:
            ops.transition(agent, problem, target, **CONTEXT.get(target, {}))
        assert "can no longer be changed" in str(refused.value)
        return
    with pytest.raises(TransitionNotAllowed) as refused:
        ops.transition(agent, problem, target, **CONTEXT.get(target, {}))
    for allowed in PROBLEM.allowed(current):
        assert str(PROBLEM.labels[allowed]) in refused.value.message
    problem.refresh_from_db()
    assert problem.status == current


def test_root_cause_analysis_needs_an_owner(desk, raise_problem):
    agent = desk["people"]["agent"]
    problem = bring_to(raise_problem(), Status.ASSESSMENT, agent)
    with pytest.raises(ValidationError) as refused:
        ops.transition(agent, problem, Status.ROOT_CAUSE_ANALYSIS)
    assert refused.value.fields == {"owner": ["required for root cause analysis"]}
    assert "problem owner" in refused.value.message


def test_a_fix_needs_the_root_cause(desk, raise_problem):
    agent = desk["people"]["agent"]
    problem = bring_to(raise_problem(owner=agent), Status.ROOT_CAUSE_ANALYSIS, agent)
    with pytest.raises(ValidationError) as refused:
        ops.transition(agent, problem, Status.FIX_IN_PROGRESS)
    assert refused.value.fields == {"rca.root_cause": ["required before a fix"]}


def test_resolving_needs_a_fix_description_or_a_reason(desk, raise_problem):
    agent = desk["people"]["agent"]
    problem = bring_to(raise_problem(owner=agent), Status.FIX_IN_PROGRESS, agent)
    with pytest.raises(ValidationError) as refused:
        ops.transition(agent, problem, Status.RESOLVED, fix_description="   ")
    assert set(refused.value.fields) == {"fix_description", "no_fix_reason"}
    ops.transition(agent, problem, Status.RESOLVED, no_fix_reason="Supplier retired the module")
    problem.refresh_from_db()
    assert problem.status == Status.RESOLVED
    assert problem.no_fix_reason == "Supplier retired the module"
    assert problem.resolved_at is not None


def test_a_problem_resolves_from_analysis_when_no_fix_is_needed(desk, raise_problem):
    agent = desk["people"]["agent"]
    problem = bring_to(raise_problem(owner=agent), Status.ROOT_CAUSE_ANALYSIS, agent)
    ops.transition(agent, problem, Status.RESOLVED, no_fix_reason="Accepted risk")
    assert problem.status == Status.RESOLVED


def test_cancelling_needs_a_reason_and_keeps_it(desk, raise_problem):
    agent = desk["people"]["agent"]
    problem = raise_problem()
    with pytest.raises(ValidationError) as refused:
        ops.transition(agent, problem, Status.CANCELLED)
    assert refused.value.fields == {"cancel_reason": ["required to cancel"]}
    ops.transition(agent, problem, Status.CANCELLED, cancel_reason="Duplicate")
    assert problem.cancel_reason == "Duplicate"
    entry = JournalEntry.objects.for_record(problem).order_by("-id").first()
    assert entry.comment == "Duplicate"


def test_reopening_a_resolved_problem_clears_its_resolution_time(desk, raise_problem):
    agent = desk["people"]["agent"]
    problem = bring_to(raise_problem(owner=agent), Status.RESOLVED, agent)
    ops.transition(agent, problem, Status.FIX_IN_PROGRESS, comment="The fix did not hold")
    assert problem.resolved_at is None


def test_a_stale_version_changes_nothing(desk, raise_problem):
    agent = desk["people"]["agent"]
    problem = raise_problem()
    with pytest.raises(StaleVersion):
        ops.transition(agent, problem, Status.ASSESSMENT, version=problem.version + 1)
    problem.refresh_from_db()
    assert problem.status == Status.NEW


def test_requesters_cannot_touch_problems(desk, raise_problem):
    problem = raise_problem()
    with pytest.raises(NotFound):
        ops.transition(desk["people"]["requester"], problem, Status.ASSESSMENT)
    with pytest.raises(NotFound):
        ops.create_problem(
            desk["people"]["requester"],
            title="x",
            owning_group=desk["groups"]["desk"],
            impact=2,
            urgency=2,
        )
