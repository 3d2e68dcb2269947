"""The changes administration journey in a real browser, as a change manager: add a standard
change template, send high-risk normal changes to the CAB in the authority grid (after making
the CAB group a change board), add a weekly maintenance window. Each page audited with axe-core;
screenshots at 1280 px and 390 px (/tmp/chg-admin-*.png)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from steward.changes.models import AuthorityRule, ChangeTemplate, ChangeWindow

pytestmark = pytest.mark.browser

SIZES = ((1280, 900), (390, 844))


def shoot(page, name: str) -> None:
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"/tmp/chg-admin-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_change_manager_keeps_the_practice_data(new_page, sign_in, desk, axe_audit):
    cm = new_page()
    sign_in(cm, desk["people"]["cm"], audit=False)

    cm.goto("/changes/admin/templates/")
    axe_audit(cm)
    expect(cm.get_by_role("navigation", name="Administration")).to_contain_text("Change authority")
    cm.get_by_role("link", name="Add a template").click()
    axe_audit(cm)
    cm.get_by_label("Name").fill("Restart the web servers")
    cm.get_by_label("Owning group").select_option(label="Platform")
    cm.get_by_label("Configuration items").fill("web01")
    cm.get_by_label("Implementation plan").fill("Drain web01, restart, undrain.")
    cm.get_by_label("Backout plan").fill("Nothing to back out: a restart.")
    cm.get_by_label("Test plan").fill("Open the home page.")
    cm.get_by_label("Tasks").fill("Drain web01\nRestart web01\nUndrain web01")
    shoot(cm, "template")
    cm.get_by_role("button", name="Add the template").click()
    expect(cm.locator(".messages")).to_contain_text("has been added")
    expect(cm.get_by_role("table")).to_contain_text("Restart the web servers")
    axe_audit(cm)
    shoot(cm, "templates")
    template = ChangeTemplate.objects.get()
    assert template.tasks == ["Drain web01", "Restart web01", "Undrain web01"]

    cm.get_by_role("navigation", name="Administration").get_by_role(
        "link", name="Change authority"
    ).click()
    axe_audit(cm)
    cm.get_by_role("link", name="Add a board").click()
    cm.get_by_label("Support group").select_option(label="CAB")
    cm.get_by_label("Quorum").fill("2")
    cm.get_by_label("Meets").fill("Tuesdays 14:00")
    axe_audit(cm)
    cm.get_by_role("button", name="Add the board").click()
    expect(cm.locator(".messages")).to_contain_text("is now a change board")
    cm.get_by_label("Normal change at high risk").select_option(label="Board: CAB")
    cm.get_by_role("button", name="Save the table").click()
    expect(cm.locator(".messages")).to_contain_text("authority table has been saved")
    expect(cm.get_by_label("Normal change at high risk")).to_have_value(
        f"board:{AuthorityRule.objects.get(type='normal', risk='high').board_id}"
    )
    axe_audit(cm)
    shoot(cm, "authority")

    cm.get_by_role("navigation", name="Administration").get_by_role(
        "link", name="Change windows"
    ).click()
    axe_audit(cm)
    cm.get_by_role("link", name="Add a maintenance window").click()
    cm.get_by_label("Name").fill("Saturday nights")
    cm.get_by_label("Time zone").select_option("Europe/Amsterdam")
    cm.get_by_label("Saturday").fill("22:00–24:00")
    cm.get_by_label("CI classes").select_option(label="Server")
    axe_audit(cm)
    shoot(cm, "window")
    cm.get_by_role("button", name="Add the window").click()
    expect(cm.locator(".messages")).to_contain_text("has been added")
    expect(cm.get_by_role("table")).to_contain_text("22:00–24:00")
    axe_audit(cm)
    shoot(cm, "windows")
    window = ChangeWindow.objects.get()
    assert window.hours["sat"] == [["22:00", "24:00"]] and window.time_zone == "Europe/Amsterdam"

    for url, name in (("/changes/admin/risk/", "risk"), ("/changes/admin/settings/", "settings")):
        cm.goto(url)
        axe_audit(cm)
        shoot(cm, name)
