"""The bell and the notifications page in a real browser: click the bell, read the list, mark
one and then all read; the page passes the axe-core audit at desktop and phone widths."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from steward.notifications import operations as ops
from steward.notifications import queries
from steward.people import operations as people_ops

pytestmark = pytest.mark.browser

SCREENSHOTS = os.environ.get("STEWARD_SCREENSHOTS", "")


@pytest.fixture
def desk(make_user):
    alice = make_user("alice", first_name="Alice", last_name="Agent")
    bob = make_user("bob")
    group = people_ops.create_group(None, name="Service Desk", members=[alice, bob])
    ops.notify(
        None,
        [alice],
        subject="INC0000041 is assigned to you: VPN drops every hour",
        body="P2 · Service Desk",
        link="/incidents/",
    )
    ops.notify(
        None,
        group=group,
        subject="New incident INC0000042 for Service Desk: Printer offline on floor 3",
        body="P3 · Printer offline on floor 3",
        link="/incidents/",
    )
    return alice, bob


def _shot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_click_the_bell_read_the_list_and_mark_all_read(
    new_page, sign_in, axe_audit, desk, width, height
):
    alice, bob = desk
    page = new_page(viewport={"width": width, "height": height})
    sign_in(page, alice, audit=False)
    bell = page.get_by_role("link", name="Notifications, 2 unread")
    expect(bell).to_be_visible()
    _shot(page, f"home-{width}")
    bell.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    items = page.locator(".notification")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("Printer offline on floor 3")  # newest first
    expect(page.locator(".notification--unread")).to_have_count(2)
    expect(
        page.get_by_role("link", name="INC0000041 is assigned to you: VPN drops every hour")
    ).to_have_attribute("href", "/incidents/")
    axe_audit(page)
    _shot(page, f"list-{width}")

    button = items.nth(1).get_by_role("button")
    expect(button).to_have_accessible_name(re.compile(r"^Mark read\W+INC0000041 is assigned"))
    button.click()
    expect(page.get_by_role("link", name="Notifications, 1 unread")).to_be_visible()
    expect(page.locator(".notification--unread")).to_have_count(1)

    page.get_by_role("button", name="Mark all read").click()
    expect(page.get_by_role("status")).to_contain_text("1 notification marked read.")
    expect(page.get_by_role("link", name="Notifications, none unread")).to_be_visible()
    expect(page.locator(".notification--unread")).to_have_count(0)
    expect(page.get_by_role("button", name="Mark all read")).to_have_count(0)
    axe_audit(page)
    _shot(page, f"read-{width}")
    assert queries.unread_count(alice) == 0
    assert queries.unread_count(bob) == 1  # the group's notification is still unread for Bob
