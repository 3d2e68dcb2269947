"""A stale save of a RACI row: refused with 409, and the person sees why, with the row
reloaded as it is saved now (and the current version, so the next save goes through)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from steward.ownership import operations as ops
from steward.ownership.models import RaciAssignment

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_stale_row_save_shows_the_conflict_and_the_row_as_saved_now(
    world, process, process_owner, team
):
    plan = process.activities.get(name="Plan")
    url = reverse("ownership:activity_raci_edit", args=[process.pk, plan.pk])
    client = signed_in(process_owner)
    read_version = process.version
    # a colleague saves the process meanwhile: the lead is now responsible
    ops.set_raci(
        world["people"]["admin"],
        process,
        version=read_version,
        cells=[ops.Cell(activity=plan, letter="R", user=team["lead"])],
        activities=[plan],
    )
    process.refresh_from_db()
    response = client.post(
        url,
        {"version": read_version, "R": [f"user:{process_owner.pk}"]},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="activity-{plan.pk}"')  # the row, for htmx
    assert 'role="alert"' in html and "your change was not saved" in html
    # the row as saved now: the colleague's choice selected, not the stale one
    assert re.search(rf'value="user:{team["lead"].pk}" selected', html)
    assert not re.search(rf'value="user:{process_owner.pk}" selected', html)
    assert f'name="version" value="{process.version}"' in html
    assert list(RaciAssignment.objects.filter(activity=plan).values_list("user", flat=True)) == [
        team["lead"].pk
    ]
    # saving again from the reloaded row goes through
    again = client.post(
        url,
        {"version": process.version, "R": [f"user:{process_owner.pk}"]},
        headers={"HX-Request": "true"},
    )
    assert again.status_code == 200 and "saved" in again.content.decode()


def test_without_javascript_the_conflict_is_shown_on_the_edit_page(
    world, process, process_owner, team
):
    plan = process.activities.get(name="Plan")
    url = reverse("ownership:activity_raci_edit", args=[process.pk, plan.pk])
    stale = process.version
    ops.set_raci(
        world["people"]["admin"],
        process,
        version=stale,
        cells=[ops.Cell(activity=plan, letter="R", user=team["lead"])],
        activities=[plan],
    )
    response = signed_in(process_owner).post(url, {"version": stale, "A": []})
    assert response.status_code == 409
    html = response.content.decode()
    assert "<h1>" in html and "your change was not saved" in html


def test_the_grid_and_the_gap_tables_become_cards_on_a_phone(world, process, process_owner):
    """Each cell names its column (shown above the value when the table is a card), and a grid
    that may scroll is a labelled region the keyboard reaches."""
    client = signed_in(process_owner)
    html = client.get(reverse("ownership:process_detail", args=[process.pk])).content.decode()
    assert 'class="table table--cards raci"' in html
    assert 'role="region" aria-labelledby="matrix" tabindex="0"' in html
    assert 'data-label="R · Responsible"' in html and 'data-label="Findings"' in html
    for name in ("ownership:gaps", "ownership:mine"):
        html = signed_in(world["people"]["admin"]).get(reverse(name)).content.decode()
        assert "table--cards" in html and 'data-label="Who should fix it"' in html, name
