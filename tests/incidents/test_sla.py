"""Incidents feed their SLA and OLA clocks: start, response, hold, priority, handovers,
resolution — read back through GET /api/v1/incidents/{number}/slas with the ledger in words."""

from __future__ import annotations

import pytest

from steward.incidents import operations as ops
from steward.slm import operations as slm
from steward.slm.models import SlaClock

pytestmark = pytest.mark.django_db
HOUR = 3600


@pytest.fixture
def slas(desk):
    admin = desk["people"]["admin"]
    slm.create_definition(
        admin, name="P3", priority="P3", response_seconds=HOUR, resolution_seconds=8 * HOUR
    )
    slm.create_definition(
        admin, name="P1", priority="P1", response_seconds=600, resolution_seconds=2 * HOUR
    )
    slm.set_ola(
        admin,
        desk["groups"]["database"],
        handover_acceptance_seconds=1800,
        time_with_group_seconds=4 * HOUR,
    )
    return desk


def clocks(incident) -> dict:
    return {
        c.metric: c
        for c in SlaClock.objects.filter(record_type="incident", record_id=str(incident.pk))
    }


def test_a_new_incident_starts_response_and_resolution_clocks(slas, open_one):
    incident = open_one()  # impact 2 x urgency 2 -> P3
    rows = clocks(incident)
    assert set(rows) == {"response", "resolution"}
    assert rows["resolution"].target_seconds == 8 * HOUR and rows["resolution"].priority == "P3"


def test_moving_to_in_progress_is_the_response_and_on_hold_pauses(slas, open_one):
    incident = open_one()
    agent = slas["people"]["agent"]
    ops.transition(agent, incident, "in_progress")
    assert clocks(incident)["response"].state == "met"
    ops.transition(agent, incident, "on_hold", hold_reason="awaiting_caller")
    assert clocks(incident)["resolution"].state == "paused"
    assert clocks(incident)["resolution"].reason == "status On hold: awaiting caller"


def test_a_public_reply_by_an_agent_is_the_first_response(slas, open_one):
    incident = open_one()
    ops.add_comment(
        slas["people"]["agent"], incident, body="We are looking into it", visibility="public"
    )
    assert clocks(incident)["response"].state == "met"


def test_a_priority_change_retargets_the_clocks(slas, open_one):
    incident = open_one()
    ops.update_incident(
        slas["people"]["agent"], incident, version=incident.version, impact=1, urgency=1
    )
    row = clocks(incident)["resolution"]
    assert row.priority == "P1" and row.target_seconds == 2 * HOUR


def test_handover_acceptance_and_time_with_group_follow_the_handover(slas, open_one):
    incident = open_one()
    agent = slas["people"]["agent"]
    handover = ops.hand_over(
        agent,
        incident,
        to_group=slas["groups"]["database"],
        reason="needs a DBA",
        note="restarted the app server",
    )
    acceptance = SlaClock.objects.get(metric="handover_acceptance")
    assert acceptance.state == "running" and acceptance.ola.group.name == "Database"
    ops.accept_handover(slas["dba"], handover)
    acceptance.refresh_from_db()
    assert acceptance.state == "met"
    with_group = SlaClock.objects.get(metric="time_with_group", ola__group__name="Database")
    assert with_group.state == "running"


def test_resolving_meets_the_resolution_target_and_the_api_explains_it(slas, open_one, api_as):
    incident = open_one()
    agent = slas["people"]["agent"]
    ops.transition(agent, incident, "in_progress")
    incident.refresh_from_db()
    ops.transition(
        agent, incident, "resolved", resolution_code="solved", resolution_notes="Reset the password"
    )
    status, body = api_as(agent, "read").get(f"incidents/{incident.number}/slas")
    assert status == 200
    by_metric = {c["metric"]: c for c in body}
    assert by_metric["resolution"]["state"] == "met"
    ledger = by_metric["resolution"]["ledger"]
    assert sum(s["counted_seconds"] for s in ledger) == by_metric["resolution"]["elapsed_seconds"]
    assert all(s["explanation"] for s in ledger)


def test_someone_who_may_not_see_the_incident_gets_404_for_its_slas(slas, open_one, api_as):
    incident = open_one()
    assert (
        api_as(slas["people"]["outsider"], "read").get(f"incidents/{incident.number}/slas")[0]
        == 404
    )


def test_the_incident_page_explains_the_clocks_to_agents_only(slas, open_one, client):
    incident = open_one()
    ops.transition(slas["people"]["agent"], incident, "in_progress")
    client.force_login(slas["people"]["agent"])
    html = client.get(f"/incidents/{incident.number}/").content.decode()
    assert "Why this due time" in html and '<th scope="row">P3</th>' in html
    client.force_login(slas["people"]["requester"])
    html = client.get(f"/incidents/{incident.number}/").content.decode()
    assert "Why this due time" not in html
