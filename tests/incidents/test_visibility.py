"""Requesters see their own organization's incidents and never an internal note; an incident
they may not see answers exactly like one that does not exist."""

from __future__ import annotations

import pytest

from steward.incidents import operations as ops

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_orgs(desk, open_one):
    agent = desk["people"]["agent"]
    retail = open_one(title="Retail login fails")
    corporate = open_one(
        title="Treasury slow",
        caller=desk["people"]["outsider"],
        service=desk["services"]["corporate_live"],
    )
    for incident in (retail, corporate):
        ops.add_comment(agent, incident, body="INTERNAL: suspect the LB", time_spent=3)
        ops.add_comment(agent, incident, body="We are on it", visibility="public")
        ops.hand_over(agent, incident, to_group=desk["groups"]["database"], reason="DB?")
    return retail, corporate


def test_list_and_counts_show_only_the_own_organization(desk, two_orgs, api_as):
    retail, _ = two_orgs
    for who in ("requester", "neighbour"):
        status, data = api_as(desk["people"][who]).get("incidents")
        assert status == 200
        assert data["count"] == 1 and [i["number"] for i in data["items"]] == [retail.number]
    status, data = api_as(desk["people"]["agent"]).get("incidents")
    assert data["count"] == 2


@pytest.mark.parametrize("suffix", ["", "/timeline", "/comments"])
def test_another_organizations_incident_is_a_plain_404(desk, two_orgs, api_as, suffix):
    _, corporate = two_orgs
    requester = api_as(desk["people"]["requester"])
    hidden = requester.get(f"incidents/{corporate.number}{suffix}")
    missing = requester.get(f"incidents/INC9999999{suffix}")
    assert hidden[0] == missing[0] == 404
    assert hidden[1]["error"]["code"] == missing[1]["error"]["code"] == "not_found"
    assert set(hidden[1]["error"]) == set(missing[1]["error"])


@pytest.mark.parametrize(
    "method,suffix,body",
    [
        ("post", "/comments", {"body": "hi", "visibility": "public"}),
        ("post", "/transitions", {"to": "in_progress"}),
        ("patch", "", {"version": 1, "title": "x"}),
        ("post", "/handovers", {"to_group": 1, "reason": "x"}),
    ],
)
def test_writes_to_a_hidden_incident_are_404_too(desk, two_orgs, api_as, method, suffix, body):
    _, corporate = two_orgs
    status, _ = getattr(api_as(desk["people"]["requester"]), method)(
        f"incidents/{corporate.number}{suffix}", body
    )
    assert status == 404


def test_the_timeline_hides_internal_entries_from_requesters(desk, two_orgs, api_as):
    retail, _ = two_orgs
    status, data = api_as(desk["people"]["requester"]).get(f"incidents/{retail.number}/timeline")
    assert status == 200
    assert [e["action"] for e in data["items"]] == ["created", "replied"]
    assert data["count"] == 2
    assert "INTERNAL" not in str(data) and "DB?" not in str(data)
    status, data = api_as(desk["people"]["agent"]).get(f"incidents/{retail.number}/timeline")
    assert [e["action"] for e in data["items"]] == [
        "created",
        "work_note",
        "replied",
        "handover_requested",
    ]


def test_comments_list_hides_work_notes_from_requesters(desk, two_orgs, api_as):
    retail, _ = two_orgs
    status, data = api_as(desk["people"]["requester"]).get(f"incidents/{retail.number}/comments")
    assert status == 200 and data["count"] == 1
    assert [c["body"] for c in data["items"]] == ["We are on it"]


def test_requesters_do_not_see_handovers(desk, two_orgs, api_as):
    requester = api_as(desk["people"]["requester"])
    status, data = requester.get("handovers")
    assert status == 200 and data["count"] == 0
    handover = two_orgs[0].handovers.get()
    assert requester.get(f"handovers/{handover.pk}")[0] == 404
    assert requester.post(f"handovers/{handover.pk}/accept", {})[0] == 404
    assert requester.get("handovers/figures")[0] == 404


def test_a_requester_raises_an_incident_for_themselves(desk, api_as):
    requester = api_as(desk["people"]["requester"])
    status, data = requester.post(
        "incidents", {"title": "Printer on fire", "impact": 3, "urgency": 3}
    )
    assert status == 201 and data["caller"]["username"] == "req"
    status, data = requester.post(
        "incidents",
        {"title": "x", "impact": 3, "urgency": 3, "caller": desk["people"]["neighbour"].pk},
    )
    assert status == 403 and list(data["error"]["fields"]) == ["caller"]


def test_a_requester_replies_and_reopens_through_the_api(desk, open_one, api_as):
    agent = desk["people"]["agent"]
    incident = open_one()
    ops.transition(agent, incident, "in_progress")
    ops.transition(agent, incident, "resolved", resolution_code="solved", resolution_notes="Reset")
    requester = api_as(desk["people"]["requester"])
    status, _ = requester.post(
        f"incidents/{incident.number}/comments", {"body": "Still broken", "visibility": "public"}
    )
    assert status == 201
    status, data = requester.get(f"incidents/{incident.number}")  # the caller's reply reopened it
    assert (data["status"], data["reopen_count"]) == ("in_progress", 1)
    status, data = requester.post(f"incidents/{incident.number}/comments", {"body": "note"})
    assert status == 403 and list(data["error"]["fields"]) == ["visibility"]
    ops.transition(
        agent, incident, "resolved", resolution_code="solved", resolution_notes="Reset again"
    )
    status, data = requester.post(f"incidents/{incident.number}/transitions", {"to": "in_progress"})
    assert status == 200 and data["reopen_count"] == 2
    status, data = requester.post(f"incidents/{incident.number}/transitions", {"to": "cancelled"})
    assert status == 403


def test_requesters_see_neither_the_handover_nor_the_assignment_of_their_incident(
    desk, two_orgs, api_as
):
    """The requester's view of an incident is its own schema (RequesterIncidentOut): no pending
    handover with its reason, no owning group, assignee or priority override (test_audiences.py
    holds the whole contract)."""
    retail, _ = two_orgs
    ops.assign(desk["people"]["agent"], retail, desk["people"]["agent"])
    for who in ("requester", "neighbour"):
        client = api_as(desk["people"][who])
        status, data = client.get(f"incidents/{retail.number}")
        assert status == 200
        for hidden in ("pending_handover", "handovers", "owning_group", "assignee"):
            assert hidden not in data
        assert "priority_overridden" not in data and "DB?" not in str(data)
        status, page = client.get("incidents")
        assert "DB?" not in str(page) and "pending_handover" not in page["items"][0]
    status, data = api_as(desk["people"]["agent"]).get(f"incidents/{retail.number}")
    assert data["pending_handover"]["reason"] == "DB?" and data["assignee"] is not None
