"""The UI in a real browser: signing in, a service page, the keyboard, and no JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def csp_reports(page) -> list[str]:
    """Console messages about Content-Security-Policy violations, collected from now on."""
    messages: list[str] = []
    page.on(
        "console",
        lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return messages


def test_agent_signs_in_and_opens_a_service_page(page, sign_in, agent, portfolio, axe_audit):
    violations = csp_reports(page)
    sign_in(page, agent)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    axe_audit(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Services").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Services")
    axe_audit(page)

    page.get_by_role("link", name="Online Banking").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Online Banking")
    about = page.locator(".props")
    expect(about).to_contain_text("Olivia Owner")
    expect(about).to_contain_text("2 – High")
    expect(about).to_contain_text("Live")
    customers = page.get_by_role("region", name="Customers")
    expect(customers).to_contain_text("Retail Banking")
    expect(customers).to_contain_text("Corporate Banking")
    expect(page.get_by_role("region", name="History")).to_contain_text("1 – Critical")
    axe_audit(page)
    page.screenshot(path="/tmp/service.png", full_page=True)
    assert violations == []


def test_keyboard_reaches_skip_link_then_search_box(page, sign_in, agent, portfolio, axe_audit):
    sign_in(page, agent, audit=False)
    page.goto("/services/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()

    page.goto("/services/")
    search = page.get_by_role("searchbox", name="Search Steward")
    for _ in range(5):
        page.keyboard.press("Tab")
        if search.evaluate("el => el === document.activeElement"):
            break
    expect(search).to_be_focused()
    page.keyboard.type("banking")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=banking")
    expect(page.get_by_role("link", name="Online Banking")).to_be_visible()
    axe_audit(page)


def test_user_menu_works_from_the_keyboard(page, sign_in, agent, axe_audit):
    sign_in(page, agent, audit=False)
    toggle = page.locator(".user-menu__toggle")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Profile")).to_be_visible()
    axe_audit(page)
    page.keyboard.press("Escape")
    expect(page.get_by_role("link", name="Profile")).to_be_hidden()
    toggle.focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_text("You have signed out.")).to_be_visible()


def test_filters_update_the_list_in_place(page, sign_in, agent, portfolio, axe_audit):
    violations = csp_reports(page)
    sign_in(page, agent, audit=False)
    page.goto("/services/")
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(2)
    page.get_by_label("Lifecycle").select_option("pipeline")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Treasury Desk")
    page.wait_for_url("**/services/?*status=pipeline*")
    page.get_by_role("searchbox", name="Search", exact=True).fill("nothing like this")
    expect(page.get_by_text("No services match these filters.")).to_be_visible()
    expect(page.locator("#results-status")).to_have_text("0 results")
    axe_audit(page)
    assert violations == []


def test_pages_work_without_javascript(new_page, sign_in, agent, portfolio):
    page = new_page(java_script_enabled=False)
    sign_in(page, agent, audit=False)
    page.goto("/services/")
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(2)
    page.get_by_label("Lifecycle").select_option("live")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/services/?*status=live*")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Online Banking")
    # The user menu is a <details>: it opens without script, and signing out is a plain form.
    page.locator(".user-menu__toggle").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_profile_and_tokens_pass_the_audit(page, sign_in, agent, axe_audit):
    sign_in(page, agent, audit=False)
    page.goto("/profile/")
    axe_audit(page)
    page.get_by_label("Time zone").select_option("Europe/Amsterdam")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your profile has been saved.")).to_be_visible()
    expect(page.get_by_text("Times in Europe/Amsterdam")).to_be_visible()
    page.goto("/profile/tokens/")
    page.get_by_label("Name").fill("backup script")
    page.get_by_role("button", name="Create token").click()
    secret = page.get_by_role("textbox", name="Token secret")
    assert secret.input_value().startswith("stw_")
    axe_audit(page)


def test_group_pages_pass_the_audit(page, sign_in, agent, portfolio, axe_audit):
    from steward.people import operations as people_ops

    people_ops.create_group(
        None,
        name="Service Desk",
        manager=portfolio["owner"],
        members=[agent, portfolio["owner"]],
        email="desk@example.org",
    )
    sign_in(page, agent, audit=False)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Groups").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Support groups")
    axe_audit(page)
    page.get_by_role("link", name="Service Desk").click()
    expect(page.get_by_role("region", name="Members")).to_contain_text("Olivia Owner")
    axe_audit(page)
    page.get_by_role("region", name="Members").get_by_role("link", name="Olivia Owner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Olivia Owner")
    axe_audit(page)


def test_typing_on_replaces_a_slow_filter_request(page, sign_in, agent, portfolio, monkeypatch):
    """The list shows the results for what the search box holds now, without waiting for a
    slow request for what it held before: that request is aborted, and its answer never lands.
    (htmx's default queues the new request behind the slow one.)"""
    import time

    from steward.services.forms import ServiceFilterForm

    apply = ServiceFilterForm.apply

    def slow_for_treasury(self, services):
        if self.data.get("q") == "treasury":
            time.sleep(3)
        return apply(self, services)

    monkeypatch.setattr(ServiceFilterForm, "apply", slow_for_treasury)
    sign_in(page, agent, audit=False)
    page.goto("/services/")
    box = page.get_by_role("searchbox", name="Search", exact=True)
    rows = page.locator("#results tbody tr")
    with page.expect_request(lambda r: "q=treasury" in r.url):
        box.fill("treasury")
    box.fill("online")
    # well before the slow answer could come back
    expect(rows).to_have_count(1, timeout=2000)
    expect(rows.first).to_contain_text("Online Banking")
    expect(box).to_have_value("online")
    page.wait_for_timeout(3500)  # the slow answer for "treasury" would have landed by now
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Online Banking")
