"""The changes API as issue 18 spells it: every endpoint's happy path (answers validated against
the OpenAPI document), versions (a stale one is 409 and writes nothing), requesters find
nothing (not even a count), the practice switch hides it, and every list costs a constant
number of queries."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.approvals.models import Approver
from steward.changes.models import (
    ChangeIncident,
    ChangeRequest,
    ChangeReview,
    ChangeRiskAnswer,
    ChangeTemplate,
    ChangeWindow,
    RiskQuestion,
)
from steward.core import operations as core_ops
from steward.core.models import JournalEntry
from steward.incidents import operations as incident_ops
from steward.people import operations as people_ops
from steward.people.choices import Role
from steward.services import operations as cmdb

pytestmark = pytest.mark.django_db

START = dt.datetime(2030, 3, 2, 22, 0, tzinfo=dt.UTC)
PLANS = {
    "implementation_plan": "Apply the patch to db01 and restart",
    "backout_plan": "Restore the snapshot taken before",
    "test_plan": "Run the smoke tests of online banking",
    "communication_plan": "Tell the retail desk the day before",
}


def iso(moment: dt.datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def window(hours_from: float, hours: float = 2) -> dict:
    start = START + dt.timedelta(hours=hours_from)
    return {"planned_start": iso(start), "planned_end": iso(start + dt.timedelta(hours=hours))}


@pytest.fixture
def chg(world, make_user):
    """World plus the people of change enablement: the Database group (dba raises changes,
    peer reviews them), a change manager, an implementer; a server class with db01 and app01
    (app01 depends on db01)."""
    dba = make_user("dba", roles=[Role.AGENT])
    peer = make_user("peer", roles=[Role.AGENT])
    manager = make_user("chgmgr", roles=[Role.AGENT, Role.CHANGE_MANAGER])
    implementer = make_user("impl", roles=[Role.AGENT])
    database = people_ops.create_group(
        None, name="Database", manager=dba, members=[dba, peer, implementer]
    )
    server = cmdb.create_ci_class(None, name="Server")
    db01 = cmdb.create_ci(None, name="db01", ci_class=server, owner_group=database)
    app01 = cmdb.create_ci(None, name="app01", ci_class=server)
    cmdb.create_relationship(None, source=app01, target=db01, type="depends_on")
    return {
        **world,
        "dba": dba,
        "peer": peer,
        "manager": manager,
        "implementer": implementer,
        "database": database,
        "server": server,
        "db01": db01,
        "app01": app01,
    }


@pytest.fixture
def raise_change(chg, api_as):
    """raise_change(**body) -> the answer of POST /changes by dba: a normal change on db01
    with its four plans and a window."""

    def make(actor=None, **body):
        client = api_as(actor or chg["dba"])
        body.setdefault("title", "Patch the database server")
        body.setdefault("owning_group", chg["database"].pk)
        body.setdefault("cis", [chg["db01"].pk])
        for name, text in PLANS.items():
            body.setdefault(name, text)
        if "planned_start" not in body:
            body.update(window(0))
        status, answer = client.post("changes", body)
        assert status == 201, answer
        return answer

    return make


def written():
    return (
        list(ChangeRequest.objects.values_list("number", "version", "status", "risk", "title")),
        list(Approver.objects.values_list("request_id", "user_id", "decision")),
        ChangeRiskAnswer.objects.count(),
        ChangeReview.objects.count(),
        ChangeIncident.objects.count(),
        list(ChangeTemplate.objects.values_list("version", "name")),
        list(ChangeWindow.objects.values_list("version", "name")),
        list(RiskQuestion.objects.values_list("version", "text")),
        JournalEntry.objects.count(),
    )


def test_raise_read_list_and_change_a_change(chg, api_as, raise_change):
    dba = api_as(chg["dba"])
    body = raise_change(
        reason="Security fix", owner=chg["dba"].pk, services=[chg["services"]["retail_live"].pk]
    )
    number = body["number"]
    assert number.startswith("CHG") and body["status"] == "new" and body["type"] == "normal"
    assert body["requester"]["id"] == chg["dba"].pk and body["owner"]["id"] == chg["dba"].pk
    assert body["cis"] == [{"id": chg["db01"].pk, "name": "db01"}]
    assert body["planned_start"].startswith("2030-03-02T22:00:00")
    assert body["review"] is None and body["caused_incidents"] == []

    status, body = dba.get(f"changes/{number.lower()}")
    assert status == 200 and body["title"] == "Patch the database server"

    status, body = dba.patch(
        f"changes/{number}",
        {
            "version": body["version"],
            "implementer": chg["implementer"].pk,
            "description": "Monthly patch",
            **window(24),
        },
    )
    assert status == 200, body
    assert body["implementer"]["id"] == chg["implementer"].pk
    assert body["planned_start"].startswith("2030-03-03T22:00:00")
    assert body["description"] == "Monthly patch"

    before = written()
    status, stale = dba.patch(f"changes/{number}", {"version": 1, "title": "Other"})
    assert status == 409 and stale["error"]["code"] == "stale_version"
    assert written() == before

    other = raise_change(title="Upgrade the app server", cis=[chg["app01"].pk], **window(100))
    status, page = dba.get("changes")
    assert status == 200 and page["count"] == 2
    status, page = dba.get("changes", ci=chg["db01"].pk)
    assert [c["number"] for c in page["items"]] == [number]
    status, page = dba.get("changes", service=chg["services"]["retail_live"].pk)
    assert [c["number"] for c in page["items"]] == [number]
    status, page = dba.get("changes", q="upgrade")
    assert [c["number"] for c in page["items"]] == [other["number"]]
    status, page = dba.get("changes", owner=chg["dba"].pk, status="new", type="normal")
    assert [c["number"] for c in page["items"]] == [number]
    status, page = dba.get("changes", owning_group=chg["database"].pk, risk="high")
    assert page["count"] == 0
    status, page = dba.get(
        "changes",
        planned_from=iso(START + dt.timedelta(hours=90)),
        planned_to=iso(START + dt.timedelta(hours=200)),
    )
    assert [c["number"] for c in page["items"]] == [other["number"]]


def test_a_change_goes_through_its_lifecycle(chg, api_as, raise_change):
    """Assess, authorize (a peer approves a low-risk change; the requester may not),
    schedule, implement, review, close; the refused moves name what is missing."""
    dba, peer = api_as(chg["dba"]), api_as(chg["peer"])
    number = raise_change(owner=chg["dba"].pk, backout_plan="")["number"]
    status, body = dba.post(f"changes/{number}/transitions", {"to": "assess"})
    assert status == 200 and body["status"] == "assess"
    status, refused = dba.post(f"changes/{number}/transitions", {"to": "authorize"})
    assert status == 422 and "backout_plan" in refused["error"]["fields"]
    status, body = dba.patch(
        f"changes/{number}", {"version": body["version"], "backout_plan": PLANS["backout_plan"]}
    )
    status, body = dba.post(f"changes/{number}/transitions", {"to": "authorize"})
    assert status == 200 and body["status"] == "authorize" and body["risk"] == "low"

    status, auth = dba.get(f"changes/{number}/approvals")
    assert status == 200
    assert (auth["level"], auth["needed"], auth["complete"]) == ("peer", 1, False)
    before = written()
    status, refused = dba.post(f"changes/{number}/approvals", {"decision": "approved"})
    assert 400 <= status < 500 and refused["error"]["fields"]
    assert written() == before
    status, refused = dba.post(f"changes/{number}/transitions", {"to": "scheduled"})
    assert status == 422 and "approvals" in refused["error"]["fields"]

    status, auth = peer.post(
        f"changes/{number}/approvals", {"decision": "approved", "comment": "Looks fine"}
    )
    assert status == 201, auth
    assert auth["complete"] is True and auth["authorized_at"] is not None
    assert [(a["approver"]["id"], a["decision"], a["comment"]) for a in auth["approvals"]] == [
        (chg["peer"].pk, "approved", "Looks fine")
    ]

    status, conflicts = dba.get(f"changes/{number}/conflicts")
    assert status == 200 and conflicts["blocking"] == 0
    for target in ("scheduled", "implement", "review"):
        status, body = dba.post(f"changes/{number}/transitions", {"to": target})
        assert status == 200 and body["status"] == target, body
    assert body["started_at"] is not None and body["finished_at"] is not None
    status, refused = dba.post(f"changes/{number}/transitions", {"to": "closed"})
    assert status == 422 and "outcome" in refused["error"]["fields"]
    status, refused = dba.post(
        f"changes/{number}/transitions", {"to": "closed", "outcome": "failed"}
    )
    assert status == 422 and "review" in refused["error"]["fields"]

    status, body = dba.put(
        f"changes/{number}/review",
        {
            "what_happened": "The restart took 40 minutes",
            "cause": "A long recovery of the journal",
            "follow_ups": [
                {"action": "Tune the checkpoints", "owner": chg["peer"].pk, "due": "2030-04-01"}
            ],
        },
    )
    assert status == 200, body
    assert body["review"]["follow_ups"] == [
        {
            "action": "Tune the checkpoints",
            "owner": {
                "id": chg["peer"].pk,
                "username": "peer",
                "name": body["review"]["follow_ups"][0]["owner"]["name"],
            },
            "due": "2030-04-01",
        }
    ]
    status, body = dba.post(
        f"changes/{number}/transitions",
        {"to": "closed", "outcome": "failed", "outcome_notes": "Backed out at 01:00"},
    )
    assert status == 200 and body["status"] == "closed" and body["outcome"] == "failed"
    assert body["closed_at"] is not None
    status, refused = dba.post(f"changes/{number}/transitions", {"to": "assess"})
    assert status == 409 and refused["error"]["code"] == "transition_not_allowed"


def test_a_rejection_sends_the_change_back_to_assess(chg, api_as, raise_change):
    dba, peer = api_as(chg["dba"]), api_as(chg["peer"])
    number = raise_change()["number"]
    for target in ("assess", "authorize"):
        dba.post(f"changes/{number}/transitions", {"to": target})
    status, auth = peer.post(
        f"changes/{number}/approvals",
        {"decision": "rejected", "comment": "No test plan for the app"},
    )
    assert status == 201, auth
    assert auth["status"] == "assess" and auth["round"] == 2 and auth["rejected"] is False
    status, body = dba.get(f"changes/{number}")
    assert body["approval_round"] == 2 and "No test plan for the app" in body["rejection_reasons"]


def test_a_standard_change_comes_from_a_template(chg, api_as):
    manager = api_as(chg["manager"])
    dba = api_as(chg["dba"])
    status, template = manager.post(
        "change-templates",
        {
            "name": "Restart the app server",
            "owning_group": chg["database"].pk,
            "cis": [chg["app01"].pk],
            "risk": "low",
            "tasks": ["Drain", "Restart", "Check"],
            **{k: v for k, v in PLANS.items()},
        },
    )
    assert status == 201, template
    assert template["tasks"] == ["Drain", "Restart", "Check"] and template["is_active"] is True
    status, page = dba.get("change-templates")
    assert [t["name"] for t in page["items"]] == ["Restart the app server"]
    status, body = dba.get(f"change-templates/{template['id']}")
    assert status == 200 and body["cis"] == [{"id": chg["app01"].pk, "name": "app01"}]

    status, change = dba.post(
        "changes", {"title": "Restart app01 tonight", "template": template["id"], **window(0)}
    )
    assert status == 201, change
    assert change["type"] == "standard" and change["template"]["id"] == template["id"]
    assert change["owning_group"]["id"] == chg["database"].pk
    assert change["backout_plan"] == PLANS["backout_plan"] and change["risk"] == "low"
    assert change["tasks"] == ["Drain", "Restart", "Check"]

    status, body = manager.patch(
        f"change-templates/{template['id']}", {"version": template["version"], "is_active": False}
    )
    assert status == 200 and body["is_active"] is False
    status, page = dba.get("change-templates", is_active="true")
    assert page["count"] == 0
    before = written()
    status, refused = manager.patch(
        f"change-templates/{template['id']}", {"version": template["version"], "name": "x"}
    )
    assert status == 409 and written() == before
    status, refused = dba.post("changes", {"title": "Again", "template": template["id"]})
    assert status == 422 and "template" in refused["error"]["fields"]


def test_conflicts_are_listed_and_the_change_manager_overrides_them(chg, api_as, raise_change):
    dba, manager = api_as(chg["dba"]), api_as(chg["manager"])
    first = raise_change(**window(0, 4))["number"]
    second = raise_change(title="Tune the database", **window(2, 4))["number"]
    status, found = dba.get(f"changes/{second}/conflicts")
    assert status == 200, found
    busy = [c for c in found["conflicts"] if c["kind"] == "ci_busy"]
    assert [(c["other_change"]["number"], c["ci"]["name"]) for c in busy] == [(first, "db01")]
    assert found["blocking"] == len(found["conflicts"]) and found["override"] is None

    before = written()
    status, _refused = dba.post(f"changes/{second}/conflicts/override", {"reason": "Mine"})
    assert status in (403, 404) and written() == before
    status, overridden = manager.post(
        f"changes/{second}/conflicts/override", {"reason": "Both are tiny, agreed with the DBAs"}
    )
    assert status == 200, overridden
    assert overridden["blocking"] == 0 and all(c["overridden"] for c in overridden["conflicts"])
    assert overridden["override"]["by"]["id"] == chg["manager"].pk
    assert overridden["override"]["keys"] == [c["key"] for c in overridden["conflicts"]]
    status, body = dba.get(f"changes/{second}")
    assert body["conflicts_override"]["reason"] == "Both are tiny, agreed with the DBAs"

    # back to back: moving the first to end where the second starts clears the conflict
    status, body = dba.get(f"changes/{first}")
    dba.patch(f"changes/{first}", {"version": body["version"], **window(-2, 4)})
    status, found = dba.get(f"changes/{second}/conflicts")
    assert [c for c in found["conflicts"] if c["kind"] == "ci_busy"] == []


def test_maintenance_windows_and_blackouts(chg, api_as):
    manager = api_as(chg["manager"])
    agent = api_as(chg["dba"])
    status, weekly = manager.post(
        "maintenance-windows",
        {
            "name": "Saturday night",
            "time_zone": "Europe/Amsterdam",
            "hours": {"sat": [["22:00", "24:00"]], "sun": [["00:00", "06:00"]]},
            "cis": [chg["db01"].pk],
            "ci_classes": [chg["server"].pk],
        },
    )
    assert status == 201, weekly
    assert weekly["kind"] == "maintenance" and weekly["starts_at"] is None
    assert weekly["ci_classes"] == [{"id": chg["server"].pk, "name": "Server"}]
    status, blackout = manager.post(
        "blackouts",
        {
            "name": "Year end",
            "starts_at": "2030-12-20T00:00:00Z",
            "ends_at": "2031-01-03T00:00:00Z",
            "services": [chg["services"]["retail_live"].pk],
        },
    )
    assert status == 201, blackout
    assert blackout["kind"] == "blackout" and blackout["hours"] is None
    status, page = agent.get("maintenance-windows")
    assert [w["name"] for w in page["items"]] == ["Saturday night"]
    status, page = agent.get("blackouts")
    assert [w["name"] for w in page["items"]] == ["Year end"]
    status, _body = agent.get(f"blackouts/{weekly['id']}")
    assert status == 404
    status, body = agent.get(f"maintenance-windows/{weekly['id']}")
    assert status == 200 and body["time_zone"] == "Europe/Amsterdam"

    status, body = manager.patch(
        f"blackouts/{blackout['id']}",
        {"version": blackout["version"], "ends_at": "2031-01-05T00:00:00Z"},
    )
    assert status == 200 and body["ends_at"].startswith("2031-01-05")
    before = written()
    status, _stale = manager.patch(
        f"maintenance-windows/{weekly['id']}", {"version": 99, "name": "Sunday"}
    )
    assert status == 409 and written() == before
    status, _refused = agent.post(
        "blackouts", {"name": "Mine", "hours": {"sat": [["22:00", "24:00"]]}}
    )
    assert status == 403 and written() == before


def test_the_risk_questionnaire_sets_the_risk(chg, api_as, raise_change):
    manager = api_as(chg["manager"])
    dba = api_as(chg["dba"])
    status, question = manager.post(
        "risk-questions",
        {
            "text": "How many users are affected?",
            "weight": 10,
            "answers": [{"text": "Few", "value": 0}, {"text": "All", "value": 3, "order": 200}],
        },
    )
    assert status == 201, question
    assert [(a["text"], a["value"]) for a in question["answers"]] == [("Few", 0), ("All", 3)]
    all_users = question["answers"][1]["id"]
    status, page = dba.get("risk-questions")
    assert [q["text"] for q in page["items"]] == ["How many users are affected?"]

    change = raise_change()
    assert change["risk"] == "low"
    status, body = dba.put(
        f"changes/{change['number']}/risk",
        {
            "version": change["version"],
            "answers": [{"question": question["id"], "answer": all_users}],
        },
    )
    assert status == 200, body
    assert body["risk"] == "high"
    assert {"source": "questionnaire", "risk": "high"}.items() <= body["risk_reasons"][0].items()

    status, body = manager.patch(
        f"risk-questions/{question['id']}",
        {"version": question["version"], "weight": 5, "help": "Count the customers"},
    )
    assert status == 200 and body["weight"] == 5 and body["help"] == "Count the customers"
    status, _stale = manager.patch(
        f"risk-questions/{question['id']}", {"version": question["version"], "weight": 6}
    )
    assert status == 409


def test_the_calendar_shows_the_changes_planned_in_a_period(chg, api_as, raise_change):
    dba = api_as(chg["dba"])
    early = raise_change(**window(0))["number"]
    late = raise_change(title="Later", cis=[chg["app01"].pk], **window(72))["number"]
    status, page = dba.get(
        "changes/calendar",
        **{"from": iso(START - dt.timedelta(days=1)), "to": iso(START + dt.timedelta(days=7))},
    )
    assert status == 200, page
    assert [c["number"] for c in page["items"]] == [early, late]
    status, page = dba.get(
        "changes/calendar",
        **{"from": iso(START), "to": iso(START + dt.timedelta(days=7)), "ci": chg["app01"].pk},
    )
    assert [c["number"] for c in page["items"]] == [late]
    status, page = dba.get(
        "changes/calendar",
        **{"from": iso(START + dt.timedelta(hours=2)), "to": iso(START + dt.timedelta(hours=72))},
    )
    assert page["count"] == 0, "half-open: a change ending at `from` or starting at `to` is out"
    status, page = dba.get(
        "changes/calendar",
        **{"from": iso(START), "to": iso(START + dt.timedelta(days=7)), "group": chg["group"].pk},
    )
    assert page["count"] == 0


def test_incidents_caused_by_a_change(chg, api_as, raise_change):
    dba = api_as(chg["dba"])
    number = raise_change()["number"]
    incidents = [
        incident_ops.open_incident(
            chg["people"]["agent"],
            title=f"Online banking down {n}",
            caller=chg["people"]["requester"],
            impact=1,
            urgency=1,
            service=chg["services"]["retail_live"],
            owning_group=chg["database"],
        )
        for n in range(2)
    ]
    status, body = dba.post(
        f"changes/{number}/incidents", {"numbers": [i.number.lower() for i in incidents]}
    )
    assert status == 200, body
    assert sorted(body["caused_incidents"]) == sorted(i.number for i in incidents)


def test_a_requester_sees_none_of_it(chg, api_as, raise_change):
    """404 on every endpoint (lists and the calendar too: no counts), and nothing written."""
    change = raise_change()
    n = change["number"]
    manager = api_as(chg["manager"])
    _, template = manager.post(
        "change-templates",
        {"name": "Restart", "owning_group": chg["database"].pk, **PLANS},
    )
    _, weekly = manager.post(
        "maintenance-windows", {"name": "Nights", "hours": {"sat": [["22:00", "24:00"]]}}
    )
    _, blackout = manager.post(
        "blackouts",
        {"name": "Freeze", "starts_at": "2030-12-20T00:00:00Z", "ends_at": "2031-01-01T00:00:00Z"},
    )
    _, question = manager.post("risk-questions", {"text": "Users?", "answers": [{"text": "Few"}]})
    requester = api_as(chg["people"]["requester"])
    period = {"from": "2030-01-01T00:00:00Z", "to": "2031-01-01T00:00:00Z"}
    before = written()
    for method, path, body in [
        ("get", "changes", {}),
        ("get", "changes/calendar", period),
        ("get", f"changes/{n}", {}),
        ("get", f"changes/{n}/approvals", {}),
        ("get", f"changes/{n}/conflicts", {}),
        ("get", "change-templates", {}),
        ("get", f"change-templates/{template['id']}", {}),
        ("get", "maintenance-windows", {}),
        ("get", f"maintenance-windows/{weekly['id']}", {}),
        ("get", "blackouts", {}),
        ("get", f"blackouts/{blackout['id']}", {}),
        ("get", "risk-questions", {}),
        ("get", f"risk-questions/{question['id']}", {}),
        ("post", "changes", {"title": "x", "owning_group": chg["database"].pk}),
        ("patch", f"changes/{n}", {"version": change["version"], "title": "x"}),
        ("post", f"changes/{n}/transitions", {"to": "cancelled", "cancel_reason": "x"}),
        ("put", f"changes/{n}/risk", {"version": change["version"], "answers": []}),
        ("post", f"changes/{n}/approvals", {"decision": "approved"}),
        ("post", f"changes/{n}/conflicts/override", {"reason": "x"}),
        ("put", f"changes/{n}/review", {"what_happened": "x"}),
        ("post", f"changes/{n}/incidents", {"numbers": ["INC0000001"]}),
        ("post", "change-templates", {"name": "x", "owning_group": 1, **PLANS}),
        ("patch", f"change-templates/{template['id']}", {"version": 1, "name": "x"}),
        ("post", "maintenance-windows", {"name": "x", "hours": {}}),
        ("patch", f"maintenance-windows/{weekly['id']}", {"version": 1, "name": "x"}),
        ("post", "blackouts", {"name": "x", "hours": {}}),
        ("patch", f"blackouts/{blackout['id']}", {"version": 1, "name": "x"}),
        ("post", "risk-questions", {"text": "x", "answers": [{"text": "y"}]}),
        ("patch", f"risk-questions/{question['id']}", {"version": 1, "text": "x"}),
    ]:
        if method == "get":
            status, data = requester.get(path, **body)
        else:
            status, data = getattr(requester, method)(path, body)
        assert status == 404, (method, path, data)
        assert "count" not in data and n not in str(data)
    assert written() == before


def test_the_practice_switch_hides_it(chg, api_as, raise_change):
    number = raise_change()["number"]
    admin = chg["people"]["admin"]
    core_ops.set_practice_enabled(admin, "changes", False)
    dba = api_as(chg["dba"])
    for path in ["changes", f"changes/{number}", "change-templates", "blackouts"]:
        status, data = dba.get(path)
        assert status == 404 and data["error"]["code"] == "practice_off", path
    core_ops.set_practice_enabled(admin, "changes", True)
    status, _data = dba.get(f"changes/{number}")
    assert status == 200


def test_lists_cost_a_constant_number_of_queries(
    chg, api_as, raise_change, django_assert_max_num_queries
):
    dba = api_as(chg["dba"])
    manager = api_as(chg["manager"])
    period = {"from": "2030-01-01T00:00:00Z", "to": "2031-01-01T00:00:00Z"}
    paths = [
        ("changes", {}),
        ("changes/calendar", period),
        ("change-templates", {}),
        ("maintenance-windows", {}),
        ("blackouts", {}),
        ("risk-questions", {}),
    ]

    def add(n: int, offset: int) -> None:
        for k in range(n):
            i = offset + k
            raise_change(
                title=f"Change {i}",
                services=[chg["services"]["retail_live"].pk],
                cis=[chg["db01"].pk, chg["app01"].pk],
                **window(i * 10),
            )
            manager.post(
                "change-templates",
                {
                    "name": f"T{i}",
                    "owning_group": chg["database"].pk,
                    "cis": [chg["db01"].pk],
                    **PLANS,
                },
            )
            manager.post(
                "maintenance-windows",
                {"name": f"W{i}", "hours": {"sat": [["22:00", "24:00"]]}, "cis": [chg["db01"].pk]},
            )
            manager.post(
                "blackouts",
                {
                    "name": f"B{i}",
                    "starts_at": "2030-12-20T00:00:00Z",
                    "ends_at": "2031-01-01T00:00:00Z",
                },
            )
            manager.post(
                "risk-questions", {"text": f"Q{i}", "answers": [{"text": "a"}, {"text": "b"}]}
            )

    def counts() -> dict[str, int]:
        found = {}
        for path, params in paths:
            with django_assert_max_num_queries(16):
                status, page = dba.get(path, **params)
            assert status == 200, page
            found[path] = page["count"]
        return found

    add(2, 0)
    assert set(counts().values()) == {2}
    add(8, 2)
    assert set(counts().values()) == {10}
