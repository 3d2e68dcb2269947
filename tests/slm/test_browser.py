"""Service levels in a real browser: an administrator builds a calendar (split days, a
country's public holidays) and an SLA with an escalation rule, the service owner signs it off
with a button, a group manager sets the group's OLA — every page audited by axe and
photographed at 1280 and 390 px."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from steward.people import operations as people_ops
from steward.people.choices import Role
from steward.services import operations as service_ops
from steward.slm.models import Calendar, OlaDefinition, SlaDefinition

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("STEWARD_SHOTS", "/tmp/h4/shots"))


@pytest.fixture
def levels(make_user, make_org):
    admin = make_user("root", roles=[Role.ADMIN], last_name="Admin")
    owner = make_user("olivia", roles=[Role.AGENT, Role.SERVICE_OWNER], last_name="Owner")
    manager = make_user("dana", roles=[Role.AGENT, Role.GROUP_MANAGER], last_name="Manager")
    database = people_ops.create_group(None, name="Database", manager=manager, members=[manager])
    banking = service_ops.create_service(
        None,
        name="Online Banking",
        owner=owner,
        status="live",
        criticality=1,
        customers=[make_org("Retail Banking")],
    )
    service_ops.accept_ownership(owner, banking)
    return {"admin": admin, "owner": owner, "manager": manager, "database": database}


def shoot(page, name: str) -> None:
    """Screenshots of the page at 1280 and at 390 px wide (looked at by whoever changes it)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        if width < 600:  # a phone's page is long: its screens one by one, to be read
            total = page.evaluate("document.documentElement.scrollHeight")
            for n, top in enumerate(range(0, min(total, 4 * height), height)):
                clip = {"x": 0, "y": top, "width": width, "height": min(height, total - top)}
                page.screenshot(
                    path=str(SHOTS / f"{name}-{width}-{n}.png"), clip=clip, full_page=True
                )
    page.set_viewport_size({"width": 1280, "height": 900})


def test_calendar_sla_sign_off_and_ola(new_page, sign_in, axe_audit, levels):
    page = new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, levels["admin"], audit=False)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Service levels").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Service level agreements")
    axe_audit(page)

    # a calendar with a split Monday, then the Dutch public holidays of two years
    page.get_by_role("navigation", name="Service levels").get_by_role(
        "link", name="Calendars"
    ).click()
    axe_audit(page)
    page.get_by_role("link", name="New calendar").click()
    page.get_by_label("Name").fill("Office NL")
    page.get_by_label("Time zone").select_option("Europe/Amsterdam")
    page.get_by_label("Monday").fill("08:00–12:00, 13:00–17:00")
    page.get_by_label("Days off").fill("2026-12-24")
    axe_audit(page)
    shoot(page, "calendar-new")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Office NL")
    page.get_by_label("Country", exact=True).select_option("NL")
    page.get_by_label("From year").fill("2026")
    page.get_by_label("To year").fill("2027")
    page.get_by_role("button", name="Add the holidays").click()
    expect(page.get_by_role("alert").or_(page.locator(".messages"))).to_contain_text(
        "public holidays of NL imported for 2026–2027"
    )
    expect(page.get_by_role("region", name="Days off", exact=True)).to_contain_text("King")
    axe_audit(page)
    shoot(page, "calendar-detail")
    calendar = Calendar.objects.get(name="Office NL")
    assert calendar.hours["mon"] == [["08:00", "12:00"], ["13:00", "17:00"]]

    # an SLA on that calendar with a rule: at 75 % of the resolution target, hand over
    page.goto("/service-levels/slas/new/")
    page.get_by_label("Name", exact=True).fill("Banking P2")
    page.get_by_label("Service", exact=True).select_option(label="Online Banking")
    page.get_by_label("Priority", exact=True).select_option("P2")
    page.get_by_label("Response target (working hours)").fill("0.5")
    page.get_by_label("Resolution target (working hours)").fill("4")
    page.get_by_label("Business calendar").select_option(label="Office NL")
    rule = page.get_by_role("group", name="Rule 1")
    rule.get_by_label("Clock").select_option("resolution")
    rule.get_by_label("At % of the target").fill("75")
    rule.get_by_label("Hand over to the next support line").check()
    axe_audit(page)
    shoot(page, "sla-new")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Banking P2")
    expect(page.get_by_role("region", name="The commitment")).to_contain_text(
        "At 75% of the resolution target: hand over to the next support line"
    )
    axe_audit(page)
    shoot(page, "sla-detail")
    page.goto("/service-levels/")
    shoot(page, "sla-list")

    # the service owner signs it off with a button
    owner_page = new_page(viewport={"width": 1280, "height": 900})
    sign_in(owner_page, levels["owner"], audit=False)
    owner_page.goto("/service-levels/sign-off/")
    expect(owner_page.get_by_role("region", name="Waiting for your sign-off")).to_contain_text(
        "Banking P2"
    )
    axe_audit(owner_page)
    shoot(owner_page, "sign-off")
    owner_page.get_by_role("button", name="Sign “Banking P2” off").click()
    expect(owner_page.get_by_role("region", name="Waiting for your sign-off")).to_contain_text(
        "Nothing waits for your sign-off."
    )
    expect(owner_page.get_by_role("region", name="Signed off", exact=True)).to_contain_text(
        "Olivia Owner"
    )
    axe_audit(owner_page)
    assert SlaDefinition.objects.get(name="Banking P2").signed_off_by == levels["owner"]

    # the group manager sets the group's OLA
    manager_page = new_page(viewport={"width": 1280, "height": 900})
    sign_in(manager_page, levels["manager"], audit=False)
    manager_page.goto("/service-levels/olas/")
    axe_audit(manager_page)
    shoot(manager_page, "ola-list")
    manager_page.get_by_role("link", name="Set an OLA for Database").click()
    manager_page.get_by_label("Accept handovers within (working minutes)").fill("20")
    manager_page.get_by_label("Keep a ticket at most (working hours)").fill("6")
    axe_audit(manager_page)
    shoot(manager_page, "ola-form")
    manager_page.get_by_role("button", name="Save").click()
    expect(manager_page.get_by_role("row", name="Database")).to_contain_text("20")
    axe_audit(manager_page)
    assert OlaDefinition.objects.get(group=levels["database"]).handover_acceptance_seconds == 1200


def test_the_sla_card_shows_the_open_stretch(new_page, sign_in, axe_audit, desk, open_one):
    from steward.incidents import operations as incident_ops
    from steward.slm import operations as slm_ops

    slm_ops.create_definition(
        desk["people"]["admin"], name="Standard", response_seconds=3600, resolution_seconds=28800
    )
    incident = open_one()
    agent = desk["people"]["agent"]
    incident_ops.transition(agent, incident, "in_progress")
    incident.refresh_from_db()
    incident_ops.transition(agent, incident, "on_hold", hold_reason="awaiting_caller")
    page = new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, agent, audit=False)
    page.goto(incident.get_absolute_url())
    card = page.get_by_role("region", name="Service levels")
    expect(card).to_contain_text("paused since")
    expect(card).to_contain_text("(On hold: awaiting caller)")
    card.get_by_text("Why this due time").first.click()  # resolution (paused), then response
    expect(card.locator(".ledger").first).to_contain_text("now: paused since")
    axe_audit(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        card.screenshot(path=str(SHOTS / f"sla-card-{width}.png"))
