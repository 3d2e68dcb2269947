"""Choosing a calendar in a real browser: the manager of a group on the group's page, an
administrator for several services and groups on the calendar's page — every page audited by
axe and photographed at 1280 and 390 px."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from steward.people import operations as people_ops
from steward.people.choices import Role
from steward.services import operations as service_ops
from steward.slm import operations as ops
from steward.slm.models import GroupCalendar, ServiceCalendar
from tests.slm.test_browser import shoot

pytestmark = pytest.mark.browser
OFFICE = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}


@pytest.fixture
def teams(make_user):
    admin = make_user("root", roles=[Role.ADMIN], last_name="Admin")
    owner = make_user("olivia", roles=[Role.AGENT, Role.SERVICE_OWNER], last_name="Owner")
    manager = make_user("dana", roles=[Role.AGENT, Role.GROUP_MANAGER], last_name="Manager")
    database = people_ops.create_group(None, name="Database", manager=manager, members=[manager])
    network = people_ops.create_group(None, name="Network", manager=admin, members=[owner])
    banking = service_ops.create_service(None, name="Online Banking", owner=owner, status="live")
    office = ops.create_calendar(
        admin, name="Office NL", time_zone="Europe/Amsterdam", hours=OFFICE
    )
    ops.set_ola(manager, database, handover_acceptance_seconds=1200, time_with_group_seconds=21600)
    return {
        "admin": admin,
        "manager": manager,
        "database": database,
        "network": network,
        "banking": banking,
        "office": office,
    }


def test_a_manager_changes_the_group_s_calendar_on_its_page(new_page, sign_in, axe_audit, teams):
    page = new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, teams["manager"], audit=False)
    page.goto(reverse("people:group_detail", args=[teams["database"].pk]))
    panel = page.get_by_role("region", name="Calendar and OLA")
    expect(panel).to_contain_text("20 working minutes")
    expect(panel).to_contain_text("the default")
    axe_audit(page)
    panel.get_by_label("Works the calendar").select_option(label="Office NL (Europe/Amsterdam)")
    panel.get_by_role("button", name="Change the calendar").click()
    expect(page.locator(".messages").or_(page.get_by_role("status"))).to_contain_text(
        "Database now works the calendar “Office NL”."
    )
    expect(panel.get_by_role("link", name="Office NL")).to_be_visible()
    axe_audit(page)
    shoot(page, "group-calendar")
    assert GroupCalendar.objects.get(group=teams["database"]).calendar == teams["office"]
    panel.get_by_role("link", name="Edit the OLA").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("OLA of Database")


def test_an_administrator_assigns_a_calendar_from_its_page(new_page, sign_in, axe_audit, teams):
    page = new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, teams["admin"], audit=False)
    page.goto(reverse("slm:calendar", args=[teams["office"].pk]))
    region = page.get_by_role("region", name="Who works it")
    expect(region).to_contain_text("No service or group works this calendar yet.")
    axe_audit(page)
    region.get_by_label("Services").select_option(label="Online Banking")
    region.get_by_label("Support groups").select_option(label=["Database", "Network"])
    shoot(page, "calendar-assign-form")
    region.get_by_role("button", name="Assign").click()
    expect(page.locator(".messages").or_(page.get_by_role("status"))).to_contain_text(
        "3 services and groups now work “Office NL”."
    )
    expect(region).to_contain_text("Online Banking")
    expect(region.get_by_role("button", name="Assign")).to_have_count(0)  # nothing left to add
    axe_audit(page)
    shoot(page, "calendar-assign")
    assert ServiceCalendar.objects.get(service=teams["banking"]).calendar == teams["office"]

    region.get_by_role("button", name="Remove Network").click()
    expect(page.locator(".messages").or_(page.get_by_role("status"))).to_contain_text(
        "Network no longer works “Office NL”"
    )
    assert not GroupCalendar.objects.filter(group=teams["network"]).exists()
    assert GroupCalendar.objects.filter(group=teams["database"]).exists()
    axe_audit(page)
