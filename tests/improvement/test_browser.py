"""Following an improvement item in a real browser: an agent proposes it (the KPI it aims to
move, an owner, a target), a manager approves it and sees the baseline → now → target chart;
each page audited with axe-core and looked at in 1280 and 390 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from steward.incidents import operations as incident_ops

pytestmark = pytest.mark.browser

SHOTS = "/tmp/improvement-shots"


def test_follow_an_improvement_item(new_page, sign_in, reg, axe_audit):
    for title in ("VPN drops", "VPN slow"):
        incident_ops.open_incident(
            reg["agent"],
            title=title,
            caller=reg["requester"],
            impact=2,
            urgency=2,
            service=reg["services"]["retail_live"],
        )
    page = new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, reg["agent"], audit=False)
    page.get_by_role("link", name="Improvements").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Improvements")
    axe_audit(page)
    page.get_by_role("link", name="Propose an improvement").click()
    axe_audit(page)
    page.get_by_label("Title").fill("Route VPN incidents straight to Network")
    page.get_by_label("Problem statement").fill("Every VPN incident is handed over once.")
    page.get_by_label("Owner", exact=True).select_option(label="Improver")
    page.get_by_label("Due date").fill("2030-06-30")
    page.get_by_label("KPI it aims to move").select_option("incidents_raised")
    page.get_by_label("KPI for service").select_option(label="Online Banking")
    page.get_by_label("Target").fill("1")
    page.screenshot(path=f"{SHOTS}/new-1280.png", full_page=True)
    page.get_by_role("button", name="Propose").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("IMP")
    expect(page.locator(".subtitle")).to_contain_text("Proposed")
    url = page.url
    axe_audit(page)

    manager = new_page(viewport={"width": 1280, "height": 900})
    sign_in(manager, reg["manager"], audit=False)
    manager.goto(url)
    manager.get_by_role("button", name="Approve").click()
    expect(manager.locator(".subtitle")).to_contain_text("Approved")
    progress = manager.locator("[data-progress]")
    expect(progress.get_by_role("img")).to_be_visible()
    expect(manager.locator("[data-figure=baseline]")).to_have_text("2")
    expect(manager.locator("[data-figure=now]")).to_have_text("2")
    expect(manager.locator("[data-figure=target]")).to_have_text("1")
    axe_audit(manager)
    manager.screenshot(path=f"{SHOTS}/detail-1280.png", full_page=True)

    phone = new_page(viewport={"width": 390, "height": 844})
    sign_in(phone, reg["improver"], audit=False)
    phone.goto(url)
    expect(phone.get_by_role("button", name="Start work")).to_be_visible()
    axe_audit(phone)
    phone.screenshot(path=f"{SHOTS}/detail-390.png", full_page=True)
    phone.goto("/improvements/")
    axe_audit(phone)
    phone.screenshot(path=f"{SHOTS}/list-390.png", full_page=True)
