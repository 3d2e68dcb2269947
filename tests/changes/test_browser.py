"""The change journeys in a real browser: a normal change raised with its plans, assessed,
authorized by the change manager, scheduled, implemented, reviewed and closed; a conflict
shown and overridden by the change manager; the inbox, the CAB agenda and the calendar. Each
page audited with axe-core; screenshots at 1280 px and 390 px (/tmp/chg-*.png)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from steward.changes import operations as ops
from tests.changes.conftest import bring_to

pytestmark = pytest.mark.browser

SIZES = ((1280, 900), (390, 844))


def shoot(page, name: str) -> None:
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"/tmp/chg-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_normal_change_from_request_to_close(new_page, sign_in, desk, axe_audit):
    ops.set_authority(None, type="normal", risk="low", level="change_manager")
    start = (timezone.localtime() + dt.timedelta(days=3)).replace(
        hour=22, minute=0, second=0, microsecond=0
    )
    agent = new_page()
    sign_in(agent, desk["people"]["agent"], audit=False)
    agent.goto("/changes/")
    axe_audit(agent)
    agent.get_by_role("link", name="Raise a change").click()
    axe_audit(agent)
    shoot(agent, "new")
    agent.get_by_label("Title").fill("Upgrade the JVM on app01")
    agent.get_by_label("Owning group").select_option(label="Platform")
    agent.get_by_label("Change owner").select_option(label="Agent")
    agent.get_by_label("Implementer").select_option(label="Impl")
    agent.get_by_label("Affected configuration items").fill("app01")
    agent.get_by_label("Planned start").fill(start.strftime("%Y-%m-%dT%H:%M"))
    agent.get_by_label("Planned end").fill(
        (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    )
    agent.get_by_label("Implementation plan").fill("Drain, upgrade, undrain.")
    agent.get_by_label("Backout plan").fill("Reinstall the previous package.")
    agent.get_by_label("Test plan").fill("Make a transfer.")
    agent.get_by_label("Communication plan").fill("Status page a day before.")
    agent.get_by_role("button", name="Raise the change").click()
    expect(agent.locator(".messages")).to_contain_text("raised")
    expect(agent.get_by_role("heading", level=1)).to_contain_text("Upgrade the JVM on app01")
    expect(agent.get_by_role("region", name="Impact preview")).to_contain_text("Online Banking")
    axe_audit(agent)

    agent.get_by_role("button", name="To “Assess”").click()
    expect(agent.locator(".subtitle")).to_contain_text("Assess")
    agent.get_by_role("button", name="To “Authorize”").click()
    expect(agent.locator(".subtitle")).to_contain_text("Authorize")
    expect(agent.get_by_role("region", name="Lifecycle")).to_contain_text(
        "a complete authorization"
    )
    change_url = agent.url
    shoot(agent, "detail")

    cm = new_page()
    sign_in(cm, desk["people"]["cm"], audit=False)
    cm.goto("/changes/approvals/")
    axe_audit(cm)
    shoot(cm, "inbox")
    cm.get_by_role("link", name=change_url.rstrip("/").rsplit("/", 1)[-1]).click()
    cm.get_by_label("Approved").check()
    cm.get_by_label("Comment").fill("Plans are sound.")
    cm.get_by_role("button", name="Record my decision").click()
    expect(cm.locator(".messages")).to_contain_text("recorded")
    expect(cm.get_by_role("region", name="Authorization")).to_contain_text("Authorized")
    expect(cm.get_by_role("region", name="Authorization")).to_contain_text("Plans are sound.")
    axe_audit(cm)
    shoot(cm, "authorized")

    agent.reload()
    agent.get_by_role("button", name="To “Scheduled”").click()
    expect(agent.locator(".subtitle")).to_contain_text("Scheduled")
    agent.get_by_role("button", name="To “Implement”").click()
    expect(agent.locator(".subtitle")).to_contain_text("Implement")
    lifecycle = agent.get_by_role("region", name="Lifecycle")
    lifecycle.get_by_label("Outcome", exact=True).select_option(label="Successful")
    lifecycle.get_by_role("button", name="To “Review”").click()
    expect(agent.locator(".subtitle")).to_contain_text("Review")
    agent.get_by_role("region", name="Lifecycle").get_by_role("button", name="To “Closed”").click()
    expect(agent.locator(".subtitle")).to_contain_text("Closed")
    axe_audit(agent)

    agent.goto("/changes/?queue=all")
    axe_audit(agent)
    shoot(agent, "list")
    agent.goto(f"/changes/calendar/?day={start.date().isoformat()}")
    expect(agent.get_by_role("main")).to_contain_text("Upgrade the JVM on app01")
    axe_audit(agent)
    shoot(agent, "calendar-month")
    agent.get_by_role("link", name="Week", exact=True).click()
    expect(agent.get_by_role("main")).to_contain_text("Upgrade the JVM on app01")
    axe_audit(agent)
    shoot(agent, "calendar-week")
    agent.get_by_role("link", name="List", exact=True).click()
    axe_audit(agent)
    shoot(agent, "calendar-list")


def test_a_conflict_is_shown_and_the_change_manager_overrides_it(
    new_page, sign_in, desk, make_change, axe_audit
):
    board = ops.create_board(None, group=desk["groups"]["cab"], quorum=2, meets_on="Tuesdays")
    ops.set_authority(None, type="normal", risk="low", level="board", board=board)
    first = make_change(title="Patch app01")
    change = make_change(
        title="Restart app01",
        planned_start=first.planned_start,
        planned_end=first.planned_end,
        implementer=desk["people"]["peer"],
    )
    cm = new_page()
    sign_in(cm, desk["people"]["cm"], audit=False)
    cm.goto(change.get_absolute_url())
    conflicts = cm.get_by_role("region", name="Conflicts")
    expect(conflicts).to_contain_text("CI in another change")
    expect(conflicts).to_contain_text(first.number)
    axe_audit(cm)
    cm.get_by_text("Override the conflicts").click()
    cm.get_by_label("Why it may go ahead despite these conflicts").fill(
        "Both are five-minute restarts; the implementers agreed an order."
    )
    cm.get_by_role("button", name="Override and allow scheduling").click()
    expect(cm.locator(".messages")).to_contain_text("overridden")
    expect(conflicts).to_contain_text("five-minute restarts")
    expect(conflicts).to_contain_text("Overridden")
    axe_audit(cm)
    shoot(cm, "conflict")
    bring_to(change, "authorize", desk)
    cm.goto("/changes/cab/")
    expect(cm.get_by_role("main")).to_contain_text("Restart app01")
    expect(cm.get_by_role("main")).to_contain_text("0 of 2 approvals so far")
    axe_audit(cm)
    shoot(cm, "agenda")
    # the CAB's step on the change page: the change manager approves, one more is needed
    cm.goto(change.get_absolute_url())
    authorization = cm.get_by_role("region", name="Authorization")
    expect(authorization).to_contain_text("Any member of CAB may decide.")
    cm.get_by_label("Approved").check()
    cm.get_by_label("Comment").fill("Fine by the change manager.")
    cm.get_by_role("button", name="Record my decision").click()
    expect(cm.locator(".messages")).to_contain_text("recorded")
    expect(authorization).to_contain_text("1 of 2 approvals given.")
    expect(authorization).to_contain_text("Fine by the change manager.")
    axe_audit(cm)
    shoot(cm, "cab-step")


def test_the_change_page_in_dutch_at_both_widths(new_page, sign_in, desk, make_change, axe_audit):
    from steward.people import operations as people_ops

    agent_user = desk["people"]["agent"]
    people_ops.update_user(None, agent_user, version=agent_user.version, language="nl")
    change = make_change(title="JVM bijwerken op app01")
    agent = new_page()
    sign_in(agent, agent_user, audit=False)
    agent.goto(change.get_absolute_url())
    expect(agent.get_by_role("region", name="Impactoverzicht")).to_contain_text("Online Banking")
    expect(agent.get_by_role("region", name="Levenscyclus")).to_be_visible()
    axe_audit(agent)
    shoot(agent, "detail-nl")
    agent.goto("/changes/calendar/?view=week")
    axe_audit(agent)
    shoot(agent, "calendar-week-nl")
