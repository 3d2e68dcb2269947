"""Bad input on every incidents endpoint: a 4xx in the one error shape naming the field, and
nothing written."""

from __future__ import annotations

import pytest

from steward.core.models import JournalEntry
from steward.incidents import operations as ops
from steward.incidents.models import (
    Comment,
    Handover,
    Incident,
    IncidentCategory,
    MajorIncident,
    PriorityMatrix,
    SavedView,
    Watcher,
)

pytestmark = pytest.mark.django_db


def counts():
    return (
        Incident.objects.count(),
        Comment.objects.count(),
        Handover.objects.count(),
        Watcher.objects.count(),
        JournalEntry.objects.count(),
        list(Incident.objects.values_list("version", "status", "title", "owning_group")),
        list(Handover.objects.values_list("status")),
        SavedView.objects.count(),
        IncidentCategory.objects.count(),
        list(PriorityMatrix.objects.values_list("priority", flat=True)),
        MajorIncident.objects.count(),
    )


@pytest.fixture
def setup(desk, open_one):
    incident = open_one()
    handover = ops.hand_over(
        desk["people"]["agent"], incident, to_group=desk["groups"]["database"], reason="DB"
    )
    return incident, handover


def cases(incident, handover, desk):
    n = incident.number
    h = handover.pk
    base = {"title": "T", "impact": 2, "urgency": 2}
    return [
        ("post", "incidents", {"impact": 2, "urgency": 2}, "title"),
        ("post", "incidents", {**base, "title": ""}, "title"),
        ("post", "incidents", {**base, "title": "x" * 201}, "title"),
        ("post", "incidents", {**base, "impact": 4}, "impact"),
        ("post", "incidents", {**base, "urgency": "high"}, "urgency"),
        ("post", "incidents", {**base, "caller": 999999}, "caller"),
        ("post", "incidents", {**base, "service": 999999}, "service"),
        ("post", "incidents", {**base, "owning_group": 999999}, "owning_group"),
        ("post", "incidents", {**base, "category": 999999}, "category"),
        ("post", "incidents", {**base, "parent": "INC9999999"}, "parent"),
        ("post", "incidents", {**base, "status": "closed"}, "status"),
        ("post", "incidents", {**base, "number": "INC1"}, "number"),
        ("patch", f"incidents/{n}", {"title": "no version"}, "version"),
        ("patch", f"incidents/{n}", {"version": 0, "title": "x"}, "version"),
        ("patch", f"incidents/{n}", {"version": 1, "title": None}, "title"),
        ("patch", f"incidents/{n}", {"version": 1, "priority": 9}, "priority"),
        ("patch", f"incidents/{n}", {"version": 1, "priority": 1}, "priority_reason"),
        ("patch", f"incidents/{n}", {"version": 1, "assignee": desk["dba"].pk}, "assignee"),
        ("patch", f"incidents/{n}", {"version": 1, "assignee": 999999}, "assignee"),
        ("patch", f"incidents/{n}", {"version": 1, "status": "closed"}, "status"),
        ("patch", f"incidents/{n}", {"version": 1, "owning_group": 1}, "owning_group"),
        ("patch", f"incidents/{n}", {"version": 1, "subcategory": 999999}, "subcategory"),
        ("post", f"incidents/{n}/transitions", {}, "to"),
        ("post", f"incidents/{n}/transitions", {"to": "sleeping"}, "to"),
        ("post", f"incidents/{n}/transitions", {"to": "closed"}, "to"),
        ("post", f"incidents/{n}/transitions", {"to": "in_progress", "version": 7}, "version"),
        ("post", f"incidents/{n}/transitions", {"to": "new", "hold_reason": "x"}, "hold_reason"),
        ("post", f"incidents/{n}/comments", {"body": ""}, "body"),
        ("post", f"incidents/{n}/comments", {"body": "x", "visibility": "secret"}, "visibility"),
        ("post", f"incidents/{n}/comments", {"body": "x", "time_spent": -1}, "time_spent"),
        ("post", f"incidents/{n}/comments", {"body": "x", "author": 1}, "author"),
        ("post", f"incidents/{n}/handovers", {"reason": "x"}, "to_group"),
        ("post", f"incidents/{n}/handovers", {"to_group": 999999, "reason": "x"}, "to_group"),
        ("post", f"incidents/{n}/handovers", {"to_group": 1}, "reason"),
        (
            "post",
            f"incidents/{n}/handovers",
            {"to_group": desk["groups"]["network"].pk, "reason": "x"},
            "to_group",  # one is already pending
        ),
        ("post", f"incidents/{n}/watchers", {"user": 999999}, "user"),
        ("post", f"incidents/{n}/watchers", {}, "user"),
        ("post", f"handovers/{h}/reject", {}, "reason"),
        ("post", f"handovers/{h}/reject", {"reason": "   "}, "reason"),
        ("post", f"handovers/{h}/accept", {"take_assignment": "sure"}, "take_assignment"),
        ("post", f"handovers/{h}/accept", {"owning_group": 1}, "owning_group"),
        ("get", "incidents", {"priority": 7}, "priority.0"),
        ("get", "incidents", {"status": "sleeping"}, "status.0"),
        ("get", "incidents", {"sort": "title; drop table"}, "sort"),
        ("get", "incidents", {"limit": 0}, "limit"),
        ("get", "handovers", {"status": "maybe"}, "status"),
        ("patch", f"incidents/{n}", {"version": 1, "parent": "not a number"}, "parent"),
        ("patch", f"incidents/{n}", {"version": 1, "parent": "INC9999999"}, "parent"),
        ("patch", f"incidents/{n}", {"version": 1, "parent": n}, "parent"),
        ("post", f"incidents/{n}/major", {"manager": desk["dba"].pk}, "reason"),
        ("post", f"incidents/{n}/major", {"reason": "x"}, "manager"),
        ("post", f"incidents/{n}/major", {"reason": "x", "manager": 999999}, "manager"),
        ("post", f"incidents/{n}/major/updates", {"body": ""}, "body"),
        ("post", f"incidents/{n}/major/review", {"actions": []}, "cause"),
        ("post", "incident-views", {"query": "queue=all"}, "name"),
        ("post", "incident-views", {"name": "v", "query": "evil=1"}, "query"),
        ("post", "incident-categories", {"name": ""}, "name"),
        ("put", "priority-matrix", {"impact": 1, "urgency": 1, "priority": 6}, "priority"),
        ("put", "priority-matrix", {"impact": 0, "urgency": 1, "priority": 1}, "impact"),
    ]


def test_every_endpoint_rejects_bad_input(desk, setup, api_as):
    incident, handover = setup
    agent, dba = api_as(desk["people"]["agent"]), api_as(desk["dba"])
    admin = api_as(desk["people"]["admin"])
    for method, path, body, field in cases(incident, handover, desk):
        client = dba if path.startswith("handovers/") else agent
        if path.startswith(("incident-categories", "priority-matrix")) or path.endswith("/major"):
            client = admin
        before = counts()
        if method == "get":
            status, data = client.get(path, **body)
        else:
            status, data = getattr(client, method)(path, body)
        assert 400 <= status < 500, (method, path, body, status, data)
        assert set(data) == {"error"} and set(data["error"]) == {"code", "message", "fields"}
        assert field in data["error"]["fields"], (method, path, body, data)
        assert counts() == before, (method, path, body)


def test_malformed_json_is_a_400(desk, setup, api_as):
    agent = api_as(desk["people"]["agent"])
    response = agent.client.post(
        "/api/v1/incidents",
        data="{not json",
        content_type="application/json",
        headers=agent.headers,
    )
    assert response.status_code == 400 and set(response.json()) == {"error"}
