"""Composing a dashboard in a real browser: a new dashboard, two widgets added with the plain
forms, the chart drawn, shared with a group; a member of the group reads it without edit
controls. Every page audited with axe-core and looked at in 1280 and 390 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SHOTS = "/tmp/dashboard-shots"


def test_compose_share_and_read_a_dashboard(new_page, sign_in, month, axe_audit):
    page = new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, month["people"]["agent"], audit=False)
    page.get_by_role("link", name="Dashboards").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboards")
    axe_audit(page)
    page.screenshot(path=f"{SHOTS}/list-1280.png", full_page=True)

    page.get_by_role("link", name="New dashboard").click()
    page.get_by_label("Name").fill("Desk month")
    axe_audit(page)
    page.get_by_role("button", name="Create").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Add a widget")
    page.get_by_label("KPI").select_option("incidents_raised")
    page.get_by_label("Shown as").select_option("figure")
    page.get_by_label("Period").select_option("last_month")
    axe_audit(page)
    page.screenshot(path=f"{SHOTS}/widget-form-1280.png", full_page=True)
    page.get_by_role("button", name="Add widget").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Desk month")
    expect(page.locator("[data-figure=value]")).to_have_text("6")
    page.get_by_role("link", name="Add widget").click()
    page.get_by_label("KPI").select_option("incidents_raised")
    page.get_by_label("Title").fill("Raised by service")
    page.get_by_label("Shown as").select_option("bars")
    page.get_by_label("Group by").select_option("service")
    page.get_by_label("Period").select_option("last_month")
    page.get_by_role("button", name="Add widget").click()

    chart = page.get_by_role("region", name="Raised by service").first
    expect(page.get_by_role("link", name="Online Banking: 3")).to_be_visible()
    expect(chart).to_be_visible()
    page.get_by_text("The figures as a table").click()
    expect(page.get_by_role("table", name="Raised by service by Service")).to_contain_text(
        "Treasury"
    )
    axe_audit(page)
    page.screenshot(path=f"{SHOTS}/dashboard-1280.png", full_page=True)

    page.get_by_role("link", name="Settings and sharing").click()
    page.get_by_label("Share with group").select_option(label="Database")
    axe_audit(page)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-dashboard=mode]")).to_contain_text("shared with Database")

    # a member of Database reads it, read-only, on a phone
    phone = new_page(viewport={"width": 390, "height": 844})
    sign_in(phone, month["dba"], audit=False)
    phone.goto("/reports/dashboards/")
    phone.get_by_role("link", name="Desk month").click()
    expect(phone.locator("[data-dashboard=mode]")).to_contain_text("read only")
    expect(phone.locator("[data-figure=value]")).to_have_text("6")
    expect(phone.get_by_role("link", name="Add widget")).to_have_count(0)
    expect(phone.get_by_role("button", name="Remove Raised by service")).to_have_count(0)
    expect(phone.get_by_role("link", name="CSV of Raised by service")).to_be_visible()
    axe_audit(phone)
    phone.screenshot(path=f"{SHOTS}/dashboard-390.png", full_page=True)


def test_a_role_default_on_a_phone(new_page, sign_in, month, axe_audit):
    page = new_page(viewport={"width": 390, "height": 844})
    sign_in(page, month["dbmanager"], audit=False)
    page.goto("/reports/dashboards/")
    axe_audit(page)
    page.screenshot(path=f"{SHOTS}/list-390.png", full_page=True)
    page.get_by_role("link", name="Group manager dashboard").click()
    expect(page.get_by_role("button", name="Copy to my dashboards")).to_be_visible()
    axe_audit(page)
    page.screenshot(path=f"{SHOTS}/default-390.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=f"{SHOTS}/default-1280.png", full_page=True)
    page.get_by_role("button", name="Copy to my dashboards").click()
    expect(page.get_by_role("link", name="Add widget")).to_be_visible()
    axe_audit(page)
