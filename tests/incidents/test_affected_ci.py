"""Incidents name the failing configuration item; choosing a CI proposes its service."""

from __future__ import annotations

import pytest

from steward.services import operations as cmdb

pytestmark = pytest.mark.django_db


@pytest.fixture
def db_server(desk):
    server = cmdb.create_ci_class(None, name="Server")
    db01 = cmdb.create_ci(
        None, name="db01", ci_class=server, owner_group=desk["groups"]["database"]
    )
    app01 = cmdb.create_ci(None, name="app01", ci_class=server)
    cmdb.link_service_ci(None, service=desk["services"]["corporate_live"], ci=app01)
    cmdb.create_relationship(None, source=app01, target=db01, type="depends_on")
    return db01


def test_choosing_a_ci_proposes_the_service_it_affects(desk, db_server, api_as):
    status, body = api_as(desk["people"]["agent"]).post(
        "incidents",
        {
            "title": "Database server unreachable",
            "impact": 2,
            "urgency": 2,
            "caller": desk["people"]["requester"].pk,
            "affected_ci": db_server.pk,
        },
    )
    assert status == 201, body
    assert body["affected_ci"] == {"id": db_server.pk, "name": "db01"}
    assert body["service"]["name"] == "Treasury"


def test_a_service_given_with_the_ci_is_kept(desk, db_server, api_as):
    banking = desk["services"]["retail_live"]
    status, body = api_as(desk["people"]["agent"]).post(
        "incidents",
        {
            "title": "Slow",
            "impact": 3,
            "urgency": 3,
            "caller": desk["people"]["requester"].pk,
            "service": banking.pk,
            "affected_ci": db_server.pk,
        },
    )
    assert status == 201 and body["service"]["name"] == "Online Banking"


def test_an_unknown_ci_is_a_422_naming_the_field(desk, api_as):
    status, body = api_as(desk["people"]["agent"]).post(
        "incidents", {"title": "x", "impact": 3, "urgency": 3, "affected_ci": 999999}
    )
    assert status == 422 and "affected_ci" in body["error"]["fields"]


# --- the raise form: typing a CI or a caller instead of scrolling a list of every one -------


def test_the_form_suggests_cis_and_raises_with_the_chosen_one(desk, db_server, client_for):
    from steward.incidents.models import Incident

    agent = client_for(desk["people"]["agent"])
    options = agent.get("/incidents/suggest/cis/", {"affected_ci": "db0"}).content.decode()
    label = f"db01 [#{db_server.pk}]"
    assert f'value="{label}"' in options and "app01" not in options

    response = agent.post(
        "/incidents/new/",
        {
            "title": "db01 down",
            "impact": "2",
            "urgency": "2",
            "affected_ci": label,
            "caller": "req",
        },
    )
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert (incident.affected_ci, incident.service.name) == (db_server, "Treasury")
    assert incident.caller == desk["people"]["requester"]


def test_an_ambiguous_ci_or_unknown_caller_is_refused_and_nothing_is_raised(
    desk, db_server, client_for
):
    from steward.incidents.models import Incident

    database = cmdb.create_ci_class(None, name="Database")
    cmdb.create_ci(None, name="db01", ci_class=database)  # a second "db01", another class
    agent = client_for(desk["people"]["agent"])
    page = agent.post(
        "/incidents/new/",
        {"title": "db01 down", "impact": "2", "urgency": "2", "affected_ci": "db01"},
    ).content.decode()
    assert "Several configuration items are called" in page
    page = agent.post(
        "/incidents/new/",
        {"title": "db01 down", "impact": "2", "urgency": "2", "caller": "nobody-like-this"},
    ).content.decode()
    assert "No active user has the username" in page
    assert not Incident.objects.exists()


def test_caller_suggestions_are_for_it_staff_only(desk, client_for):
    agent = client_for(desk["people"]["agent"])
    options = agent.get("/incidents/suggest/callers/", {"caller": "re"}).content.decode()
    assert 'value="req"' in options
    requester = client_for(desk["people"]["requester"])
    assert requester.get("/incidents/suggest/callers/", {"caller": "re"}).status_code == 404
