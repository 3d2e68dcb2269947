"""The KPI pages in a real browser: the catalogue, a KPI by day and by service, a bar followed
to the incidents behind it; each page audited with axe-core and looked at in 1280 and 390 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SHOTS = "/tmp/kpi-shots"


def test_catalogue_kpi_page_and_the_records_behind_a_bar(new_page, sign_in, month, axe_audit):
    page = new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, month["people"]["agent"], audit=False)
    page.get_by_role("link", name="KPIs").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("KPIs")
    axe_audit(page)
    page.screenshot(path=f"{SHOTS}/catalogue-1280.png", full_page=True)

    page.get_by_role("link", name="Incidents raised").click()
    page.get_by_label("From").fill("2026-03-01")
    page.get_by_label("To (included)").fill("2026-03-31")
    page.get_by_label("Group by").select_option("day")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("[data-figure=value]")).to_have_text("6")
    expect(page.locator("[data-figure=trend]")).to_contain_text("worse")
    expect(page.get_by_role("table", name="Incidents raised by Day")).to_be_visible()
    axe_audit(page)
    page.screenshot(path=f"{SHOTS}/kpi-day-1280.png", full_page=True)

    page.get_by_label("Group by").select_option("service")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("table", name="Incidents raised by Service")).to_contain_text(
        "Online Banking"
    )
    axe_audit(page)
    page.screenshot(path=f"{SHOTS}/kpi-service-1280.png", full_page=True)

    page.get_by_role("link", name="Online Banking: 3").click()  # the bar itself
    expect(page.get_by_role("heading", level=2)).to_have_text("3 records")
    for title in ("A", "B", "E"):
        expect(
            page.get_by_role("link", name=f"{month['incidents'][title].number} {title}")
        ).to_be_visible()
    axe_audit(page)
    page.get_by_role("link", name=f"{month['incidents']['A'].number} A").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(month["incidents"]["A"].number)


def test_the_kpi_page_on_a_phone(new_page, sign_in, month, axe_audit):
    page = new_page(viewport={"width": 390, "height": 844})
    sign_in(page, month["people"]["agent"], audit=False)
    page.goto(
        "/reports/kpis/handover_acceptance_median/?from=2026-03-01&to=2026-03-31&group_by=group"
    )
    expect(page.locator("[data-figure=value]")).to_have_text("1.0 h")
    axe_audit(page)
    page.screenshot(path=f"{SHOTS}/kpi-group-390.png", full_page=True)
    page.goto("/reports/kpis/incident_backlog/?from=2026-03-01&to=2026-03-31&group_by=week")
    axe_audit(page)
    page.screenshot(path=f"{SHOTS}/kpi-week-390.png", full_page=True)
    page.goto("/reports/kpis/")
    page.screenshot(path=f"{SHOTS}/catalogue-390.png", full_page=True)
