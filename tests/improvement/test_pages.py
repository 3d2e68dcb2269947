"""The register's pages per role: the list with its filters, the create page prefilled from the
KPI page's "Improve this" link and from a major incident's review actions, the item page
(progress chart for IT staff, votes, comments, lifecycle), the practice switch."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from steward.core import operations as core_ops
from steward.core.registry import detail_panels, nav_entries
from steward.improvement import operations as ops
from steward.improvement.choices import Status
from steward.improvement.models import ImprovementItem
from steward.incidents import operations as incident_ops
from steward.ownership import gaps
from steward.people.choices import Role
from tests.improvement.conftest import t

pytestmark = pytest.mark.django_db


def test_the_list_filters_by_status_and_owner(reg, client_for, item):
    a = item(title="Alpha idea")
    b = item(title="Bravo idea", owner=reg["agent"])
    ops.transition(reg["manager"], b, to=Status.APPROVED, version=b.version)
    client = client_for(reg["agent"])
    html = client.get(reverse("improvement:list")).content.decode()
    assert a.number in html and b.number in html
    html = client.get(reverse("improvement:list"), {"status": "approved"}).content.decode()
    assert b.number in html and a.number not in html
    html = client.get(reverse("improvement:list"), {"owner": reg["improver"].pk}).content.decode()
    assert a.number in html and b.number not in html
    html = client.get(reverse("improvement:list"), {"sort": "-votes"}).content.decode()
    assert 'aria-sort="descending"' in html


def test_the_create_page_is_prefilled_from_the_kpi_page(reg, client_for):
    banking = reg["services"]["retail_live"]
    query = {
        "kpi": "incident_mttr",
        "from": "2026-03-01",
        "to": "2026-03-31",
        "service": banking.pk,
        "group": reg["groups"]["desk"].pk,
        "priority": "2",
        "organization": "",
    }
    response = client_for(reg["agent"]).get(reverse("improvement:new"), query)
    form = response.context["form"]
    assert form["kpi"].value() == "incident_mttr"
    assert form["kpi_service"].value() == banking.pk and form["service"].value() == banking.pk
    assert form["kpi_group"].value() == reg["groups"]["desk"].pk
    assert form["kpi_priority"].value() == 2
    assert form["baseline_from"].value() == dt.date(2026, 3, 1)
    assert form["baseline_to"].value() == dt.date(2026, 3, 31)
    html = response.content.decode()
    assert 'value="incident_mttr" selected' in html


def test_proposing_on_the_page_keeps_the_prefilled_kpi(reg, client_for, clock):
    clock(t(4, 1))
    banking = reg["services"]["retail_live"]
    response = client_for(reg["agent"]).post(
        reverse("improvement:new"),
        {
            "title": "Faster Online Banking fixes",
            "problem": "Too slow.",
            "kpi": "incident_mttr",
            "kpi_service": banking.pk,
            "baseline_from": "2026-03-01",
            "baseline_to": "2026-03-31",
            "target": "4",
        },
    )
    item = ImprovementItem.objects.get()
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert item.kpi_key == "incident_mttr" and item.kpi_filters == {"service": banking.pk}
    assert item.baseline_from == t(3, 1, 0) and item.baseline_to == t(4, 1, 0)
    assert item.target == 4 and item.proposer == reg["agent"]


def test_a_bad_proposal_is_shown_on_the_form(reg, client_for):
    response = client_for(reg["agent"]).post(
        reverse("improvement:new"),
        {"title": "x", "problem": "y", "kpi": "incidents_raised", "baseline_from": "2026-03-01"},
    )
    assert response.status_code == 200
    assert "name both ends" in response.content.decode()
    assert not ImprovementItem.objects.exists()


def test_a_requester_proposes_without_owner_fields(reg, client_for):
    client = client_for(reg["requester"])
    html = client.get(reverse("improvement:new")).content.decode()
    assert 'name="owner"' not in html and 'name="public"' not in html
    response = client.post(reverse("improvement:new"), {"title": "Tell us", "problem": "Please"})
    assert response.status_code == 302
    assert ImprovementItem.objects.get().proposer == reg["requester"]


def test_the_item_page_shows_progress_to_it_staff_only(reg, client_for, clock, incident_at, item):
    incident_at(t(2, 1))
    clock(t(3, 1))
    it = item(kpi_key="incidents_raised", target=0, public=True)
    ops.transition(reg["manager"], it, to=Status.APPROVED, version=it.version)
    html = client_for(reg["agent"]).get(it.get_absolute_url()).content.decode()
    assert "data-progress" in html and 'class="chart' in html
    assert 'data-figure="baseline">1<' in html
    html = client_for(reg["requester"]).get(it.get_absolute_url()).content.decode()
    assert "data-progress" not in html and 'class="chart' not in html
    assert "Vote for it" in html and "Start work" not in html


def test_approve_vote_and_comment_on_the_page(reg, client_for, item):
    it = item(public=True)
    manager = client_for(reg["manager"])
    html = manager.get(it.get_absolute_url()).content.decode()
    assert "Approve" in html
    response = manager.post(
        reverse("improvement:move", args=[it.number]), {"to": "approved", "version": it.version}
    )
    assert response.status_code == 302
    it.refresh_from_db()
    assert it.status == Status.APPROVED
    requester = client_for(reg["requester"])
    requester.post(reverse("improvement:vote", args=[it.number]))
    requester.post(reverse("improvement:comment", args=[it.number]), {"body": "Good idea"})
    it.refresh_from_db()
    assert it.votes == 1 and it.comments.get().body == "Good idea"
    requester.post(reverse("improvement:vote", args=[it.number]))  # withdraw
    it.refresh_from_db()
    assert it.votes == 0


def test_a_refused_move_on_the_page_says_why(reg, client_for, item):
    it = item(owner=None)
    response = client_for(reg["manager"]).post(
        reverse("improvement:move", args=[it.number]), {"to": "approved", "version": it.version}
    )
    assert response.status_code == 422
    assert "an active owner is required to approve" in response.content.decode()


def test_a_stale_edit_shows_the_conflict(reg, client_for, item):
    it = item()
    client = client_for(reg["manager"])
    form = client.get(reverse("improvement:edit", args=[it.number])).context["form"]
    ops.update(reg["manager"], it, version=it.version, title="Theirs")
    data = {k: v for k, v in form.initial.items() if v is not None}
    data |= {"title": "Mine", "due_date": "2026-06-30", "seen": form.initial.get("seen", 0)}
    response = client.post(reverse("improvement:edit", args=[it.number]), data)
    assert response.status_code == 409
    assert "while you were editing" in response.content.decode()
    it.refresh_from_db()
    assert it.title == "Theirs"


def test_requesters_get_404_for_items_they_may_not_see(reg, client_for, item):
    it = item()
    client = client_for(reg["requester"])
    assert client.get(it.get_absolute_url()).status_code == 404
    assert client.post(reverse("improvement:vote", args=[it.number])).status_code == 404


def test_a_major_incident_offers_to_raise_an_improvement(reg, client_for):
    manager = reg["dbmanager"]
    incident = incident_ops.open_incident(
        reg["agent"], title="Core banking down", caller=reg["requester"], impact=1, urgency=1
    )
    incident_ops.declare_major(manager, incident, reason="Branches closed", manager=manager)
    incident_ops.record_review(
        manager, incident, cause="A full disk", actions=[("Alert on disk space", reg["agent"])]
    )
    incident.refresh_from_db()
    panels = detail_panels(incident, reg["agent"])
    ours = [p for p in panels if p["template"] == "improvement/incident_panel.html"]
    assert len(ours) == 1
    html = render_to_string(ours[0]["template"], {"data": ours[0]["context"]})
    link = reverse("improvement:new") + f"?source={incident.number}&amp;title=Alert+on+disk+space"
    assert link in html
    assert not [
        p for p in detail_panels(incident, reg["requester"]) if "improvement" in p["template"]
    ]
    response = client_for(reg["agent"]).get(
        reverse("improvement:new"), {"source": incident.number, "title": "Alert on disk space"}
    )
    assert response.context["form"]["source"].value() == incident.number


def test_switching_the_practice_off_hides_it(reg, client_for, api_as, item):
    it = item()
    ops.transition(reg["manager"], it, to=Status.APPROVED, version=it.version)
    ops.update(reg["manager"], it, version=it.version, owner=None)
    core_ops.set_practice_enabled(reg["admin"], "improvement", False)
    assert client_for(reg["agent"]).get(reverse("improvement:list")).status_code == 404
    assert client_for(reg["agent"]).get(it.get_absolute_url()).status_code == 404
    status, data = api_as(reg["agent"]).get("improvements")
    assert status == 404 and data["error"]["code"] == "practice_off"
    assert "improvements" not in [e.key for e in nav_entries(reg["agent"])]
    assert not [g for g in gaps.collect() if g["kind"] == "improvement_without_owner"]
    core_ops.set_practice_enabled(reg["admin"], "improvement", True)
    assert "improvements" in [e.key for e in nav_entries(reg["agent"])]
    assert [g for g in gaps.collect() if g["kind"] == "improvement_without_owner"]


def test_a_dutch_reader_reads_the_register_and_its_notifications_in_dutch(
    reg, client_for, make_user, item
):
    from steward.notifications.models import Notification

    owner = make_user("eigenaar", roles=[Role.AGENT], language="nl")
    it = item(owner=owner)
    html = client_for(owner).get(it.get_absolute_url()).content.decode()
    assert "Probleemstelling" in html and "Voorgesteld" in html
    told = Notification.objects.get(recipient=owner)
    with translation.override("nl"):
        assert told.subject_text == f"Je bent eigenaar van verbetering {it.number}: {it.title}"


def test_search_finds_the_items_the_reader_may_see(reg, item):
    from steward.improvement.registrations import search_items

    hidden = item(title="Internal routing idea")
    shared = item(title="Shared routing idea", public=True)
    assert [h.title for h in search_items(reg["agent"], "routing", 10)] == [
        f"{shared.number} Shared routing idea",
        f"{hidden.number} Internal routing idea",
    ]
    assert [h.url for h in search_items(reg["requester"], "routing", 10)] == [
        shared.get_absolute_url()
    ]


def test_the_start_page_panel_lists_the_open_items_i_own(reg, item):
    from steward.improvement.registrations import my_items

    mine = item(title="Mine to do")
    item(title="Someone else's", owner=reg["agent"])
    count, rows = my_items(reg["improver"], 5)
    assert count == 1 and rows == [
        (f"{mine.number} Mine to do", mine.get_absolute_url(), "Proposed")
    ]
