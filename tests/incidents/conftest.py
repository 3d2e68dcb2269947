"""Fixtures of the incident tests: a service desk, two more groups, agents in each."""

from __future__ import annotations

import pytest

from steward.incidents import operations as ops
from steward.people import operations as people_ops
from steward.people.choices import Role


@pytest.fixture
def desk(world, make_user):
    """World plus groups: Service Desk (agent, desk2), Network (world's), Database (dba)."""
    people = world["people"]
    desk2 = make_user("desk2", roles=[Role.AGENT])
    dba = make_user("dba", roles=[Role.AGENT])
    dba2 = make_user("dba2", roles=[Role.AGENT])
    manager = make_user("dbmanager", roles=[Role.AGENT, Role.GROUP_MANAGER])
    service_desk = people_ops.create_group(
        None, name="Service Desk", manager=people["agent"], members=[people["agent"], desk2]
    )
    database = people_ops.create_group(None, name="Database", manager=manager, members=[dba, dba2])
    return {
        **world,
        "desk2": desk2,
        "dba": dba,
        "dba2": dba2,
        "dbmanager": manager,
        "groups": {"desk": service_desk, "network": world["group"], "database": database},
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
        return ops.open_incident(actor or desk["people"]["agent"], **fields)

    return make
