from __future__ import annotations

import pytest

from steward.ownership import operations as ops
from steward.ownership.models import Activity
from steward.people import operations as people_ops
from steward.people.choices import Role


@pytest.fixture
def process_owner(make_user):
    return make_user("powner", roles=[Role.AGENT, Role.PROCESS_OWNER])


@pytest.fixture
def process(process_owner):
    """A fresh process with three activities (the seeded ones stay untouched)."""
    p = ops.create_process(None, key="testing", name="Testing", owner=process_owner)
    for i, name in enumerate(["Plan", "Run", "Report"]):
        Activity.objects.create(process=p, name=name, order=i * 10)
    p.refresh_from_db()
    return p


@pytest.fixture
def team(make_user):
    lead = make_user("lead", roles=[Role.AGENT, Role.GROUP_MANAGER])
    member = make_user("member", roles=[Role.AGENT])
    group = people_ops.create_group(None, name="Testers", manager=lead, members=[lead, member])
    return {"lead": lead, "member": member, "group": group}


def cell(activity, letter, **party):
    return ops.Cell(activity=activity, letter=letter, **party)


def activity(process, name):
    return process.activities.get(name=name)
