"""The queue in a real browser: the major badge and the SLA due column, the queue select that
filters as it changes, a bulk assignment with a stale row reported, the start page's waiting
work, and the pages at a phone's width (no sideways page, the table a region the keyboard
reaches); each page audited with axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from steward.incidents import operations as ops
from steward.slm import operations as slm

pytestmark = pytest.mark.browser
HOUR = 3600


@pytest.fixture
def queue(desk, open_one):
    admin = desk["people"]["admin"]
    slm.create_definition(
        admin, name="P1", priority="P1", response_seconds=600, resolution_seconds=2 * HOUR
    )
    group = desk["groups"]["desk"]
    major = open_one(title="All branches offline", impact=1, urgency=1, owning_group=group)
    ops.declare_major(admin, major, reason="every branch", manager=admin)
    first = open_one(title="Printer jam on floor 2", owning_group=group)
    second = open_one(title="Laptop will not boot", owning_group=group)
    return {"major": major, "first": first, "second": second}


def test_an_agent_works_the_queue_and_assigns_a_selection(
    new_page, sign_in, axe_audit, desk, queue
):
    page = new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, desk["people"]["agent"], audit=False)
    page.goto("/incidents/?queue=mine")
    expect(page.get_by_text("No incidents match these filters.")).to_be_visible()
    # the Filter button gives way to filtering as the select changes
    expect(page.get_by_role("button", name="Filter")).to_be_hidden()
    page.get_by_label("Queue").select_option("my_groups")
    expect(page).to_have_url(re.compile(r"queue=my_groups"))
    major_row = page.locator("tr", has=page.get_by_role("link", name=queue["major"].number))
    expect(major_row).to_contain_text("Major incident")
    expect(major_row.locator(".cell-sla")).to_contain_text("left")
    expect(page.get_by_role("columnheader", name="SLA due")).to_be_visible()
    axe_audit(page)

    # the table fits the page at 1280 px: its last column is in sight
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    updated = page.get_by_role("columnheader", name="Updated")
    assert updated.bounding_box()["x"] + updated.bounding_box()["width"] <= 1280

    page.get_by_label(f"Select {queue['first'].number}").check()
    page.get_by_label(f"Select {queue['second'].number}").check()
    # a colleague takes the second one after the list was read
    ops.assign(desk["desk2"], queue["second"], desk["desk2"])
    page.get_by_text("Act on the selected incidents").click()
    page.get_by_label("Assignee").select_option(label="Agent")
    page.get_by_role("button", name="Assign selected").click()
    expect(page.get_by_role("status")).to_contain_text("1 incident done, 1 refused")
    expect(page.locator(".bulk-result--refused")).to_contain_text(
        f"{queue['second'].number} was changed by someone else"
    )
    axe_audit(page)
    queue["first"].refresh_from_db()
    queue["second"].refresh_from_db()
    assert queue["first"].assignee == desk["people"]["agent"]
    assert queue["second"].assignee == desk["desk2"]
    page.get_by_role("link", name="Back to the queue").click()
    expect(page).to_have_url(re.compile(r"queue=my_groups"))


def test_select_all_ticks_every_row_of_the_page(new_page, sign_in, desk, queue):
    page = new_page()
    sign_in(page, desk["people"]["agent"], audit=False)
    page.goto("/incidents/?queue=my_groups")
    page.get_by_label("Select every incident on this page").check()
    expect(page.locator('input[name="pick"]:checked')).to_have_count(3)


def test_without_javascript_the_queue_select_has_its_filter_button(new_page, sign_in, desk, queue):
    page = new_page(java_script_enabled=False)
    sign_in(page, desk["people"]["agent"], audit=False)
    page.goto("/incidents/?queue=mine")
    page.get_by_label("Queue").select_option("my_groups")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("link", name=queue["major"].number)).to_be_visible()


def test_on_a_phone_the_pages_fit_and_the_tables_are_reachable(
    new_page, sign_in, axe_audit, desk, queue
):
    dba = desk["dba"]
    ops.hand_over(
        desk["people"]["agent"], queue["first"], to_group=desk["groups"]["database"], reason="DB"
    )
    page = new_page(viewport={"width": 390, "height": 844})
    sign_in(page, dba, audit=False)
    # the start page: the handover waiting for the group comes first
    expect(page.get_by_role("heading", name="Waiting for you")).to_be_visible()
    waiting = page.locator(".card--waiting").first
    expect(waiting).to_contain_text("Handovers waiting for my groups")
    expect(waiting).to_contain_text(queue["first"].number)
    axe_audit(page)
    for url in ("/", "/incidents/?queue=all", "/incidents/handovers/", "/ownership/gaps/"):
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{url} is {width} px wide on a 390 px phone"
        axe_audit(page)
    # the queue's table scrolls inside a labelled region that takes the keyboard's focus
    page.goto("/incidents/?queue=all")
    region = page.get_by_role("region", name="Incidents")
    region.focus()
    expect(region).to_be_focused()
