"""The incident page in a real browser, as two agents and a caller meet it: a stale "Assign to
me" shown to the person, editing, assigning, watchers, a parent, a saved reply, notes and
replies told apart, cancelling with a reason, a caller's reply reopening; long words wrap at
1280 and 390 px; each page audited with axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from steward.incidents import operations as ops

pytestmark = pytest.mark.browser

SHOTS = "/tmp/h3a"


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_two_agents_work_one_incident(new_page, sign_in, desk, open_one, axe_audit):
    agent, desk2 = desk["people"]["agent"], desk["desk2"]
    incident = open_one(title="Branch printers offline")
    parent = open_one(title="Print server down")
    ops.add_comment(agent, incident, body="token " + "x" * 10_000)  # one very long word
    ops.add_comment(agent, incident, body="We are looking into it.", visibility="public")
    ops.create_canned_reply(desk2, title="Restart", body="Please restart the printer.")
    url = f"/incidents/{incident.number}/"

    mine = new_page(viewport={"width": 1280, "height": 900})
    sign_in(mine, desk2, audit=False)
    mine.goto(url)
    axe_audit(mine)
    assert page_width(mine) <= 1280
    expect(mine.locator(".timeline__entry--note .entry-kind")).to_contain_text("Work note")
    expect(mine.locator(".timeline__entry--reply .entry-kind")).to_contain_text(
        "visible to the caller"
    )
    mine.screenshot(path=f"{SHOTS}-detail-1280.png", full_page=True)
    mine.screenshot(path=f"{SHOTS}-top-1280.png")

    # a colleague takes it while this page is open: "Assign to me" must not take it back
    theirs = new_page()
    sign_in(theirs, agent, audit=False)
    theirs.goto(url)
    theirs.get_by_role("button", name="Assign to me").click()
    expect(theirs.locator(".messages")).to_contain_text("You have taken")

    mine.get_by_role("button", name="Assign to me").click()
    expect(mine.locator(".messages")).to_contain_text("was changed by Agent at")
    expect(mine.locator("#changes")).to_contain_text("Changed by Agent")
    expect(mine.locator("[data-field='assignee']")).to_contain_text("Agent")
    axe_audit(mine)
    mine.screenshot(path=f"{SHOTS}-conflict-1280.png")

    # assign to a member of the group, then edit the record
    mine.get_by_label("Assignee").select_option(label=desk2.display_name)
    mine.get_by_role("button", name="Assign", exact=True).click()
    expect(mine.locator(".messages")).to_contain_text("is now assigned to Desk2")
    mine.get_by_role("link", name="Edit").click()
    axe_audit(mine)
    mine.screenshot(path=f"{SHOTS}-edit-1280.png")
    mine.get_by_label("Urgency").select_option("1")
    mine.get_by_label("Title").fill("Branch printers offline on floor 3")
    mine.get_by_role("button", name="Save").click()
    expect(mine.locator(".messages")).to_contain_text("have been saved")
    expect(mine.get_by_role("heading", level=1)).to_contain_text("floor 3")

    # watchers and the parent
    mine.get_by_label("Add a watcher").fill("dba")
    mine.get_by_role("button", name="Add watcher").click()
    expect(mine.locator("[data-part='watchers']")).to_contain_text("Dba")
    mine.get_by_label("Parent incident").fill(parent.number)
    mine.get_by_role("button", name="Link to parent").click()
    expect(mine.locator(".messages")).to_contain_text(f"is now a child of {parent.number}")

    # a saved reply, sent as a reply the caller sees
    mine.get_by_label("Insert a saved reply").select_option(label="Restart")
    expect(mine.get_by_label("Note or reply")).to_have_value("Please restart the printer.")
    mine.get_by_label("Reply: the caller sees it and is told").check()
    mine.get_by_role("button", name="Add to the timeline").click()
    expect(mine.locator(".messages")).to_contain_text("Your reply has been added.")
    expect(mine.locator(".timeline__entry--reply").last).to_contain_text("restart the printer")
    axe_audit(mine)
    mine.get_by_role("region", name="Watchers and related incidents").screenshot(
        path=f"{SHOTS}-related-1280.png"
    )
    mine.get_by_role("region", name="Timeline").screenshot(path=f"{SHOTS}-timeline-1280.png")

    # 390 px: nothing wider than the phone
    mine.set_viewport_size({"width": 390, "height": 844})
    mine.goto(url)
    assert page_width(mine) <= 390
    mine.screenshot(path=f"{SHOTS}-detail-390.png", full_page=True)
    mine.screenshot(path=f"{SHOTS}-top-390.png")
    mine.get_by_role("region", name="Timeline").screenshot(path=f"{SHOTS}-timeline-390.png")

    # cancelling asks for a reason
    mine.set_viewport_size({"width": 1280, "height": 900})
    mine.get_by_role("link", name="Cancel…").click()
    mine.get_by_role("button", name="Cancel the incident").click()
    expect(mine.get_by_label("Why is it cancelled?")).to_be_focused()  # the browser asks first
    mine.get_by_label("Why is it cancelled?").fill("Raised twice")
    mine.get_by_role("button", name="Cancel the incident").click()
    expect(mine.locator(".subtitle")).to_contain_text("Cancelled")


def test_a_caller_reopens_by_replying(new_page, sign_in, desk, open_one, axe_audit):
    agent = desk["people"]["agent"]
    incident = open_one(title="VPN drops every hour")
    ops.transition(agent, incident, "in_progress")
    ops.transition(
        agent, incident, "resolved", resolution_code="solved", resolution_notes="New profile"
    )
    page = new_page(viewport={"width": 390, "height": 844})
    sign_in(page, desk["people"]["requester"], audit=False)
    page.goto(f"/incidents/{incident.number}/")
    axe_audit(page)
    assert page_width(page) <= 390
    page.screenshot(path=f"{SHOTS}-caller-390.png", full_page=True)
    page.get_by_label("Your reply").fill("It dropped again at 10:00.")
    page.get_by_role("button", name="Reply and reopen").click()
    expect(page.locator(".messages")).to_contain_text("open again")
    expect(page.locator(".subtitle")).to_contain_text("In progress")
    axe_audit(page)
