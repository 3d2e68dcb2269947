"""The portal's journeys in a real browser, each page audited with axe-core and photographed
at 1280 px and 390 px (no page wider than the phone): a requester searches, reads an article,
reports a problem with articles suggested while typing, follows it and replies; orders from
the catalog (a question shown only for one answer); a line manager approves it from the
portal and the requester sees the tasks."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from steward.approvals import queries as approval_queries
from steward.fulfilment.models import RequestedItem
from steward.incidents import operations as incident_ops
from steward.incidents.models import Comment, Incident
from steward.knowledge.models import PortalEvent

pytestmark = pytest.mark.browser

SIZES = ((1280, 900), (390, 844))


def shoot(page, name):
    """Screenshots at both widths; the page never scrolls sideways on a phone."""
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"/tmp/shots/portal-{name}-{width}.png", full_page=True)
        if width == 390:
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
    page.set_viewport_size({"width": 1280, "height": 900})


def test_search_read_report_follow_and_reply(
    new_page,
    sign_in,
    world,
    articles,
    axe_audit,
):
    requester = world["people"]["requester"]
    page = new_page()
    sign_in(page, requester)
    page.wait_for_url("**/portal/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("how can we help")
    axe_audit(page)
    shoot(page, "home")

    # search: articles of my audience
    page.get_by_role("searchbox", name="Search answers and the catalog").fill("printer")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/portal/search/?q=printer")
    results = page.get_by_role("region", name="2 answers")
    expect(results).to_contain_text("Printer prints blank pages")
    expect(results).not_to_contain_text("Corporate")
    axe_audit(page)
    shoot(page, "search")

    # the menu's Knowledge: the portal's own page, results while typing, read in the portal
    page.get_by_role("navigation", name="Self-service").get_by_role(
        "link", name="Knowledge"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Knowledge")
    expect(page.get_by_role("region", name="Newest answers")).to_contain_text("Printer toner")
    axe_audit(page)
    page.get_by_label("Describe what goes wrong in your own words").fill("toner")
    found = page.get_by_role("region", name="1 answer")
    expect(found).to_contain_text("Printer toner for Retail")
    shoot(page, "knowledge")
    link = found.get_by_role("link", name="Printer toner for Retail")
    expect(link).to_have_attribute("href", re.compile(r"^/portal/articles/KB\d+/$"))

    # report: suggestions while typing; the suggestion opens in the portal's reader
    page.get_by_role("navigation", name="Self-service").get_by_role(
        "link", name="Report a problem"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a problem")
    page.get_by_label("What goes wrong?").fill("printer blank")
    suggestions = page.locator("#suggestions")
    expect(suggestions).to_contain_text("Printer prints blank pages")
    axe_audit(page)
    shoot(page, "report")
    with page.context.expect_page() as opened:
        suggestions.get_by_role("link", name="Printer prints blank pages").click()
    reader = opened.value
    reader.wait_for_load_state()
    expect(reader.get_by_role("button", name="This solved it")).to_be_visible()
    axe_audit(reader)
    shoot(reader, "article")
    reader.close()
    assert PortalEvent.objects.filter(kind="view").count() == 1

    page.get_by_label("Tell us more").fill("Every page comes out blank since Monday.")
    page.get_by_label("How does it affect your work?").select_option(label="I cannot work")
    page.get_by_role("button", name="Send my report").click()
    expect(page.locator(".messages")).to_contain_text("has been raised")
    incident = Incident.objects.get()
    assert (incident.caller, incident.urgency) == (requester, 1)
    expect(page.locator(".subtitle")).to_contain_text("Received")
    axe_audit(page)

    # the team answers; the requester follows and replies
    incident_ops.add_comment(
        world["people"]["agent"], incident, body="Is the toner light on?", visibility="public"
    )
    page.get_by_role("navigation", name="Self-service").get_by_role(
        "link", name="My requests and incidents"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My requests and incidents")
    axe_audit(page)
    shoot(page, "my")
    page.get_by_role("link", name="printer blank").click()
    expect(page.get_by_role("region", name="Conversation")).to_contain_text(
        "Is the toner light on?"
    )
    page.get_by_label("Your reply").fill("Yes, it blinks orange.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator(".messages")).to_contain_text("Your reply has been added")
    expect(page.get_by_role("region", name="Conversation")).to_contain_text("blinks orange")
    assert Comment.objects.filter(author=requester, visibility="public").count() == 1
    axe_audit(page)
    shoot(page, "incident")


def test_order_then_the_line_manager_approves_from_the_portal(
    new_page,
    sign_in,
    world,
    catalog,
    axe_audit,
):
    requester, manager = world["people"]["requester"], catalog["manager"]
    page = new_page()
    sign_in(page, requester, audit=False)
    page.get_by_role("navigation", name="Self-service").get_by_role(
        "link", name="Request something"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request something")
    axe_audit(page)
    shoot(page, "catalog")
    page.get_by_role("link", name="Laptop").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Laptop")
    reason = page.get_by_label("Why a power laptop?")
    expect(reason).to_be_hidden()
    page.get_by_label("Model").select_option(label="Power user")
    expect(reason).to_be_visible()
    axe_audit(page)
    shoot(page, "order")
    page.get_by_role("button", name="Place the order").click()
    expect(page.get_by_role("alert")).to_be_visible()  # the reason is required now
    expect(page.locator(".field--invalid")).to_contain_text("Why a power laptop?")
    page.get_by_label("Why a power laptop?").fill("I edit video")
    page.get_by_role("button", name="Place the order").click()
    expect(page.locator(".messages")).to_contain_text("has been ordered")
    item = RequestedItem.objects.get()
    expect(page.locator(".subtitle")).to_contain_text("Waiting for approval")
    expect(page.get_by_role("region", name="Progress")).to_contain_text("Line manager")
    axe_audit(page)
    shoot(page, "item-waiting")

    approver = new_page()
    sign_in(approver, manager, audit=False)
    approver.get_by_role("link", name="Approvals waiting").click()
    expect(approver.get_by_role("heading", level=1)).to_have_text("Approvals waiting for you")
    card = approver.get_by_role("article", name=item.number)
    expect(card).to_be_visible()
    axe_audit(approver)
    shoot(approver, "approvals")
    card.get_by_role("button", name="Approve").click()
    expect(approver.locator(".messages")).to_contain_text("You approved")
    expect(approver.locator(".empty")).to_contain_text("Nothing waits for your approval")
    assert not approval_queries.awaiting(manager).exists()

    page.reload()
    progress = page.get_by_role("region", name="Progress")
    expect(progress).to_contain_text("Prepare the laptop")
    expect(progress).to_contain_text("Approved")
    axe_audit(page)
    shoot(page, "item-approved")
