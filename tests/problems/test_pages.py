"""The problem pages per role: the list and its queues, raising (directly and from incidents),
a problem's page (analysis, linked incidents per service and week, known error, lifecycle),
editing with a version, the trends report, and "Apply workaround" on an incident."""

from __future__ import annotations

import re

import pytest

from steward.incidents.models import Comment
from steward.problems import operations as ops
from steward.problems.choices import Status
from steward.problems.models import Problem, ProblemIncident, WorkaroundUse
from steward.problems.registrations import known_error_panel
from tests.problems.conftest import bring_to, publish

pytestmark = pytest.mark.django_db


def test_a_requester_finds_no_problem_page(desk, client_for, raise_problem):
    problem = raise_problem()
    client = client_for(desk["people"]["requester"])
    for url in [
        "/problems/",
        "/problems/new/",
        "/problems/trends/",
        f"/problems/{problem.number}/",
        f"/problems/{problem.number}/edit/",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/problems/{problem.number}/move/", {"to": "assessment"}).status_code == 404


def test_the_list_shows_queues_with_counts(desk, client_for, raise_problem):
    raise_problem(title="Lonely problem")
    raise_problem(title="Owned problem", owner=desk["people"]["agent"])
    client = client_for(desk["people"]["agent"])
    page = client.get("/problems/").content.decode()
    assert "Lonely problem" in page and "Owned problem" in page
    assert "Without owner (1)" in page and "My problems (1)" in page
    page = client.get("/problems/?queue=unowned").content.decode()
    assert "Lonely problem" in page and "Owned problem" not in page


def test_raising_from_an_incident_prefills_and_links(desk, client_for, open_one):
    incident = open_one(title="Online banking down", affected_ci=desk["cis"]["db01"])
    client = client_for(desk["people"]["agent"])
    page = client.get(f"/problems/new/?incident={incident.number}").content.decode()
    assert incident.number in page and "Online banking down" in page
    response = client.post(
        "/problems/new/",
        {
            "title": "Online banking down again",
            "owning_group": incident.owning_group_id,
            "impact": 2,
            "urgency": 2,
            "incidents": incident.number,
            "cis": [desk["cis"]["db01"].pk],
        },
    )
    problem = Problem.objects.get()
    assert response.status_code == 302 and response["Location"] == problem.get_absolute_url()
    assert ProblemIncident.objects.get(problem=problem).incident == incident


def test_raising_from_the_incident_queue_selection(desk, client_for, open_one):
    first, second = open_one(title="First"), open_one(title="Second")
    page = client_for(desk["people"]["agent"]).get(
        "/problems/new/", {"pick": [f"{first.pk}:{first.version}", f"{second.pk}:1", "x:y"]}
    )
    assert f"{first.number} {second.number}" in page.content.decode()


def test_the_incident_queue_offers_a_problem_from_the_selection(desk, client_for, open_one):
    first, second = open_one(title="First"), open_one(title="Second")
    client = client_for(desk["people"]["agent"])
    queue = client.get("/incidents/").content.decode()
    assert "Open a problem from these" in queue
    assert 'formaction="/problems/from-incidents/"' in queue
    picks = [f"{first.pk}:{first.version}", f"{second.pk}:{second.version}"]
    response = client.post("/problems/from-incidents/", {"pick": picks, "back": "/incidents/"})
    assert response.status_code == 302 and response["Location"].startswith("/problems/new/?pick=")
    page = client.get(response["Location"]).content.decode()
    assert f"{first.number} {second.number}" in page
    assert not Problem.objects.exists()  # nothing is raised until the form is saved
    nothing = client.post("/problems/from-incidents/", {"back": "https://evil.example/"})
    assert nothing.status_code == 302 and nothing["Location"] == "/incidents/"
    assert "Tick the incidents" in client.get("/incidents/").content.decode()


def test_the_queue_offers_no_problem_to_a_requester_or_with_problems_off(
    desk, client_for, open_one
):
    from steward.core import operations as core_ops

    open_one(title="First")
    requester = client_for(desk["people"]["requester"])
    assert requester.post("/problems/from-incidents/", {"pick": ["1:1"]}).status_code == 404
    core_ops.set_practice_enabled(None, "problems", False)
    agent = client_for(desk["people"]["agent"])
    assert "Open a problem from these" not in agent.get("/incidents/").content.decode()
    assert 'hx-get="/problems/known-errors/"' not in agent.get("/incidents/new/").content.decode()


def test_the_incident_form_asks_for_matching_known_errors(desk, client_for):
    agent_page = client_for(desk["people"]["agent"]).get("/incidents/new/").content.decode()
    assert 'hx-get="/problems/known-errors/"' in agent_page
    assert "#incident-form [name=service], #incident-form [name=affected_ci]" in agent_page
    requester_page = client_for(desk["people"]["requester"]).get("/incidents/new/")
    assert 'hx-get="/problems/known-errors/"' not in requester_page.content.decode()


def test_raising_with_an_unknown_incident_says_so(desk, client_for):
    client = client_for(desk["people"]["agent"])
    response = client.post(
        "/problems/new/",
        {
            "title": "x",
            "owning_group": desk["groups"]["desk"].pk,
            "impact": 2,
            "urgency": 2,
            "incidents": "INC9999999",
        },
    )
    assert response.status_code == 200
    assert "No such incident: INC9999999" in response.content.decode()
    assert not Problem.objects.exists()


def test_the_problem_page_shows_analysis_counts_and_charts(
    desk, client_for, open_one, raise_problem
):
    agent = desk["people"]["agent"]
    incidents = [open_one(), open_one(service=desk["services"]["corporate_live"])]
    problem = publish(raise_problem(owner=agent, incidents=incidents), agent)
    page = client_for(agent).get(problem.get_absolute_url()).content.decode()
    assert "The connection pool is sized for last year" in page
    assert "Restart the connection pooler on db01" in page
    assert "Online Banking: 1" in page and "Treasury: 1" in page
    assert "<svg" in page and "Published as a known error" in page


def test_moving_recording_the_analysis_and_resolving_from_the_page(
    desk, client_for, open_one, raise_problem
):
    agent = desk["people"]["agent"]
    incident = open_one()
    problem = raise_problem(owner=agent, incidents=[incident])
    client = client_for(agent)
    url = problem.get_absolute_url()
    client.post(f"{url}move/", {"to": "assessment", "version": problem.version})
    problem.refresh_from_db()
    client.post(f"{url}move/", {"to": "root_cause_analysis", "version": problem.version})
    problem.refresh_from_db()
    response = client.post(
        f"{url}rca/",
        {
            "version": problem.version,
            "method": "fishbone",
            "causes_technology": "Pool too small\nNo autoscaling",
            "root_cause": "Sized for last year",
            "evidence": "https://grafana.example.org/d/1",
        },
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.rca.causes == {"technology": ["Pool too small", "No autoscaling"]}
    response = client.post(f"{url}move/", {"to": "resolved", "version": problem.version})
    assert response.status_code == 422
    assert "a description of the fix" in response.content.decode()
    client.post(
        f"{url}move/",
        {"to": "resolved", "version": problem.version, "fix_description": "Pool doubled"},
    )
    problem.refresh_from_db()
    assert problem.status == Status.RESOLVED
    page = client.get(url).content.decode()
    assert "Resolve the linked incidents" in page
    client.post(f"{url}resolve-incidents/")
    incident.refresh_from_db()
    assert incident.status == "resolved"


def test_a_bad_evidence_link_is_shown_on_the_form(desk, client_for, raise_problem):
    problem = raise_problem()
    response = client_for(desk["people"]["agent"]).post(
        f"{problem.get_absolute_url()}rca/",
        {"version": problem.version, "method": "five_whys", "evidence": "javascript:alert(1)"},
    )
    assert response.status_code == 422
    assert "Evidence is a link starting with http:// or https://." in response.content.decode()


def test_a_stale_edit_shows_the_conflict_and_keeps_the_input(desk, client_for, raise_problem):
    agent = desk["people"]["agent"]
    problem = raise_problem()
    client = client_for(agent)
    version = problem.version
    ops.update_problem(desk["dba"], problem, version=version, title="Changed meanwhile")
    response = client.post(
        f"{problem.get_absolute_url()}edit/",
        {
            "title": "My title",
            "owning_group": problem.owning_group_id,
            "impact": 2,
            "urgency": 2,
            "version": version,
        },
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "My title" in page
    problem.refresh_from_db()
    assert problem.title == "Changed meanwhile"


def test_publishing_without_a_root_cause_is_refused_on_the_edit_page(
    desk, client_for, raise_problem
):
    agent = desk["people"]["agent"]
    problem = bring_to(raise_problem(owner=agent), Status.ROOT_CAUSE_ANALYSIS, agent)
    response = client_for(agent).post(
        f"{problem.get_absolute_url()}edit/",
        {
            "title": problem.title,
            "owning_group": problem.owning_group_id,
            "owner": agent.pk,
            "impact": 2,
            "urgency": 2,
            "known_error": "on",
            "workaround": "Restart",
            "version": problem.version,
        },
    )
    assert response.status_code == 422
    assert "the root cause must be recorded" in response.content.decode()


def test_the_known_error_panel_shows_on_matching_incidents_only(
    desk, client_for, open_one, raise_problem
):
    agent = desk["people"]["agent"]
    problem = publish(raise_problem(owner=agent, cis=[desk["cis"]["db01"]]), agent)
    matching = open_one(affected_ci=desk["cis"]["db01"], service=None)
    unrelated = open_one(affected_ci=desk["cis"]["app01"], service=None)
    unrelated.service = None
    panel = known_error_panel(matching, agent)
    assert [p.number for p in panel["known_errors"]] == [problem.number]
    assert known_error_panel(unrelated, agent) is None
    assert known_error_panel(matching, desk["people"]["requester"]) is None


def test_apply_workaround_from_the_incident_page(desk, client_for, open_one, raise_problem):
    agent = desk["people"]["agent"]
    problem = publish(raise_problem(owner=agent), agent)
    incident = open_one()
    response = client_for(agent).post(
        f"/problems/workaround/{incident.number}/",
        {"problem": problem.number, "visibility": "internal"},
    )
    assert response.status_code == 302 and response["Location"] == incident.get_absolute_url()
    assert WorkaroundUse.objects.filter(incident=incident, problem=problem).exists()
    assert Comment.objects.filter(incident=incident, visibility="internal").exists()


def test_the_trends_page_offers_a_problem_from_recurring_incidents(desk, client_for, open_one):
    for _n in range(3):
        open_one(affected_ci=desk["cis"]["db01"], category=desk["categories"]["database"])
    page = client_for(desk["people"]["agent"]).get("/problems/trends/").content.decode()
    assert "Open a problem from these" in page
    assert "/problems/new/?incident=INC" in page
    assert "db01" in page


def test_known_errors_matching_while_an_incident_is_raised(desk, client_for, raise_problem):
    agent = desk["people"]["agent"]
    db01 = desk["cis"]["db01"]
    problem = publish(raise_problem(owner=agent, cis=[db01]), agent)
    client = client_for(agent)
    page = client.get("/problems/known-errors/", {"ci": db01.pk}).content.decode()
    assert problem.number in page and "Restart the connection pooler on db01" in page
    # the incident form's CI field: a name, or a suggestion's "name [#id]"
    for typed in ("DB01", f"db01 [#{db01.pk}]"):
        page = client.get("/problems/known-errors/", {"affected_ci": typed})
        assert problem.number in page.content.decode(), typed
    for typed in ("no such ci", "x [#999999999]"):
        page = client.get("/problems/known-errors/", {"affected_ci": typed})
        assert page.status_code == 200 and problem.number not in page.content.decode()
    page = client.get("/problems/known-errors/", {"ci": desk["cis"]["app01"].pk})
    assert problem.number not in page.content.decode()
    assert client.get("/problems/known-errors/", {"ci": "x" * 30}).status_code == 200
    requester = client_for(desk["people"]["requester"])
    page = requester.get("/problems/known-errors/", {"ci": db01.pk}).content.decode()
    assert problem.number not in page


def test_the_history_says_the_analysis_in_the_readers_words(desk, client_for, raise_problem):
    from steward.people import operations as people_ops

    agent = desk["people"]["agent"]
    problem = bring_to(raise_problem(owner=agent), Status.ROOT_CAUSE_ANALYSIS, agent)
    problem.refresh_from_db()
    ops.record_rca(
        agent,
        problem,
        version=problem.version,
        method="fishbone",
        causes={"technology": ["Pool too small"]},
        root_cause="Sized for last year",
    )
    page = client_for(agent).get(problem.get_absolute_url()).content.decode()
    assert "Fishbone (causes by category)" in page and "Technology: Pool too small" in page
    assert not re.search(r">\s*fishbone\s*<", page)  # the code itself is never shown
    agent.refresh_from_db()
    people_ops.update_user(None, agent, version=agent.version, language="nl")
    page = client_for(agent).get(problem.get_absolute_url()).content.decode()
    assert "Visgraat" in page and "Techniek: Pool too small" in page
