"""The problems API as the issue spells it: every endpoint's happy path (answers validated
against the OpenAPI document), bad input on every endpoint (one error shape naming the field,
nothing written), requesters find nothing, and the practice switch hides it all."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from steward.core import operations as core_ops
from steward.core.models import JournalEntry
from steward.incidents.models import Comment
from steward.problems.choices import Status
from steward.problems.models import Problem, ProblemIncident, RootCauseAnalysis, WorkaroundUse
from tests.problems.conftest import bring_to, publish

pytestmark = pytest.mark.django_db


def written():
    return (
        Problem.objects.count(),
        list(Problem.objects.values_list("version", "status", "known_error", "title")),
        RootCauseAnalysis.objects.count(),
        ProblemIncident.objects.count(),
        WorkaroundUse.objects.count(),
        Comment.objects.count(),
        JournalEntry.objects.count(),
    )


def test_raise_read_list_and_change_a_problem(desk, open_one, api_as):
    agent = api_as(desk["people"]["agent"])
    db01 = desk["cis"]["db01"]
    incident = open_one(affected_ci=db01, category=desk["categories"]["database"])
    status, body = agent.post(
        "problems",
        {"title": "Pool exhaustion", "incidents": [incident.number.lower()], "impact": 1},
    )
    assert status == 201, body
    number = body["number"]
    assert body["owning_group"]["id"] == incident.owning_group_id
    assert body["cis"] == [{"id": db01.pk, "name": "db01"}]
    assert body["incident_count"] == 1 and body["status"] == "new" and body["owner"] is None

    status, body = agent.get(f"problems/{number}")
    assert status == 200 and body["title"] == "Pool exhaustion"

    status, body = agent.patch(
        f"problems/{number}",
        {"version": body["version"], "owner": desk["dba"].pk, "statement": "At month end"},
    )
    assert status == 200, body
    assert body["owner"]["id"] == desk["dba"].pk and body["statement"] == "At month end"

    status, stale = agent.patch(f"problems/{number}", {"version": 1, "title": "Other"})
    assert status == 409 and stale["error"]["code"] == "stale_version"

    status, page = agent.get("problems", queue="mine")
    assert status == 200 and page["count"] == 0
    status, page = agent.get("problems", incident=incident.number)
    assert [p["number"] for p in page["items"]] == [number]
    status, page = agent.get("problems", known_error="false", status="new")
    assert page["count"] == 1


def test_lifecycle_rca_and_known_error_through_the_api(desk, api_as, raise_problem):
    agent = api_as(desk["people"]["agent"])
    problem = raise_problem(owner=desk["people"]["agent"])
    n = problem.number
    status, body = agent.post(f"problems/{n}/transitions", {"to": "assessment"})
    assert status == 200 and body["status"] == "assessment"
    status, body = agent.post(f"problems/{n}/transitions", {"to": "root_cause_analysis"})
    assert status == 200
    status, refused = agent.patch(
        f"problems/{n}", {"version": body["version"], "known_error": True, "workaround": "Restart"}
    )
    assert status == 422 and set(refused["error"]["fields"]) == {"rca.root_cause"}
    status, body = agent.put(
        f"problems/{n}/rca",
        {
            "version": body["version"],
            "method": "fishbone",
            "causes": {"technology": ["Pool too small"], "supplier": ["Driver leak"]},
            "root_cause": "Pool sized for last year",
            "contributing_factors": ["Month-end batch"],
            "evidence": ["https://grafana.example.org/d/db01"],
        },
    )
    assert status == 200, body
    assert body["rca"]["causes"] == {"technology": ["Pool too small"], "supplier": ["Driver leak"]}
    assert body["root_cause_at"] is not None
    status, body = agent.patch(
        f"problems/{n}", {"version": body["version"], "known_error": True, "workaround": "Restart"}
    )
    assert status == 200 and body["known_error"] is True and body["workaround"] == "Restart"
    status, page = agent.get("problems", known_error="true")
    assert [p["number"] for p in page["items"]] == [n]
    status, refused = agent.post(f"problems/{n}/transitions", {"to": "resolved"})
    assert status == 422
    assert set(refused["error"]["fields"]) == {"fix_description", "no_fix_reason"}
    status, body = agent.post(
        f"problems/{n}/transitions", {"to": "resolved", "fix_description": "Pool raised to 200"}
    )
    assert status == 200 and body["fix_description"] == "Pool raised to 200"
    status, refused = agent.post(f"problems/{n}/transitions", {"to": "assessment"})
    assert status == 409 and refused["error"]["code"] == "transition_not_allowed"


def test_known_errors_match_by_service_ci_or_category_and_a_workaround_applies(
    desk, open_one, api_as, raise_problem
):
    agent_user = desk["people"]["agent"]
    agent = api_as(agent_user)
    db01, app01 = desk["cis"]["db01"], desk["cis"]["app01"]
    problem = raise_problem(owner=agent_user, cis=[db01])
    publish(problem, agent_user)
    other = raise_problem(title="Printer jams", category=desk["categories"]["network"])
    status, page = agent.get("known-errors", ci=db01.pk)
    assert [k["problem"] for k in page["items"]] == [problem.number]
    assert page["items"][0]["workaround"] == "Restart the connection pooler on db01"
    status, page = agent.get("known-errors", ci=app01.pk)
    assert page["count"] == 0
    status, page = agent.get("known-errors", q="pooler")
    assert page["count"] == 1
    assert other.known_error is False

    incident = open_one(affected_ci=db01)
    status, body = agent.post(
        f"incidents/{incident.number}/workaround",
        {"problem": problem.number, "visibility": "public", "version": incident.version},
    )
    assert status == 201, body
    assert body == {
        "problem": problem.number,
        "incident": incident.number,
        "visibility": "public",
        "used_by": body["used_by"],
        "used_at": body["used_at"],
    }
    status, page = agent.get("known-errors", ci=db01.pk)
    assert page["items"][0]["workaround_uses"] == 1
    status, body = agent.get(f"problems/{problem.number}")
    assert body["incident_count"] == 1 and body["workaround_uses"] == 1


def test_link_and_resolve_incidents_in_bulk(desk, open_one, api_as, raise_problem):
    agent_user = desk["people"]["agent"]
    agent = api_as(agent_user)
    problem = raise_problem(owner=agent_user)
    incidents = [open_one(title=f"Down {n}") for n in range(3)]
    status, body = agent.post(
        f"problems/{problem.number}/incidents", {"numbers": [i.number for i in incidents]}
    )
    assert status == 200 and body["incident_count"] == 3
    status, _refused = agent.post(f"problems/{problem.number}/resolve-incidents", {})
    assert status == 409
    bring_to(problem, Status.RESOLVED, agent_user)
    status, body = agent.post(
        f"problems/{problem.number}/resolve-incidents", {"numbers": [incidents[0].number]}
    )
    assert status == 200 and body == {"problem": problem.number, "resolved": [incidents[0].number]}
    status, body = agent.post(f"problems/{problem.number}/resolve-incidents", {})
    assert sorted(body["resolved"]) == sorted(i.number for i in incidents[1:])


def test_trends_on_hand_built_data(desk, open_one, api_as, raise_problem):
    """Counts and hours per service, CI and category against the previous period, and the
    recurring incidents not linked to a problem."""
    from steward.incidents.models import Incident

    agent = api_as(desk["people"]["agent"])
    db01, app01 = desk["cis"]["db01"], desk["cis"]["app01"]
    database = desk["categories"]["database"]
    end = timezone.now().replace(microsecond=0)
    start = end - dt.timedelta(days=10)

    def made(days_ago, ci=None, category=None, hours=None):
        incident = open_one(affected_ci=ci, category=category)
        created = end - dt.timedelta(days=days_ago)
        resolved = created + dt.timedelta(hours=hours) if hours is not None else None
        # the clock of the estate is the row's own: set it as if raised back then (test data)
        Incident.objects.filter(pk=incident.pk).update(created_at=created, resolved_at=resolved)
        return incident

    current = [made(1, db01, database, 2), made(2, db01, database, 4), made(3, db01, database)]
    made(4, app01, None, 1)
    made(12, db01, database, 6)  # the previous period
    linked = made(5, app01, database)
    made(6, app01, database)
    raise_problem(incidents=[linked])

    status, body = agent.get(
        "problems/trends",
        **{"from": start.isoformat(), "to": end.isoformat(), "min_count": 3, "days": 10},
    )
    assert status == 200, body
    cis = {r["name"]: r for r in body["cis"]}
    assert cis["db01"]["count"] == 3 and cis["db01"]["previous_count"] == 1
    assert cis["db01"]["change"] == 2
    assert cis["db01"]["hours"] == pytest.approx(2 + 4 + 72, abs=0.1)
    assert cis["db01"]["previous_hours"] == pytest.approx(6, abs=0.1)
    assert cis["app01"]["count"] == 3
    categories = {r["name"]: r for r in body["categories"]}
    assert categories["Database"]["count"] == 5
    services = {r["name"]: r for r in body["services"]}
    assert services["Online Banking"]["count"] == 6
    assert [(g["ci"]["name"], g["category"]["name"], g["count"]) for g in body["recurring"]] == [
        ("db01", "Database", 3)
    ]
    assert sorted(body["recurring"][0]["incidents"]) == sorted(i.number for i in current)
    status, body = agent.get("problems/trends", min_count=4, days=10)
    assert body["recurring"] == []


def cases(problem, incident, desk):
    n = problem.number
    g = desk["groups"]["desk"].pk
    i = incident.number
    return [
        ("post", "problems", {"impact": 2}, "title"),
        ("post", "problems", {"title": "x"}, "owning_group"),
        ("post", "problems", {"title": "x", "owning_group": 999999}, "owning_group"),
        ("post", "problems", {"title": "", "owning_group": g}, "title"),
        ("post", "problems", {"title": "x\ny", "owning_group": g}, "title"),
        ("post", "problems", {"title": "x", "owning_group": g, "impact": 5}, "impact"),
        ("post", "problems", {"title": "x", "owning_group": g, "owner": 999999}, "owner"),
        (
            "post",
            "problems",
            {"title": "x", "owning_group": g, "owner": desk["people"]["requester"].pk},
            "owner",
        ),
        ("post", "problems", {"title": "x", "owning_group": g, "services": [999999]}, "services"),
        ("post", "problems", {"title": "x", "owning_group": g, "cis": [0]}, "cis.0"),
        ("post", "problems", {"title": "x", "owning_group": g, "category": 999999}, "category"),
        ("post", "problems", {"title": "x", "incidents": ["INC9999999"]}, "incidents"),
        ("post", "problems", {"title": "x", "incidents": ["nonsense"]}, "incidents.0"),
        ("post", "problems", {"title": "x", "owning_group": g, "status": "closed"}, "status"),
        ("patch", f"problems/{n}", {"title": "no version"}, "version"),
        ("patch", f"problems/{n}", {"version": 99, "title": "x"}, "version"),
        ("patch", f"problems/{n}", {"version": 1, "title": None}, "title"),
        ("patch", f"problems/{n}", {"version": 1, "known_error": None}, "known_error"),
        ("patch", f"problems/{n}", {"version": 1, "known_error": "yes"}, "known_error"),
        ("patch", f"problems/{n}", {"version": 1, "known_error": True}, "workaround"),
        ("patch", f"problems/{n}", {"version": 1, "owning_group": None}, "owning_group"),
        ("patch", f"problems/{n}", {"version": 1, "number": "PRB1"}, "number"),
        ("post", f"problems/{n}/transitions", {}, "to"),
        ("post", f"problems/{n}/transitions", {"to": "sleeping"}, "to"),
        ("post", f"problems/{n}/transitions", {"to": "closed"}, "to"),
        ("post", f"problems/{n}/transitions", {"to": "cancelled"}, "cancel_reason"),
        ("post", f"problems/{n}/transitions", {"to": "assessment", "version": 9}, "version"),
        ("put", f"problems/{n}/rca", {"method": "five_whys"}, "version"),
        ("put", f"problems/{n}/rca", {"version": 1}, "method"),
        ("put", f"problems/{n}/rca", {"version": 1, "method": "guess"}, "method"),
        (
            "put",
            f"problems/{n}/rca",
            {"version": 1, "method": "fishbone", "causes": {"weather": ["x"]}},
            "causes.weather.[key]",
        ),
        (
            "put",
            f"problems/{n}/rca",
            {"version": 1, "method": "fishbone", "evidence": ["javascript:alert(1)"]},
            "evidence.0",
        ),
        ("put", f"problems/{n}/rca", {"version": 1, "method": "fishbone", "whys": [""]}, "whys.0"),
        ("post", f"problems/{n}/incidents", {}, "numbers"),
        ("post", f"problems/{n}/incidents", {"numbers": []}, "numbers"),
        ("post", f"problems/{n}/incidents", {"numbers": ["INC9999999"]}, "numbers"),
        ("post", f"problems/{n}/resolve-incidents", {}, "status"),
        ("post", f"problems/{n}/resolve-incidents", {"numbers": ["x"]}, "numbers.0"),
        ("post", f"incidents/{i}/workaround", {}, "problem"),
        ("post", f"incidents/{i}/workaround", {"problem": "PRB9999999"}, "problem"),
        ("post", f"incidents/{i}/workaround", {"problem": n}, "problem"),
        ("post", f"incidents/{i}/workaround", {"problem": n, "visibility": "x"}, "visibility"),
        ("get", "problems", {"known_error": "perhaps"}, "known_error"),
        ("get", "problems", {"status": "sleeping"}, "status"),
        ("get", "problems", {"queue": "everything"}, "queue"),
        ("get", "problems", {"sort": "title; drop table"}, "sort"),
        ("get", "problems", {"limit": 0}, "limit"),
        ("get", "known-errors", {"service": "one"}, "service"),
        ("get", "known-errors", {"ci": 0}, "ci"),
        ("get", "problems/trends", {"min_count": 1}, "min_count"),
        ("get", "problems/trends", {"days": 0}, "days"),
        ("get", "problems/trends", {"from": "yesterday"}, "from"),
        (
            "get",
            "problems/trends",
            {"from": "2026-02-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"},
            "from",
        ),
    ]


def test_every_endpoint_rejects_bad_input(desk, open_one, api_as, raise_problem):
    agent = api_as(desk["people"]["agent"])
    problem = raise_problem()
    incident = open_one()
    for method, path, body, field in cases(problem, incident, desk):
        before = written()
        if method == "get":
            status, data = agent.get(path, **body)
        else:
            status, data = getattr(agent, method)(path, body)
        assert 400 <= status < 500, (method, path, body, status, data)
        assert set(data) == {"error"} and set(data["error"]) == {"code", "message", "fields"}
        assert field in data["error"]["fields"], (method, path, body, data)
        assert written() == before, (method, path, body)


def test_unknown_numbers_are_404(desk, api_as):
    agent = api_as(desk["people"]["agent"])
    for method, path in [
        ("get", "problems/PRB9999999"),
        ("patch", "problems/PRB9999999"),
        ("post", "problems/PRB9999999/transitions"),
        ("put", "problems/PRB9999999/rca"),
        ("post", "problems/PRB9999999/incidents"),
        ("post", "problems/PRB9999999/resolve-incidents"),
        ("post", "incidents/INC9999999/workaround"),
    ]:
        body = {
            "patch": {"version": 1},
            "put": {"version": 1, "method": "five_whys"},
        }.get(method, {})
        if path.endswith("/transitions"):
            body = {"to": "assessment"}
        elif path.endswith("/incidents"):
            body = {"numbers": ["INC1"]}
        elif path.endswith("/workaround"):
            body = {"problem": "PRB1"}
        if method == "get":
            status, data = agent.get(path)
        else:
            status, data = getattr(agent, method)(path, body)
        assert status == 404, (method, path, data)


def test_a_requester_sees_none_of_it(desk, open_one, api_as, raise_problem):
    """API 404s for every endpoint, known errors included, and no counts."""
    agent_user = desk["people"]["agent"]
    problem = publish(raise_problem(owner=agent_user, cis=[desk["cis"]["db01"]]), agent_user)
    incident = open_one(caller=desk["people"]["requester"])
    requester = api_as(desk["people"]["requester"])
    n = problem.number
    before = written()
    for method, path, body in [
        ("get", "problems", {}),
        ("get", "problems/trends", {}),
        ("get", f"problems/{n}", {}),
        ("get", "known-errors", {}),
        ("post", "problems", {"title": "x", "owning_group": 1}),
        ("patch", f"problems/{n}", {"version": problem.version, "title": "x"}),
        ("post", f"problems/{n}/transitions", {"to": "resolved", "no_fix_reason": "x"}),
        ("put", f"problems/{n}/rca", {"version": problem.version, "method": "five_whys"}),
        ("post", f"problems/{n}/incidents", {"numbers": [incident.number]}),
        ("post", f"problems/{n}/resolve-incidents", {}),
        ("post", f"incidents/{incident.number}/workaround", {"problem": n}),
    ]:
        if method == "get":
            status, data = requester.get(path, **body)
        else:
            status, data = getattr(requester, method)(path, body)
        assert status == 404, (method, path, data)
        assert n not in str(data)
    assert written() == before


def test_the_practice_switch_hides_it(desk, api_as, raise_problem, client_for):
    problem = raise_problem()
    admin = desk["people"]["admin"]
    core_ops.set_practice_enabled(admin, "problems", False)
    agent = api_as(desk["people"]["agent"])
    for path in ["problems", f"problems/{problem.number}", "known-errors", "problems/trends"]:
        status, data = agent.get(path)
        assert status == 404 and data["error"]["code"] == "practice_off", path
    page = client_for(desk["people"]["agent"])
    assert page.get(f"/problems/{problem.number}/").status_code == 404
    assert page.get("/problems/").status_code == 404
    core_ops.set_practice_enabled(admin, "problems", True)
    status, _data = agent.get(f"problems/{problem.number}")
    assert status == 200


def test_listing_costs_a_constant_number_of_queries(
    desk, api_as, raise_problem, django_assert_max_num_queries
):
    agent = api_as(desk["people"]["agent"])
    for n in range(3):
        raise_problem(title=f"P{n}", services=[desk["services"]["retail_live"]])
    with django_assert_max_num_queries(14):
        status, page = agent.get("problems")
    assert status == 200 and page["count"] == 3
    for n in range(10):
        raise_problem(title=f"Q{n}", cis=[desk["cis"]["db01"]])
    with django_assert_max_num_queries(14):
        status, page = agent.get("problems")
    assert page["count"] == 13
