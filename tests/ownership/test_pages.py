"""The ownership pages: processes, the RACI grid (edited a row at a time), gaps, "what I own"."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from steward.ownership.models import Process, RaciAssignment
from steward.people.choices import Role

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_requesters_get_404_on_every_ownership_page(world, process):
    client = signed_in(world["people"]["requester"])
    plan = process.activities.get(name="Plan")
    for url in (
        reverse("ownership:process_list"),
        reverse("ownership:process_detail", args=[process.pk]),
        reverse("ownership:process_raci_csv", args=[process.pk]),
        reverse("ownership:activity_raci_edit", args=[process.pk, plan.pk]),
        reverse("ownership:gaps"),
        reverse("ownership:mine"),
    ):
        assert client.get(url).status_code == 404, url


def test_the_process_list_shows_owners_and_raci_state(world, process, process_owner):
    response = signed_in(world["people"]["agent"]).get(reverse("ownership:process_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Incident management" in html and "No owner" in html
    assert "Testing" in html and "Powner" in html


def test_the_grid_shows_findings_and_only_editors_get_edit_buttons(
    world, process, process_owner, django_assert_max_num_queries
):
    url = reverse("ownership:process_detail", args=[process.pk])
    agent = signed_in(world["people"]["agent"])
    with django_assert_max_num_queries(20):
        response = agent.get(url)
    html = response.content.decode()
    assert "nobody is accountable" in html
    assert "Edit" not in html
    html = signed_in(process_owner).get(url).content.decode()
    assert (
        reverse(
            "ownership:activity_raci_edit",
            args=[process.pk, process.activities.get(name="Plan").pk],
        )
        in html
    )


def test_editing_a_row_with_htmx_saves_it_and_returns_the_row(world, process, process_owner, team):
    client = signed_in(process_owner)
    plan = process.activities.get(name="Plan")
    url = reverse("ownership:activity_raci_edit", args=[process.pk, plan.pk])
    form = client.get(url, headers={"HX-Request": "true"})
    assert form.status_code == 200
    assert 'name="version"' in form.content.decode()
    response = client.post(
        url,
        {
            "version": process.version,
            "R": [f"group:{team['group'].pk}", f"role:{Role.AGENT}"],
            "A": [f"group:{team['group'].pk}"],
            "accountable_person": team["lead"].pk,
            "I": [f"user:{world['owner'].pk}"],
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="activity-{plan.pk}"')
    assert "saved" in html and 'Testers <small class="muted">group</small> → Lead' in html
    rows = RaciAssignment.objects.filter(activity=plan)
    assert {(a.letter, a.party_kind) for a in rows} == {
        ("R", "group"),
        ("R", "role"),
        ("A", "group"),
        ("I", "user"),
    }
    assert rows.get(letter="A").accountable_person == team["lead"]
    # the same (now stale) version again: refused, nothing changes, the form says why
    response = client.post(
        url,
        {"version": process.version, "R": [f"user:{process_owner.pk}"]},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    assert "Someone else changed this process" in response.content.decode()
    assert RaciAssignment.objects.filter(activity=plan).count() == 4


def test_editing_without_javascript_uses_a_page_and_redirects(world, process, process_owner):
    client = signed_in(process_owner)
    plan = process.activities.get(name="Plan")
    url = reverse("ownership:activity_raci_edit", args=[process.pk, plan.pk])
    page = client.get(url)
    assert page.status_code == 200 and "<form" in page.content.decode()
    response = client.post(url, {"version": process.version, "A": [f"user:{process_owner.pk}"]})
    assert response.status_code == 302
    assert response["Location"] == reverse("ownership:process_detail", args=[process.pk])
    assert RaciAssignment.objects.filter(activity=plan, letter="A").count() == 1


def test_others_cannot_edit_a_row(world, process):
    plan = process.activities.get(name="Plan")
    url = reverse("ownership:activity_raci_edit", args=[process.pk, plan.pk])
    response = signed_in(world["people"]["agent"]).post(url, {"version": process.version, "A": []})
    assert response.status_code == 403


def test_the_gaps_page_and_the_mine_page(world, process, process_owner):
    admin = signed_in(world["people"]["admin"])
    html = admin.get(reverse("ownership:gaps")).content.decode()
    assert "Incident management" in html and "the process has no process owner" in html
    html = admin.get(reverse("ownership:gaps"), {"kind": "raci_responsible"}).content.decode()
    assert "the process has no process owner" not in html and "Testing › Plan" in html
    html = signed_in(process_owner).get(reverse("ownership:mine")).content.decode()
    assert "Testing › Plan" in html  # a gap that needs the process owner
    assert reverse("ownership:process_detail", args=[process.pk]) in html
    incident = Process.objects.get(key="incident")
    assert reverse("ownership:process_detail", args=[incident.pk]) not in html


def test_the_grid_exports_csv(world, process):
    response = signed_in(world["people"]["agent"]).get(
        reverse("ownership:process_raci_csv", args=[process.pk])
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines()[0] == "Order,Activity"


def test_the_start_page_shows_the_gaps_that_need_me(world, process, process_owner):
    html = signed_in(process_owner).get(reverse("core:home")).content.decode()
    assert "Ownership gaps that need me" in html
    assert "Testing › Plan" in html
    html = signed_in(world["people"]["requester"]).get(reverse("core:home")).content.decode()
    assert "Ownership gaps" not in html


def test_the_owner_edits_managers_and_adds_an_activity_but_only_admins_change_the_owner(
    world, process, process_owner, team
):
    url = reverse("ownership:process_edit", args=[process.pk])
    assert signed_in(world["people"]["agent"]).get(url).status_code == 403
    client = signed_in(process_owner)
    page = client.get(url).content.decode()
    assert 'name="owner"' in page and "disabled" in page
    response = client.post(
        url,
        {
            "version": process.version,
            "owner": world["owner"].pk,  # ignored: the field is disabled for non-admins
            "managers": [team["lead"].pk],
            "description": "How we test",
        },
    )
    assert response.status_code == 302
    process.refresh_from_db()
    assert process.owner == process_owner and process.description == "How we test"
    assert list(process.managers.all()) == [team["lead"]]
    response = client.post(
        url, {"form": "activity", "version": process.version, "name": "Archive", "order": 30}
    )
    assert response.status_code == 302
    assert (
        list(process.activities.order_by("order").values_list("name", flat=True))[-1] == "Archive"
    )
    stale = client.post(
        url, {"form": "activity", "version": process.version, "name": "Late", "order": 40}
    )
    assert stale.status_code == 200 and "changed by someone else" in stale.content.decode()
    admin = signed_in(world["people"]["admin"])
    process.refresh_from_db()
    response = admin.post(
        url, {"version": process.version, "owner": world["owner"].pk, "description": ""}
    )
    assert response.status_code == 302
    process.refresh_from_db()
    assert process.owner == world["owner"] and list(process.managers.all()) == []
