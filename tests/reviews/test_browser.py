"""A service review in a real browser: the owner follows the menu to the review of March,
reads it, acknowledges it; each page audited with axe-core and looked at in 1280 and 390 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SHOTS = "/tmp/review-shots"


def test_the_owner_opens_a_review_and_acknowledges_it(new_page, sign_in, month, axe_audit):
    page = new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, month["owner"], audit=False)
    page.get_by_role("link", name="Service reviews").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Service reviews")
    axe_audit(page)
    page.screenshot(path=f"{SHOTS}/index-1280.png", full_page=True)

    page.get_by_role("link", name="Review of Treasury for 2026-03").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Treasury: review of 2026-03")
    expect(page.locator("[data-figure=availability]")).to_have_text("99.19 %")
    expect(page.get_by_role("table", name="Major incidents")).to_contain_text(
        month["incidents"]["C"].number
    )
    axe_audit(page)
    page.screenshot(path=f"{SHOTS}/review-1280.png", full_page=True)

    page.get_by_role("button", name="I have read this review").click()
    expect(page.get_by_role("alert").or_(page.locator(".messages"))).to_contain_text("acknowledged")
    expect(page.locator("[data-review=status]")).to_contain_text("Acknowledged")
    expect(page.get_by_role("button", name="I have read this review")).to_have_count(0)
    axe_audit(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    assert download.value.suggested_filename == "service-review-treasury-2026-03.pdf"


def test_a_review_on_a_phone(new_page, sign_in, month, axe_audit):
    page = new_page(viewport={"width": 390, "height": 844})
    sign_in(page, month["owner"], audit=False)
    page.goto(f"/service-reviews/{month['services']['retail_live'].pk}/2026-03/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Online Banking")
    axe_audit(page)
    page.screenshot(path=f"{SHOTS}/review-390.png", full_page=True)
