"""Bulk actions on a queue selection: each incident goes through its operation on its own, in
its own transaction, against the version read; the result says which were done and which were
refused, and why."""

from __future__ import annotations

import pytest
from django.urls import reverse

from steward.core.models import JournalEntry
from steward.incidents import bulk
from steward.incidents import operations as ops
from steward.incidents.choices import HandoverStatus
from steward.incidents.models import Handover, Incident

pytestmark = pytest.mark.django_db


def pick(incident: Incident) -> str:
    incident.refresh_from_db()
    return f"{incident.pk}:{incident.version}"


def post(client, action: str, picks: list[str], **fields):
    data = {"action": action, "pick": picks, "back": "/incidents/?queue=all", **fields}
    return client.post(reverse("incidents:bulk"), data)


def test_assigning_a_selection_assigns_each_and_journals_each(desk, open_one, client_for):
    agent, desk2 = desk["people"]["agent"], desk["desk2"]
    first, second = (
        open_one(owning_group=desk["groups"]["desk"]),
        open_one(owning_group=desk["groups"]["desk"]),
    )
    response = post(client_for(agent), "assign", [pick(first), pick(second)], assignee=desk2.pk)
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 incidents done, 0 refused" in html
    for incident in (first, second):
        incident.refresh_from_db()
        assert incident.assignee == desk2
        assert JournalEntry.objects.for_record(incident).filter(action="assigned").count() == 1


def test_a_stale_row_is_refused_and_the_others_are_done(desk, open_one, client_for):
    agent, desk2 = desk["people"]["agent"], desk["desk2"]
    fresh = open_one(owning_group=desk["groups"]["desk"])
    stale = open_one(owning_group=desk["groups"]["desk"])
    read = pick(stale)
    ops.assign(agent, stale, agent)  # a colleague took it after the list was read
    response = post(client_for(agent), "assign", [read, pick(fresh)], assignee=desk2.pk)
    html = response.content.decode()
    assert "1 incident done, 1 refused" in html
    assert f"{stale.number} was changed by someone else after you opened the list" in html
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.assignee == agent  # the colleague's assignment stands
    assert fresh.assignee == desk2


def test_a_refused_row_says_why_and_changes_nothing_of_itself(desk, open_one, client_for):
    agent = desk["people"]["agent"]
    ours = open_one(owning_group=desk["groups"]["desk"])
    theirs = open_one(owning_group=desk["groups"]["database"])
    # desk2 is no member of Database: that incident refuses them, ours takes them
    response = post(
        client_for(agent), "assign", [pick(ours), pick(theirs)], assignee=desk["desk2"].pk
    )
    html = response.content.decode()
    assert "1 incident done, 1 refused" in html
    assert "not a member of" in html  # the operation's own words
    theirs.refresh_from_db()
    assert theirs.assignee is None
    assert not JournalEntry.objects.for_record(theirs).filter(action="assigned").exists()


def test_handing_over_a_selection_checks_each_version(desk, open_one, client_for):
    agent = desk["people"]["agent"]
    database = desk["groups"]["database"]
    first = open_one(owning_group=desk["groups"]["desk"])
    second = open_one(owning_group=desk["groups"]["desk"])
    stale = pick(second)
    ops.assign(agent, second, agent)
    response = post(
        client_for(agent),
        "hand_over",
        [pick(first), stale],
        to_group=database.pk,
        reason="Database locks",
    )
    html = response.content.decode()
    assert "1 incident done, 1 refused" in html
    assert Handover.objects.filter(
        incident=first, to_group=database, status=HandoverStatus.PENDING
    ).exists()
    assert not Handover.objects.filter(incident=second).exists()


def test_resolving_a_selection_needs_a_code_and_notes(desk, open_one, client_for):
    agent = desk["people"]["agent"]
    first = open_one(owning_group=desk["groups"]["desk"])
    ops.transition(agent, first, "in_progress")
    client = client_for(agent)
    response = post(client, "resolve", [pick(first)], resolution_code="", resolution_notes="")
    assert response.status_code == 422
    html = response.content.decode()
    assert "Choose a resolution code." in html and "Nothing was changed." in html
    first.refresh_from_db()
    assert first.status == "in_progress"
    response = post(
        client, "resolve", [pick(first)], resolution_code="solved", resolution_notes="Restarted"
    )
    assert "1 incident done, 0 refused" in response.content.decode()
    first.refresh_from_db()
    assert first.status == "resolved" and first.resolution_notes == "Restarted"


def test_nothing_selected_changes_nothing(desk, client_for):
    response = post(client_for(desk["people"]["agent"]), "assign", [], assignee=desk["desk2"].pk)
    assert response.status_code == 422
    assert "Select at least one incident first." in response.content.decode()


def test_requesters_cannot_use_bulk_actions(desk, open_one, client_for):
    incident = open_one()
    response = post(client_for(desk["people"]["requester"]), "assign", [pick(incident)])
    assert response.status_code == 404


def test_the_back_link_stays_on_this_site(desk, open_one, client_for):
    incident = open_one(owning_group=desk["groups"]["desk"])
    client = client_for(desk["people"]["agent"])
    data = {
        "action": "assign",
        "pick": [pick(incident)],
        "assignee": desk["desk2"].pk,
        "back": "https://evil.example/",
    }
    html = client.post(reverse("incidents:bulk"), data).content.decode()
    assert "evil.example" not in html and 'href="/incidents/"' in html


def test_the_selection_is_parsed_strictly():
    picks = bulk.parse_picks(["12:3", "12:4", "x:1", "5", "7:-1", "9" * 30 + ":1", "8:0"])
    assert picks == [bulk.Pick(12, 3), bulk.Pick(8, 0)]


def test_an_incident_the_actor_may_not_see_is_reported_as_missing(desk, open_one):
    incident = open_one()
    outcomes = bulk.apply(
        desk["people"]["requester"].__class__.objects.get(username="outsider"),
        "assign",
        [bulk.Pick(incident.pk, incident.version)],
        assignee=None,
    )
    assert [(o.number, o.done) for o in outcomes] == [("—", False)]
    assert incident.number not in outcomes[0].message
