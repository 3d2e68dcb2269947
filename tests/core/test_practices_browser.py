"""The Practices page in a real browser: an administrator switches incidents off and on, and
the menu and the incident pages follow; the page passes the axe-core audit."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from steward.core import practices

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("only_incidents_and_service_levels_on_by_default"),
]


def test_an_administrator_switches_incidents_off_and_on(page, sign_in, axe_audit, admin_user):
    sign_in(page, admin_user, audit=False)
    menu = page.get_by_role("navigation", name="Main")
    expect(menu.get_by_role("link", name="Incidents")).to_be_visible()
    menu.get_by_role("link", name="Practices").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Practices")
    incidents = page.get_by_role("region", name="Incidents")
    expect(incidents).to_contain_text("On")
    expect(incidents).to_contain_text("Handovers between groups")
    expect(page.get_by_role("region", name="Service levels")).to_contain_text("Needed by")
    axe_audit(page)

    incidents.get_by_role("button", name="Switch off Incidents").click()

    expect(page.get_by_role("status")).to_contain_text("Incidents is switched off")
    expect(page.get_by_role("region", name="Incidents")).to_contain_text("Off")
    expect(menu.get_by_role("link", name="Incidents")).to_have_count(0)
    assert not practices.is_enabled("incidents")
    axe_audit(page)
    response = page.goto("/incidents/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")

    page.goto("/practices/")
    page.get_by_role("button", name="Switch on Incidents").click()

    expect(page.get_by_role("status")).to_contain_text("Incidents is switched on")
    expect(menu.get_by_role("link", name="Incidents")).to_be_visible()
    menu.get_by_role("link", name="Incidents").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Incidents")
    assert practices.is_enabled("incidents")
