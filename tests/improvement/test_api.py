"""/api/v1/improvements: every endpoint's happy path (validated against the OpenAPI document),
the version check, who sees what, and bad input on every endpoint in the one error shape."""

from __future__ import annotations

import pytest

from steward.core.models import JournalEntry
from steward.improvement import operations as ops
from steward.improvement.choices import Status
from steward.improvement.models import Action, Comment, ImprovementItem, Vote
from tests.improvement.conftest import t

pytestmark = pytest.mark.django_db

BASE = "improvements"


def _body(reg, **extra):
    return {
        "title": "Route VPN incidents straight to Network",
        "problem": "Every VPN incident is handed over once for nothing.",
        "owner": reg["improver"].pk,
        "due_date": "2026-06-30",
        "kpi": "incidents_raised",
        "kpi_filters": {"service": reg["services"]["retail_live"].pk},
        "target": 2,
        **extra,
    }


def test_propose_approve_and_follow_progress(reg, clock, incident_at, api_as):
    incident_at(t(2, 10))
    clock(t(3, 1))
    api = api_as(reg["manager"])
    status, created = api.post(BASE, _body(reg))
    assert status == 201, created
    assert created["number"].startswith("IMP") and created["status"] == "proposed"
    assert created["owner"]["username"] == "improver" and created["baseline"] is None
    assert created["kpi"] == "incidents_raised" and created["url"].endswith(created["number"] + "/")
    path = f"{BASE}/{created['id']}"
    status, moved = api.post(f"{path}/transitions", {"to": "approved", "version": 1})
    assert status == 200, moved
    assert moved["baseline"]["value"] == 1 and moved["version"] == 2
    assert moved["baseline"]["from"].startswith("2025-12-01")
    incident_at(t(2, 11))
    clock(t(3, 2))
    status, progress = api.get(f"{path}/progress")
    assert status == 200
    assert progress["baseline"]["value"] == 1 and progress["now"]["value"] == 2
    assert progress["target"] == 2 and progress["target_met"] is True
    assert progress["unit"] == "count" and progress["series_unit"] == "week"


def test_list_filters_and_sorts(reg, api_as, item):
    a = item(title="Alpha", public=True)
    b = item(
        title="Bravo",
        service=reg["services"]["retail_live"],
        kpi_key="incidents_raised",
        target=1,
    )
    ops.transition(reg["manager"], b, to=Status.APPROVED, version=b.version, reason="")
    api = api_as(reg["agent"])
    _, page = api.get(BASE)
    assert [i["number"] for i in page["items"]] == [b.number, a.number]
    _, page = api.get(BASE, status="approved")
    assert [i["number"] for i in page["items"]] == [b.number]
    _, page = api.get(BASE, service=str(reg["services"]["retail_live"].pk))
    assert [i["number"] for i in page["items"]] == [b.number]
    _, page = api.get(BASE, kpi="incidents_raised")
    assert [i["number"] for i in page["items"]] == [b.number]
    _, page = api.get(BASE, owner=str(reg["improver"].pk), sort="title")
    assert [i["title"] for i in page["items"]] == ["Alpha", "Bravo"]
    _, page = api.get(BASE, sort="-title", limit="1")
    assert page["count"] == 2 and [i["title"] for i in page["items"]] == ["Bravo"]


def test_the_list_runs_a_constant_number_of_queries(
    reg, api_as, item, django_assert_max_num_queries
):
    api = api_as(reg["agent"])
    for n in range(3):
        item(title=f"Item {n}")
    with django_assert_max_num_queries(12):
        api.get(BASE)
    for n in range(10):
        item(title=f"More {n}")
    with django_assert_max_num_queries(12):
        _, page = api.get(BASE)
    assert page["count"] == 13


def test_patch_with_the_version_and_409_when_stale(reg, api_as, item):
    it = item()
    api = api_as(reg["manager"])
    status, data = api.patch(f"{BASE}/{it.pk}", {"version": 1, "title": "Sharper title"})
    assert status == 200 and data["title"] == "Sharper title" and data["version"] == 2
    status, data = api.patch(f"{BASE}/{it.pk}", {"version": 1, "title": "Lost"})
    assert status == 409 and data["error"]["code"] == "stale_version"
    assert "version" in data["error"]["fields"]
    it.refresh_from_db()
    assert it.title == "Sharper title"
    status, data = api.patch(f"{BASE}/{it.pk}", {"version": 2, "owner": None, "target": 4.5})
    assert status == 200 and data["owner"] is None and data["target"] == 4.5


def test_votes_and_comments(reg, api_as, item):
    it = item(public=True)
    path = f"{BASE}/{it.pk}"
    requester = api_as(reg["requester"])
    assert requester.post(f"{path}/votes") == (200, {"votes": 1, "voted": True})
    status, data = requester.post(f"{path}/votes")
    assert status == 409 and data["error"]["fields"] == {"vote": ["already voted"]}
    _, got = requester.get(path)
    assert got["votes"] == 1 and got["voted"] is True
    assert requester.delete(f"{path}/votes") == (200, {"votes": 0, "voted": False})
    status, data = requester.delete(f"{path}/votes")
    assert status == 404
    status, comment = requester.post(f"{path}/comments", {"body": "Yes please"})
    assert status == 201 and comment["author"]["username"] == "req"
    status, page = api_as(reg["agent"]).get(f"{path}/comments")
    assert status == 200 and [c["body"] for c in page["items"]] == ["Yes please"]


def test_actions_through_the_api(reg, api_as, item):
    it = item()
    api = api_as(reg["improver"])
    status, action = api.post(
        f"{BASE}/{it.pk}/actions",
        {"title": "New VPN category", "owner": reg["agent"].pk, "due_date": "2026-05-01"},
    )
    assert status == 201 and action["owner"]["username"] == "agent" and not action["done"]
    status, action = api_as(reg["agent"]).patch(
        f"{BASE}/{it.pk}/actions/{action['id']}", {"done": True}
    )
    assert status == 200 and action["done"] and action["done_at"]
    _, got = api.get(f"{BASE}/{it.pk}")
    assert [a["title"] for a in got["actions"]] == ["New VPN category"]


def test_a_refused_move_is_409_or_422_naming_the_field(reg, api_as, item):
    it = item(owner=None)
    api = api_as(reg["manager"])
    status, data = api.post(f"{BASE}/{it.pk}/transitions", {"to": "in_progress", "version": 1})
    assert status == 409 and data["error"]["code"] == "transition_not_allowed"
    assert "to" in data["error"]["fields"]
    status, data = api.post(f"{BASE}/{it.pk}/transitions", {"to": "approved", "version": 1})
    assert status == 422 and set(data["error"]["fields"]) == {"owner"}
    status, data = api_as(reg["agent"]).post(
        f"{BASE}/{it.pk}/transitions", {"to": "closed", "version": 1, "reason": "no"}
    )
    assert status == 403


# --- who sees what ------------------------------------------------------------------------------


def test_requesters_see_their_own_and_shared_items_only(reg, api_as, item):
    own = ops.propose(reg["requester"], title="My idea", problem="P")
    shared = item(title="Shared", public=True)
    staff_only = item(title="Internal")
    neighbours = ops.propose(reg["neighbour"], title="Their idea", problem="P")
    api = api_as(reg["requester"])
    _, page = api.get(BASE)
    assert {i["number"] for i in page["items"]} == {own.number, shared.number}
    for hidden in (staff_only, neighbours):
        for path in ("", "/comments"):
            status, data = api.get(f"{BASE}/{hidden.pk}{path}")
            assert status == 404 and data["error"]["code"] == "not_found"
        assert api.post(f"{BASE}/{hidden.pk}/votes")[0] == 404
        assert api.post(f"{BASE}/{hidden.pk}/comments", {"body": "x"})[0] == 404
        assert api.get(f"{BASE}/{hidden.pk}/progress")[0] == 404
    assert not Vote.objects.exists() and not Comment.objects.exists()
    # live KPI figures are for IT staff
    status, _ = api.get(f"{BASE}/{shared.pk}/progress")
    assert status == 403
    # staff see everything
    _, page = api_as(reg["agent"]).get(BASE)
    assert page["count"] == 4


def test_a_requester_proposes_and_edits_only_their_open_proposal(reg, api_as, item):
    api = api_as(reg["requester"])
    status, created = api.post(BASE, {"title": "Tell callers", "problem": "We hear nothing."})
    assert status == 201 and created["proposer"]["username"] == "req"
    status, data = api.post(BASE, {"title": "x", "problem": "y", "public": True})
    assert status == 403 and "public" in data["error"]["fields"]
    path = f"{BASE}/{created['id']}"
    assert api.patch(path, {"version": 1, "title": "Tell callers sooner"})[0] == 200
    shared = item(public=True)
    status, _ = api.patch(f"{BASE}/{shared.pk}", {"version": 1, "title": "Mine now"})
    assert status == 403
    assert api.post(f"{path}/transitions", {"to": "approved", "version": 2})[0] == 403


def test_without_a_token_it_is_401(reg, api_as, item):
    it = item()
    api = api_as(None)
    for path in (BASE, f"{BASE}/{it.pk}", f"{BASE}/{it.pk}/progress"):
        assert api.get(path)[0] == 401


# --- bad input on every endpoint ----------------------------------------------------------------


def _nothing_written(before):
    assert (
        ImprovementItem.objects.count(),
        Action.objects.count(),
        Comment.objects.count(),
        Vote.objects.count(),
        JournalEntry.objects.filter(record_type="improvement.improvementitem").count(),
    ) == before


def _counts():
    return (
        ImprovementItem.objects.count(),
        Action.objects.count(),
        Comment.objects.count(),
        Vote.objects.count(),
        JournalEntry.objects.filter(record_type="improvement.improvementitem").count(),
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "two\nlines"}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"problem": ""}, "problem"),
        ({"owner": "5"}, "owner"),
        ({"owner": 999999}, "owner"),
        ({"service": 0}, "service"),
        ({"public": "yes"}, "public"),
        ({"kpi": "no_such_kpi"}, "kpi"),
        ({"kpi": "Bad Key"}, "kpi"),
        ({"kpi_filters": {"colour": 1}}, "kpi_filters.colour"),
        ({"kpi_filters": {"priority": 9}}, "kpi_filters.priority"),
        ({"baseline_from": "2026-01-01T00:00:00Z"}, "baseline_to"),
        ({"baseline_from": "2026-01-01", "baseline_to": "2026-02-01"}, "baseline_from"),
        ({"baseline_from": "2026-03-01T00:00:00Z", "baseline_to": "2026-02-01T00:00:00Z"}, None),
        ({"target": "2"}, "target"),
        ({"target": True}, "target"),
        ({"due_date": "tomorrow"}, "due_date"),
        ({"due_date": "3026-01-01"}, "due_date"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_input_when_proposing(reg, api_as, body, field):
    before = _counts()
    status, data = api_as(reg["manager"]).post(BASE, _body(reg, **body))
    assert status == 422, data
    if field:
        assert field in data["error"]["fields"], data
    else:
        assert data["error"]["fields"], data
    _nothing_written(before)


def test_bad_input_on_the_other_endpoints(reg, api_as, item):
    it = item()
    action = ops.add_action(reg["improver"], it, title="A step")
    api = api_as(reg["manager"])
    path = f"{BASE}/{it.pk}"
    before = _counts()
    cases = [
        ("patch", path, {"title": "x"}, "version"),
        ("patch", path, {"version": 0, "title": "x"}, "version"),
        ("patch", path, {"version": 1, "title": None}, "title"),
        ("patch", path, {"version": 1, "kpi": None}, "kpi"),
        ("patch", path, {"version": 1, "unknown": 1}, "unknown"),
        ("post", f"{path}/transitions", {"to": "done", "version": 1}, "to"),
        ("post", f"{path}/transitions", {"to": "approved"}, "version"),
        ("post", f"{path}/transitions", {"to": "closed", "version": 1, "outcome": "x"}, "outcome"),
        ("post", f"{path}/comments", {"body": ""}, "body"),
        ("post", f"{path}/comments", {"text": "hi"}, "body"),
        ("post", f"{path}/actions", {"owner": reg["agent"].pk}, "title"),
        ("post", f"{path}/actions", {"title": "x", "due_date": 5}, "due_date"),
        ("patch", f"{path}/actions/{action.pk}", {"done": "yes"}, "done"),
        ("patch", f"{path}/actions/{action.pk}", {"done": None}, "done"),
        ("patch", f"{path}/actions/{action.pk}", {"owner": 999999}, "owner"),
    ]
    for method, url, body, field in cases:
        status, data = getattr(api, method)(url, body)
        assert status == 422, (url, body, data)
        assert field in data["error"]["fields"], (url, body, data)
    _nothing_written(before)
    for url in (f"{BASE}/0", f"{BASE}/abc", f"{BASE}/{it.pk}/actions/0"):
        status, data = api.get(url) if "actions" not in url else api.patch(url, {"done": True})
        assert status in (404, 422) and set(data) == {"error"}
    for method, url in (
        ("get", f"{BASE}/0/progress"),
        ("post", f"{BASE}/0/votes"),
        ("delete", f"{BASE}/x/votes"),
        ("get", f"{BASE}/0/comments"),
        ("post", f"{BASE}/0/transitions"),
        ("post", f"{BASE}/0/actions"),
    ):
        call = getattr(api, method)
        status, data = call(url) if method in ("get", "delete") else call(url, {})
        assert status == 422 and set(data) == {"error"}, (url, data)
    assert api.get(f"{path}/comments", limit="0")[0] == 422
    assert api.get(f"{path}/comments", offset="-1")[0] == 422
    assert api.get(f"{BASE}/999999")[0] == 404
    assert api.patch(f"{path}/actions/999999", {"done": True})[0] == 404
    assert api.get(BASE, sort="colour")[0] == 422
    assert api.get(BASE, status="nope")[0] == 422
    assert api.get(BASE, owner="x")[0] == 422
    status, data = api.post(BASE, "not json")
    assert status == 400 and set(data) == {"error"}
    _nothing_written(before)
