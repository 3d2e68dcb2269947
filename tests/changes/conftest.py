"""Fixtures of the change tests: the change desk (a change manager, an implementation group,
a CAB group, services, CIs related to each other) and ``make_change``, which raises a normal
change ready for authorization (plans written, a CI, its own planned window) through the
operations. ``bring_to(change, status, desk)`` moves one to any state the way people do."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from steward.people import operations as people_ops
from steward.people.choices import Role
from steward.services import operations as cmdb

#: The plans a normal change needs before authorization.
PLANS = {
    "implementation_plan": "1. Drain app01. 2. Upgrade the JVM. 3. Undrain.",
    "backout_plan": "Reinstall the previous JVM package and restart.",
    "test_plan": "Log in to online banking and make a transfer.",
    "communication_plan": "Notice on the status page a day before.",
}

_slot = itertools.count()


def next_window(hours: float = 2) -> tuple[dt.datetime, dt.datetime]:
    """A planned window of its own (no two changes of a test overlap unless told to): whole
    hours from a week ahead, 4 hours apart, UTC."""
    base = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=7)
    start = base + dt.timedelta(hours=4 * next(_slot))
    return start, start + dt.timedelta(hours=hours)


@pytest.fixture
def desk(world, make_user):
    """World (admin ``root``, ``agent``, requester ``req``, ``owner``, services, the Network
    group) plus:

    - people: ``cm`` (change manager), ``peer`` and ``impl`` (Platform agents), ``cab1``,
      ``cab2`` (CAB agents), ``outsider_agent`` (an agent in no group of these);
    - groups: ``platform`` (agent, peer, impl: owns the changes), ``cab`` (cm, cab1, cab2);
    - services: world's (``retail_live`` has criticality 1), and ``intranet`` (criticality 4);
    - a CI class ``server`` and CIs ``app01`` -depends on-> ``db01`` -runs on-> ``host01``,
      ``web01`` (unrelated); ``app01`` and ``db01`` deliver ``retail_live``.
    """
    from steward.services import operations as service_ops

    people = dict(world["people"])
    people["owner"] = world["owner"]
    people["cm"] = make_user("cm", roles=[Role.AGENT, Role.CHANGE_MANAGER])
    people["peer"] = make_user("peer", roles=[Role.AGENT])
    people["impl"] = make_user("impl", roles=[Role.AGENT])
    people["cab1"] = make_user("cab1", roles=[Role.AGENT])
    people["cab2"] = make_user("cab2", roles=[Role.AGENT])
    people["outsider_agent"] = make_user("loner", roles=[Role.AGENT])
    platform = people_ops.create_group(
        None,
        name="Platform",
        manager=people["agent"],
        members=[people["agent"], people["peer"], people["impl"]],
    )
    cab = people_ops.create_group(
        None,
        name="CAB",
        manager=people["cm"],
        members=[people["cm"], people["cab1"], people["cab2"]],
    )
    intranet = service_ops.create_service(
        None, name="Intranet", owner=world["owner"], status="live", criticality=4
    )
    server = cmdb.create_ci_class(None, name="Server")
    host01 = cmdb.create_ci(None, name="host01", ci_class=server)
    db01 = cmdb.create_ci(None, name="db01", ci_class=server)
    app01 = cmdb.create_ci(None, name="app01", ci_class=server)
    web01 = cmdb.create_ci(None, name="web01", ci_class=server)
    cmdb.create_relationship(None, source=app01, target=db01, type="depends_on")
    cmdb.create_relationship(None, source=db01, target=host01, type="runs_on")
    retail_live = world["services"]["retail_live"]
    cmdb.link_service_ci(None, service=retail_live, ci=app01)
    cmdb.link_service_ci(None, service=retail_live, ci=db01)
    return {
        **world,
        "people": people,
        "groups": {"platform": platform, "cab": cab, "network": world["group"]},
        "services": {**world["services"], "intranet": intranet},
        "ci_class": server,
        "cis": {"host01": host01, "db01": db01, "app01": app01, "web01": web01},
    }


@pytest.fixture
def make_change(desk):
    """make_change(actor=None, **overrides) -> a new normal change raised by ``agent``: owned
    by Platform (owner ``agent``, implementer ``impl``), on ``app01``, all four plans written,
    a 2-hour planned window of its own a week ahead. Any create_change field may be
    overridden (``planned_start=None`` leaves it unplanned)."""
    from steward.changes import operations as ops

    def make(actor=None, **fields):
        start, end = next_window()
        fields.setdefault("title", "Upgrade the JVM on app01")
        fields.setdefault("owning_group", desk["groups"]["platform"])
        fields.setdefault("owner", desk["people"]["agent"])
        fields.setdefault("implementer", desk["people"]["impl"])
        fields.setdefault("cis", [desk["cis"]["app01"]])
        fields.setdefault("planned_start", start)
        fields.setdefault("planned_end", end if fields["planned_start"] is not None else None)
        if fields.get("template") is None:
            for plan, text in PLANS.items():
                fields.setdefault(plan, text)
        return ops.create_change(actor or desk["people"]["agent"], **fields)

    return make


def approve_all(change, desk) -> None:
    """Give every approval the change's authority still needs (peer, change manager, or the
    CAB's members, change manager first)."""
    from steward.changes import operations as ops
    from steward.changes.authorization import authorization, may_approve

    change.refresh_from_db()
    candidates = [desk["people"][k] for k in ("cm", "peer", "cab1", "cab2", "impl", "agent")]
    for person in candidates:
        state = authorization(change)
        if state.complete:
            break
        if may_approve(person, change):
            ops.decide(person, change, decision="approved")
            change.refresh_from_db()


#: How to bring a new change into each state (after Assess: authorize, approve, schedule...).
PATH = {
    "new": [],
    "assess": ["assess"],
    "authorize": ["assess", "authorize"],
    "scheduled": ["assess", "authorize", "scheduled"],
    "implement": ["assess", "authorize", "scheduled", "implement"],
    "review": ["assess", "authorize", "scheduled", "implement", "review"],
    "closed": ["assess", "authorize", "scheduled", "implement", "review", "closed"],
    "cancelled": ["cancelled"],
}


def bring_to(change, status: str, desk, *, outcome: str = "successful"):
    """Move ``change`` from New to ``status`` as its owner and the approvers would (the
    approvals given in Authorize, the outcome recorded on entering Review)."""
    from steward.changes import operations as ops

    actor = desk["people"]["agent"]
    for step in PATH[status]:
        change.refresh_from_db()
        if step == "scheduled":
            approve_all(change, desk)
        extra = {}
        if step == "cancelled":
            extra["cancel_reason"] = "No longer needed"
        if step in ("review", "closed"):
            extra["outcome"] = outcome
        ops.move_change(actor, change, step, **extra)
    change.refresh_from_db()
    assert change.status == status
    return change
