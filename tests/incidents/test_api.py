"""The incidents API: the contract of issue 3, filters, query counts and visibility."""

from __future__ import annotations

import pytest

from steward.core.models import JournalEntry
from steward.incidents import operations as ops
from steward.incidents.models import Comment, Handover, Incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent_api(desk, api_as):
    return api_as(desk["people"]["agent"])


def raise_one(api, desk, **body):
    body = {
        "title": "VPN drops every ten minutes",
        "description": "Since this morning",
        "caller": desk["people"]["requester"].pk,
        "service": desk["services"]["retail_live"].pk,
        "impact": 2,
        "urgency": 1,
        **body,
    }
    status, data = api.post("incidents", body)
    assert status == 201, data
    return data


def test_create_answers_201_with_number_priority_status_group_version(desk, agent_api):
    data = raise_one(agent_api, desk)
    assert data["number"].startswith("INC")
    assert (data["priority"], data["status"], data["version"]) == (2, "new", 1)
    assert data["owning_group"] == {"id": desk["groups"]["desk"].pk, "name": "Service Desk"}
    assert data["status_category"] == "open"
    assert data["handovers"] == {
        "count": 0,
        "rejections": 0,
        "pending": False,
        "mean_seconds_to_accept": None,
        "ping_pong": False,
    }


def test_the_created_incident_is_answered_exactly_as_it_reads_back(desk, agent_api):
    """The create response is built without reading the row back: it must still be the row."""
    ci_parent = raise_one(agent_api, desk)
    created = raise_one(agent_api, desk, parent=ci_parent["number"], impact=1, urgency=1)
    status, stored = agent_api.get(f"incidents/{created['number']}")
    assert status == 200
    assert created == stored


def test_each_listed_incident_is_exactly_its_single_answer(desk, agent_api):
    """The list is rendered without re-validating each item: it must still be the schema's
    shape, value for value (datetimes, nested objects, the pending handover)."""
    first = raise_one(agent_api, desk)
    raise_one(agent_api, desk, title="Second", parent=first["number"])
    status, handover = agent_api.post(
        f"incidents/{first['number']}/handovers",
        {"to_group": desk["groups"]["database"].pk, "reason": "DB", "note": "tried"},
    )
    assert status == 201, handover
    status, page = agent_api.get("incidents")
    assert status == 200 and page["count"] == 2
    for item in page["items"]:
        assert item == agent_api.get(f"incidents/{item['number']}")[1]
    assert any(item["pending_handover"] for item in page["items"])


def test_create_with_an_owning_group(desk, agent_api):
    data = raise_one(agent_api, desk, owning_group=desk["groups"]["database"].pk)
    assert data["owning_group"]["name"] == "Database"


def test_get_and_patch_with_version(desk, agent_api):
    number = raise_one(agent_api, desk)["number"]
    status, data = agent_api.get(f"incidents/{number}")
    assert status == 200 and data["number"] == number

    status, data = agent_api.patch(
        f"incidents/{number}",
        {"version": 1, "priority": 1, "priority_reason": "Board meeting", "title": "VPN down"},
    )
    assert status == 200, data
    assert (data["priority"], data["priority_overridden"], data["version"]) == (1, True, 2)

    status, data = agent_api.patch(f"incidents/{number}", {"version": 1, "title": "stale"})
    assert status == 409 and data["error"]["code"] == "stale_version"
    assert Incident.objects.get(number=number).title == "VPN down"


def test_patch_assignee(desk, agent_api):
    number = raise_one(agent_api, desk)["number"]
    status, data = agent_api.patch(
        f"incidents/{number}", {"version": 1, "assignee": desk["desk2"].pk}
    )
    assert status == 200 and data["assignee"]["username"] == "desk2"
    status, data = agent_api.patch(f"incidents/{number}", {"version": 2, "assignee": None})
    assert status == 200 and data["assignee"] is None


def test_transitions_through_the_api(desk, agent_api):
    number = raise_one(agent_api, desk)["number"]
    path = f"incidents/{number}/transitions"
    assert agent_api.post(path, {"to": "in_progress"})[0] == 200
    status, data = agent_api.post(path, {"to": "on_hold", "hold_reason": "awaiting_caller"})
    assert status == 200 and data["status_category"] == "paused"
    status, data = agent_api.post(path, {"to": "closed"})
    assert status == 409
    assert data["error"]["code"] == "transition_not_allowed"
    assert data["error"]["fields"]["to"] == ["not allowed from 'on_hold'; allowed: in_progress"]
    agent_api.post(path, {"to": "in_progress"})
    status, data = agent_api.post(path, {"to": "resolved"})
    assert status == 422
    assert set(data["error"]["fields"]) == {"resolution_code", "resolution_notes"}
    status, data = agent_api.post(
        path, {"to": "resolved", "resolution_code": "solved", "resolution_notes": "New token"}
    )
    assert status == 200 and data["status"] == "resolved" and data["resolved_at"]


def test_comments_and_timeline_oldest_first(desk, agent_api):
    number = raise_one(agent_api, desk)["number"]
    status, data = agent_api.post(
        f"incidents/{number}/comments", {"body": "Looked at it", "time_spent": 5}
    )
    assert status == 201 and data["visibility"] == "internal" and data["time_spent"] == 5
    agent_api.post(f"incidents/{number}/comments", {"body": "Try now", "visibility": "public"})

    status, data = agent_api.get(f"incidents/{number}/timeline")

    assert status == 200 and data["count"] == 3
    assert [e["action"] for e in data["items"]] == ["created", "work_note", "replied"]
    assert data["items"][1]["comment"] == "Looked at it"


def test_handover_accept_and_reject_through_the_api(desk, agent_api, api_as):
    number = raise_one(agent_api, desk)["number"]
    body = {"to_group": desk["groups"]["database"].pk, "reason": "DB", "note": "tried X"}
    status, data = agent_api.post(f"incidents/{number}/handovers", body)
    assert status == 201 and data["status"] == "pending" and data["id"]
    assert data["incident"] == number and data["overdue"] is False
    handover_id = data["id"]

    status, data = agent_api.get(f"incidents/{number}")
    assert data["owning_group"]["name"] == "Service Desk"
    assert data["pending_handover"]["id"] == handover_id
    assert data["handovers"]["pending"] is True

    dba = api_as(desk["dba"])
    status, data = agent_api.post(f"handovers/{handover_id}/accept")
    assert status == 403
    status, data = dba.post(f"handovers/{handover_id}/reject", {"reason": "Not ours"})
    assert status == 200 and data["status"] == "rejected"
    assert data["rejection_reason"] == "Not ours"

    status, data = agent_api.post(f"incidents/{number}/handovers", body)
    status, data = dba.post(f"handovers/{data['id']}/accept", {"take_assignment": True})
    assert status == 200 and data["status"] == "accepted"
    status, data = dba.get(f"incidents/{number}")
    assert data["owning_group"]["name"] == "Database" and data["assignee"]["username"] == "dba"
    assert data["handovers"]["count"] == 1 and data["handovers"]["rejections"] == 1

    status, data = dba.get("handovers", mine=True)
    assert status == 200 and data["count"] == 2
    status, data = dba.get("handovers/figures")
    assert status == 200
    assert {r["group"]["name"]: r["accepted"] for r in data}["Database"] == 1


def test_list_filters(desk, agent_api):
    a = raise_one(agent_api, desk, title="Printer jam", impact=3, urgency=3)
    b = raise_one(agent_api, desk, owning_group=desk["groups"]["database"].pk)
    ops.assign(desk["people"]["agent"], Incident.objects.get(number=a["number"]), desk["desk2"])

    def numbers(**params):
        status, data = agent_api.get("incidents", **params)
        assert status == 200, data
        return [i["number"] for i in data["items"]]

    assert numbers() == [b["number"], a["number"]]
    assert numbers(q="printer") == [a["number"]]
    assert numbers(priority=5) == [a["number"]]
    assert numbers(group=desk["groups"]["database"].pk) == [b["number"]]
    assert numbers(assignee=desk["desk2"].pk) == [a["number"]]
    assert numbers(unassigned=True) == [b["number"]]
    assert numbers(status="new", sort="number") == [a["number"], b["number"]]
    assert numbers(status="resolved") == []
    assert numbers(caller=desk["people"]["requester"].pk, my_groups=True) == [a["number"]]
    assert numbers(service=desk["services"]["retail_live"].pk, sort="priority") == [
        b["number"],
        a["number"],
    ]
    # a descending sort is the exact reverse of the ascending one, ties included
    for key in ("priority", "updated_at", "number"):
        assert numbers(sort=f"-{key}") == list(reversed(numbers(sort=key)))


def test_list_runs_a_constant_number_of_queries(desk, agent_api, django_assert_max_num_queries):
    for n in range(3):
        incident = ops.open_incident(
            None, title=f"i{n}", caller=desk["people"]["requester"], impact=2, urgency=2
        )
        ops.hand_over(None, incident, to_group=desk["groups"]["database"], reason="r", note="")
    # token, its last use, roles; count, rows, majors, handovers, their groups and people,
    # acceptance targets: ten at most, whatever the page size
    with django_assert_max_num_queries(10) as small:
        agent_api.get("incidents", limit=1)
    for n in range(20):
        ops.open_incident(
            None, title=f"j{n}", caller=desk["people"]["requester"], impact=2, urgency=2
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        status, data = agent_api.get("incidents", limit=50)
    assert status == 200 and len(data["items"]) == 23
    with django_assert_max_num_queries(8):
        agent_api.get("handovers", limit=50)


def test_script_in_titles_is_inert_data(desk, agent_api):
    title = '<script>alert("x")</script>'
    number = raise_one(agent_api, desk, title=title)["number"]
    response = agent_api.client.get(f"/api/v1/incidents/{number}", headers=agent_api.headers)
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.json()["title"] == title


def test_accept_with_an_empty_body(desk, agent_api, api_as):
    number = raise_one(agent_api, desk)["number"]
    _, data = agent_api.post(
        f"incidents/{number}/handovers",
        {"to_group": desk["groups"]["database"].pk, "reason": "DB"},
    )
    status, body = api_as(desk["dba"]).post(f"handovers/{data['id']}/accept", {})
    assert status == 200 and body["decided_by"]["username"] == "dba"
    assert Handover.objects.get().status == "accepted"
    assert Comment.objects.count() == 0
    assert JournalEntry.objects.filter(record_type="incidents.handover").count() == 1


def test_patch_links_a_parent(desk, agent_api):
    parent = raise_one(agent_api, desk, title="Parent")["number"]
    child = raise_one(agent_api, desk, title="Child")["number"]
    status, data = agent_api.patch(f"incidents/{child}", {"version": 1, "parent": parent})
    assert status == 200 and data["parent"] == parent and data["version"] == 2
    status, data = agent_api.patch(f"incidents/{parent}", {"version": 1, "parent": child})
    assert status == 422 and list(data["error"]["fields"]) == ["parent"]
    status, data = agent_api.patch(f"incidents/{child}", {"version": 1, "parent": None})
    assert status == 409
    status, data = agent_api.patch(
        f"incidents/{child}", {"version": 2, "parent": None, "title": "Child!"}
    )
    assert status == 200 and data["parent"] is None and data["title"] == "Child!"


def test_categories_and_the_matrix(desk, agent_api, api_as):
    admin = api_as(desk["people"]["admin"])
    status, top = admin.post("incident-categories", {"name": "Network"})
    assert status == 201
    status, sub = admin.post("incident-categories", {"name": "VPN", "parent": top["id"]})
    assert status == 201 and sub["parent"] == top["id"]
    assert agent_api.post("incident-categories", {"name": "x"})[0] == 403
    data = raise_one(agent_api, desk, category=top["id"], subcategory=sub["id"])
    assert data["subcategory"] == {"id": sub["id"], "name": "VPN"}
    status, data = agent_api.post(
        "incidents",
        {"title": "x", "impact": 1, "urgency": 1, "category": sub["id"]},
    )
    assert status == 422 and list(data["error"]["fields"]) == ["category"]

    status, cells = agent_api.get("priority-matrix")
    assert status == 200 and len(cells) == 9
    assert agent_api.put("priority-matrix", {"impact": 3, "urgency": 3, "priority": 4})[0] == 403
    status, cells = admin.put("priority-matrix", {"impact": 3, "urgency": 3, "priority": 4})
    assert status == 200 and {"impact": 3, "urgency": 3, "priority": 4} in cells
    assert raise_one(agent_api, desk, impact=3, urgency=3)["priority"] == 4
