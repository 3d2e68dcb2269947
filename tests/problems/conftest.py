"""Fixtures of the problem tests: the incident desk (groups, agents, services), a CI and a
category, incidents to link, and problems brought to each state through operations."""

from __future__ import annotations

import pytest

from steward.incidents import operations as incident_ops
from steward.people import operations as people_ops
from steward.people.choices import Role
from steward.problems import operations as ops
from steward.problems.choices import Status
from steward.services import operations as cmdb


@pytest.fixture(autouse=True)
def changes_off(db):
    """A problem's fix is described in words while the changes practice is off, which these
    tests assume; with it on the fix is a change closed successful
    (``test_fix_by_change.py`` switches it back on)."""
    from steward.core import operations as core_ops

    core_ops.set_practice_enabled(None, "changes", False)


@pytest.fixture
def desk(world, make_user):
    """World plus groups: Service Desk (agent, desk2), Network (world's), Database (dba);
    a CI (db01), two categories (Database, Network)."""
    people = world["people"]
    desk2 = make_user("desk2", roles=[Role.AGENT])
    dba = make_user("dba", roles=[Role.AGENT])
    service_desk = people_ops.create_group(
        None, name="Service Desk", manager=people["agent"], members=[people["agent"], desk2]
    )
    database = people_ops.create_group(None, name="Database", manager=dba, members=[dba])
    server = cmdb.create_ci_class(None, name="Server")
    db01 = cmdb.create_ci(None, name="db01", ci_class=server, owner_group=database)
    app01 = cmdb.create_ci(None, name="app01", ci_class=server)
    db_category = incident_ops.create_category(None, name="Database")
    net_category = incident_ops.create_category(None, name="Network")
    return {
        **world,
        "desk2": desk2,
        "dba": dba,
        "groups": {"desk": service_desk, "network": world["group"], "database": database},
        "cis": {"db01": db01, "app01": app01},
        "categories": {"database": db_category, "network": net_category},
    }


@pytest.fixture
def open_one(desk):
    """open_one(**overrides) -> a new incident raised by the desk agent for the requester."""

    def make(actor=None, **fields):
        fields.setdefault("title", "Cannot log in to online banking")
        fields.setdefault("caller", desk["people"]["requester"])
        fields.setdefault("impact", 2)
        fields.setdefault("urgency", 2)
        fields.setdefault("service", desk["services"]["retail_live"])
        return incident_ops.open_incident(actor or desk["people"]["agent"], **fields)

    return make


@pytest.fixture
def raise_problem(desk):
    """raise_problem(**overrides) -> a new problem raised by the desk agent."""

    def make(actor=None, **fields):
        fields.setdefault("title", "Database connections run out at peak")
        fields.setdefault("owning_group", desk["groups"]["database"])
        fields.setdefault("impact", 2)
        fields.setdefault("urgency", 2)
        return ops.create_problem(actor or desk["people"]["agent"], **fields)

    return make


#: The context each target needs to pass its guards.
CONTEXT = {
    Status.RESOLVED: {"fix_description": "Raised the pool size to 200"},
    Status.CANCELLED: {"cancel_reason": "Duplicate of another problem"},
}
#: How to bring a new problem into each state.
PATH = {
    Status.NEW: [],
    Status.ASSESSMENT: [Status.ASSESSMENT],
    Status.ROOT_CAUSE_ANALYSIS: [Status.ASSESSMENT, Status.ROOT_CAUSE_ANALYSIS],
    Status.FIX_IN_PROGRESS: [
        Status.ASSESSMENT,
        Status.ROOT_CAUSE_ANALYSIS,
        Status.FIX_IN_PROGRESS,
    ],
    Status.RESOLVED: [
        Status.ASSESSMENT,
        Status.ROOT_CAUSE_ANALYSIS,
        Status.FIX_IN_PROGRESS,
        Status.RESOLVED,
    ],
    Status.CLOSED: [
        Status.ASSESSMENT,
        Status.ROOT_CAUSE_ANALYSIS,
        Status.FIX_IN_PROGRESS,
        Status.RESOLVED,
        Status.CLOSED,
    ],
    Status.CANCELLED: [Status.CANCELLED],
}

ROOT_CAUSE = "The connection pool is sized for last year's load"


def bring_to(problem, state, actor):
    """Move ``problem`` to ``state`` (owner and root cause recorded on the way as needed)."""
    if problem.owner_id is None and state not in (Status.NEW, Status.ASSESSMENT, Status.CANCELLED):
        ops.update_problem(actor, problem, version=problem.version, owner=actor)
    for step in PATH[state]:
        if step == Status.FIX_IN_PROGRESS:
            record_root_cause(problem, actor)
        ops.transition(actor, problem, step, **CONTEXT.get(step, {}))
    problem.refresh_from_db()
    assert problem.status == state
    return problem


def record_root_cause(problem, actor, root_cause=ROOT_CAUSE):
    problem.refresh_from_db()
    return ops.record_rca(
        actor,
        problem,
        version=problem.version,
        method="five_whys",
        whys=["Connections time out", "The pool is exhausted"],
        root_cause=root_cause,
    )


def publish(problem, actor, workaround="Restart the connection pooler on db01"):
    """Make ``problem`` a published known error (root cause analysis, cause, workaround)."""
    if problem.status in (Status.NEW, Status.ASSESSMENT):
        bring_to(problem, Status.ROOT_CAUSE_ANALYSIS, actor)
    record_root_cause(problem, actor)
    problem.refresh_from_db()
    return ops.update_problem(
        actor, problem, version=problem.version, known_error=True, workaround=workaround
    )
