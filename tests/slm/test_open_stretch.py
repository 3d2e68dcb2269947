"""The open stretch of a clock: the ledger's last entry (``end: null``) from the last event to
the read, running or paused, so the counted seconds add up to ``elapsed_seconds`` at the read;
the incident's SLA card says "running since 10:42 (In progress)" / "paused since ...".
"""

from __future__ import annotations

import datetime as dt

import pytest

from steward.incidents import operations as incident_ops
from steward.slm import operations as ops
from steward.slm.models import SlaClock
from steward.slm.queries import clocks_for

pytestmark = pytest.mark.django_db
HOUR = 3600


@pytest.fixture
def standard(desk):
    ops.create_definition(
        desk["people"]["admin"], name="Standard", response_seconds=HOUR, resolution_seconds=8 * HOUR
    )
    return desk


def by_metric(rows):
    return {c["metric"]: c for c in rows}


def test_a_clock_paused_a_second_after_it_started_shows_its_open_stretch(standard, open_one):
    incident = open_one()
    agent = standard["people"]["agent"]
    incident_ops.transition(agent, incident, "in_progress")
    incident_ops.transition(agent, incident, "on_hold", hold_reason="awaiting_caller")
    row = SlaClock.objects.get(record_id=str(incident.pk), metric="resolution")
    later = row.since + dt.timedelta(minutes=20)

    clock = by_metric(clocks_for("incident", incident.pk, now=later))["resolution"]

    last = clock["ledger"][-1]
    assert last["end"] is None and last["kind"] == "paused"
    assert last["reason"] == "status On hold: awaiting caller"
    assert last["counted_seconds"] == 0 and last["paused_working_seconds"] == 20 * 60
    assert last["explanation"].startswith("paused since ")
    assert "(On hold: awaiting caller)" in last["explanation"]
    assert sum(s["counted_seconds"] for s in clock["ledger"]) == clock["elapsed_seconds"]
    assert clock["paused_seconds"] == row.paused_seconds + 20 * 60


def test_a_running_clock_counts_its_open_stretch_at_the_read(standard, open_one):
    incident = open_one()
    row = SlaClock.objects.get(record_id=str(incident.pk), metric="resolution")
    later = row.since + dt.timedelta(hours=2)
    clock = by_metric(clocks_for("incident", incident.pk, now=later))["resolution"]
    assert clock["ledger"][-1] | {"explanation": ""} == {
        "start": row.since,
        "end": None,
        "kind": "running",
        "reason": "status New",
        "counted_seconds": 2 * HOUR,
        "paused_working_seconds": 0,
        "explanation": "",
    }
    assert clock["elapsed_seconds"] == 2 * HOUR
    assert sum(s["counted_seconds"] for s in clock["ledger"]) == 2 * HOUR


def test_a_stopped_clock_has_no_open_stretch(standard, open_one):
    incident = open_one()
    agent = standard["people"]["agent"]
    incident_ops.transition(agent, incident, "in_progress")  # the response is met
    response = by_metric(clocks_for("incident", incident.pk))["response"]
    assert response["state"] == "met"
    assert all(s["end"] is not None for s in response["ledger"])
    assert sum(s["counted_seconds"] for s in response["ledger"]) == response["elapsed_seconds"]


def test_the_api_ledger_ends_with_the_open_stretch(standard, open_one, api_as):
    incident = open_one()
    agent = standard["people"]["agent"]
    incident_ops.transition(agent, incident, "in_progress")
    incident_ops.transition(agent, incident, "on_hold", hold_reason="awaiting_caller")
    status, body = api_as(agent, "read").get(f"incidents/{incident.number}/slas")
    assert status == 200
    resolution = by_metric(body)["resolution"]
    last = resolution["ledger"][-1]
    assert last["end"] is None and last["kind"] == "paused"
    assert sum(s["counted_seconds"] for s in resolution["ledger"]) == resolution["elapsed_seconds"]


def test_the_sla_card_says_since_when_and_why(standard, open_one, client_for):
    incident = open_one()
    agent = standard["people"]["agent"]
    incident_ops.transition(agent, incident, "in_progress")
    html = client_for(agent).get(incident.get_absolute_url()).content.decode()
    assert "running since " in html and "(In progress)" in html
    incident.refresh_from_db()
    incident_ops.transition(agent, incident, "on_hold", hold_reason="awaiting_caller")
    html = client_for(agent).get(incident.get_absolute_url()).content.decode()
    assert "paused since " in html and "(On hold: awaiting caller)" in html
