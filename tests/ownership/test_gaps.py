"""Ownership gaps appear and disappear as the data changes; requesters see none of it."""

from __future__ import annotations

import pytest

from steward.ownership import operations as ops
from steward.ownership.models import Process
from steward.people import operations as people_ops
from steward.people.choices import Role
from tests.ownership.conftest import activity, cell

pytestmark = pytest.mark.django_db


def gaps(client, kind=None):
    status, body = client.get("ownership/gaps", limit=200, **({"kind": kind} if kind else {}))
    assert status == 200, body
    assert body["count"] == len(body["items"])
    return body["items"]


def about(items, record_type, pk):
    return [g for g in items if g["record"]["type"] == record_type and g["record"]["id"] == pk]


@pytest.mark.parametrize("path", ["ownership/gaps", "ownership/mine"])
def test_a_requester_gets_403(world, api_as, path):
    status, body = api_as(world["people"]["requester"], "read").get(path)
    assert status == 403 and body["error"]["code"] == "forbidden"


def test_the_seeded_processes_have_no_owner_until_one_is_named(world, api_as):
    client = api_as(world["people"]["admin"], "read")
    incident = Process.objects.get(key="incident")
    found = about(gaps(client, "process_without_owner"), "process", incident.pk)
    assert found == [
        {
            "kind": "process_without_owner",
            "severity": "error",
            "record": {"type": "process", "id": incident.pk, "name": "Incident management"},
            "problem": "the process has no process owner",
            "fix_by": {"kind": "role", "id": "admin", "name": "Administrator"},
            "link": found[0]["link"],
        }
    ]
    assert str(incident.pk) in found[0]["link"]
    ops.update_process(None, incident, version=incident.version, owner=world["owner"])
    assert about(gaps(client, "process_without_owner"), "process", incident.pk) == []
    owner = world["owner"]
    people_ops.update_user(None, owner, version=owner.version, is_active=False)
    (again,) = about(gaps(client, "process_without_owner"), "process", incident.pk)
    assert "inactive" in again["problem"]


def test_a_service_whose_owner_leaves_is_a_gap(world, api_as):
    client = api_as(world["people"]["agent"], "read")
    service = world["services"]["retail_live"]
    assert about(gaps(client), "service", service.pk) == []
    owner = world["owner"]
    people_ops.update_user(None, owner, version=owner.version, is_active=False)
    found = about(gaps(client), "service", service.pk)
    assert [g["kind"] for g in found] == ["service_owner_inactive"]
    assert found[0]["fix_by"]["id"] == "admin"


def test_groups_without_manager_or_members(world, api_as, make_user):
    client = api_as(world["people"]["agent"], "read")
    lead = make_user("lead", roles=[Role.AGENT])
    group = people_ops.create_group(None, name="Lonely", manager=lead)
    assert [g["kind"] for g in about(gaps(client), "group", group.pk)] == ["group_without_members"]
    assert about(gaps(client), "group", group.pk)[0]["fix_by"] == {
        "kind": "user",
        "id": lead.pk,
        "name": "Lead",
    }
    group = people_ops.update_group(
        None, group, version=group.version, manager=None, members=[lead]
    )
    assert [g["kind"] for g in about(gaps(client), "group", group.pk)] == ["group_without_manager"]
    people_ops.update_group(None, group, version=group.version, manager=lead)
    assert about(gaps(client), "group", group.pk) == []


def test_raci_errors_are_gaps_for_the_process_owner(world, api_as, process, process_owner):
    client = api_as(world["people"]["admin"], "read")
    plan = activity(process, "Plan")
    process_gaps = [
        g
        for g in gaps(client)
        if g["record"]["type"] == "activity" and g["record"]["id"] == plan.pk
    ]
    assert {g["kind"] for g in process_gaps} == {"raci_one_accountable", "raci_responsible"}
    assert all(
        g["fix_by"] == {"kind": "user", "id": process_owner.pk, "name": "Powner"}
        for g in process_gaps
    )
    ops.set_raci(
        None,
        process,
        version=process.version,
        cells=[cell(plan, "A", user=process_owner), cell(plan, "R", user=process_owner)],
        activities=[plan],
    )
    assert [
        g
        for g in gaps(client)
        if g["record"]["type"] == "activity" and g["record"]["id"] == plan.pk
    ] == []


def test_mine_lists_what_i_own_and_what_needs_me(world, api_as, process, process_owner):
    plan = activity(process, "Plan")
    ops.set_raci(
        None,
        process,
        version=process.version,
        cells=[cell(plan, "A", user=process_owner)],
        activities=[plan],
    )
    status, body = api_as(process_owner, "read").get("ownership/mine")
    assert status == 200
    assert body["processes"] == [{"id": process.pk, "key": "testing", "name": "Testing"}]
    assert body["activities"] == [
        {
            "process": {"id": process.pk, "key": "testing", "name": "Testing"},
            "activity": {"id": plan.pk, "name": "Plan"},
            "letter": "A",
        }
    ]
    needs = {(g["kind"], g["record"]["name"]) for g in body["needs_me"]}
    assert ("raci_responsible", "Testing › Plan") in needs
    assert ("raci_one_accountable", "Testing › Run") in needs
    assert all(g["fix_by"]["id"] == process_owner.pk for g in body["needs_me"])
    status, body = api_as(world["owner"], "read").get("ownership/mine")
    assert [s["name"] for s in body["services"]] == ["Online Banking", "Treasury", "Video"]
    assert body["needs_me"] == []


def test_gaps_are_paginated(world, api_as):
    client = api_as(world["people"]["agent"], "read")
    status, first = client.get("ownership/gaps", limit=5)
    assert status == 200 and len(first["items"]) == 5 and first["count"] > 5
    status, second = client.get("ownership/gaps", limit=5, offset=5)
    assert second["items"][0] not in first["items"]
    assert client.get("ownership/gaps", limit=500)[0] == 422


def test_the_start_page_reads_only_the_gaps_that_may_be_mine_and_finds_the_same(
    world, process, process_owner, make_user
):
    """``collect_needing`` narrows the costly providers to what may be the user's; for every
    kind of fixer it answers exactly what filtering every gap of the estate answers."""
    from steward.ownership import gaps as registry
    from steward.services import operations as service_ops

    activity(process, "Plan")  # RACI errors for the process owner to fix
    newcomer = make_user("newcomer", roles=[Role.AGENT, Role.SERVICE_OWNER])
    taker = make_user("taker", roles=[Role.AGENT, Role.SERVICE_OWNER])
    unsigned = service_ops.create_service(None, name="Unsigned", owner=newcomer, status="live")
    handed = service_ops.create_service(None, name="Handed on", owner=newcomer, status="live")
    service_ops.propose_owner(None, handed, taker)  # now the taker's to accept
    Process.objects.create(key="orphan", name="Orphan")  # no owner: the administrators fix it
    manager = make_user("lead", roles=[Role.AGENT, Role.GROUP_MANAGER])
    people_ops.create_group(None, name="Empty", manager=manager)  # no members: its manager
    everyone = [
        newcomer,
        taker,
        world["owner"],
        process_owner,
        manager,
        world["people"]["admin"],
        world["people"]["agent"],
    ]
    every_gap = registry.collect()
    for user in everyone:
        assert registry.collect_needing(user) == registry.needs_me(user, every_gap), user
    mine = {g["record"]["name"] for g in registry.collect_needing(newcomer)}
    assert unsigned.name in mine and handed.name not in mine
    assert {g["record"]["name"] for g in registry.collect_needing(taker)} == {handed.name}
    assert any(g["kind"].startswith("raci_") for g in registry.collect_needing(process_owner))
    assert any(
        g["record"]["name"] == "Orphan" for g in registry.collect_needing(world["people"]["admin"])
    )
