"""Fixtures of the UI tests: a small portfolio, and signed-in test clients."""

from __future__ import annotations

import pytest

from steward.people import operations as people_ops
from steward.people.choices import Role
from steward.services import operations as service_ops


@pytest.fixture
def owner(make_user):
    return make_user("olivia", roles=[Role.AGENT, Role.SERVICE_OWNER], last_name="Owner")


@pytest.fixture
def make_service(owner):
    def make(name: str, *, customers=(), **fields):
        fields.setdefault("owner", owner)
        fields.setdefault("status", "live")
        return service_ops.create_service(None, name=name, customers=list(customers), **fields)

    return make


@pytest.fixture
def portfolio(make_service, requester, make_org):
    """Services of the requester's organization (live and pipeline) and of another one."""
    other = make_org("Corporate Banking")
    return {
        "own_live": make_service(
            "Online Banking",
            customers=[requester.organization],
            criticality=1,
            description="Internet banking for retail customers.",
        ),
        "own_pipeline": make_service(
            "Mortgage Portal", customers=[requester.organization], status="pipeline"
        ),
        "other_live": make_service("Treasury Desk", customers=[other], criticality=2),
    }


@pytest.fixture
def group(agent, owner):
    return people_ops.create_group(
        None,
        name="Service Desk",
        manager=owner,
        members=[agent, owner],
        description="First line support",
        email="desk@example.org",
    )
