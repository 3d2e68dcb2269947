"""The RACI grid in a real browser: a process owner edits one row with htmx; every ownership
page passes the axe-core audit."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from steward.ownership.models import RaciAssignment

pytestmark = pytest.mark.browser


def test_the_process_owner_edits_a_row_of_the_grid(
    page, sign_in, axe_audit, process, process_owner, team
):
    sign_in(page, process_owner, audit=False)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Processes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Processes")
    axe_audit(page)

    page.get_by_role("link", name="Testing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Testing")
    row = page.locator("tr", has=page.get_by_role("rowheader", name="Plan"))
    expect(row).to_contain_text("nobody is accountable")
    axe_audit(page)

    row.get_by_role("link", name="Edit Plan").click()
    page.get_by_label("R · Responsible").select_option(label="Testers")
    page.get_by_label("A · Accountable").select_option(label="Powner")
    axe_audit(page)
    page.get_by_role("button", name="Save").click()
    row = page.locator("tr", has=page.get_by_role("rowheader", name="Plan"))
    expect(row).to_contain_text("saved")
    expect(row).to_contain_text("OK")
    assert {
        (a.letter, a.party_name)
        for a in RaciAssignment.objects.filter(activity__name="Plan", activity__process=process)
    } == {
        ("R", "Testers"),
        ("A", "Powner"),
    }

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Ownership gaps").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ownership gaps")
    expect(page.locator("table")).to_contain_text("Testing › Run")
    axe_audit(page)
    page.goto("/ownership/mine/")
    expect(page.get_by_role("region", name="Needs me")).to_contain_text("Testing › Run")
    axe_audit(page)
    page.goto(f"/ownership/processes/{process.pk}/edit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit Testing")
    axe_audit(page)


def test_a_stale_row_save_shows_the_conflict_with_the_row_reloaded(
    page, sign_in, axe_audit, world, process, process_owner, team
):
    from steward.ownership import operations as ops

    sign_in(page, process_owner, audit=False)
    page.goto(f"/ownership/processes/{process.pk}/")
    row = page.locator("tr", has=page.get_by_role("rowheader", name="Plan"))
    row.get_by_role("link", name="Edit Plan").click()
    page.get_by_label("R · Responsible").select_option(label="Powner")
    # a colleague saves the process while the row is open
    plan = process.activities.get(name="Plan")
    ops.set_raci(
        world["people"]["admin"],
        process,
        version=process.version,
        cells=[ops.Cell(activity=plan, letter="R", group=team["group"])],
        activities=[plan],
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("your change was not saved")
    responsible = page.get_by_label("R · Responsible")
    expect(responsible.locator("option:checked")).to_have_text(["Testers"])
    axe_audit(page)
    # the row carries the current version: saving again goes through
    responsible.select_option(label="Powner")
    page.get_by_role("button", name="Save").click()
    row = page.locator("tr", has=page.get_by_role("rowheader", name="Plan"))
    expect(row).to_contain_text("saved")
    expect(row).to_contain_text("Powner")


def test_the_grid_and_gaps_fit_a_phone(new_page, sign_in, axe_audit, world, process, process_owner):
    page = new_page(viewport={"width": 390, "height": 844})
    sign_in(page, process_owner, audit=False)
    for url in (f"/ownership/processes/{process.pk}/", "/ownership/gaps/", "/ownership/mine/"):
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{url} is {width} px wide on a 390 px phone"
        axe_audit(page)
