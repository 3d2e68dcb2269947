"""The major-incident manager's journey in a real browser: declare an incident major, set the
communication plan, send the first update from its template, and see a late update flagged on
the incident and in the major incidents queue; every page audited with axe-core, at 1280 and
390 px."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from steward.incidents.models import CommunicationPlan

pytestmark = pytest.mark.browser

SHOTS = "/tmp/comm/shot"


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_declare_plan_update_and_a_late_update_flagged(
    new_page, sign_in, desk, open_one, axe_audit
):
    manager = desk["dbmanager"]
    incident = open_one(title="Online banking down for everyone", impact=1, urgency=1)
    url = f"/incidents/{incident.number}/"

    page = new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, manager, audit=False)
    page.goto(url)

    # declare
    page.locator("#id_major_reason").fill("All retail customers affected")
    page.locator("#id_major_manager").select_option(label="Dbmanager (dbmanager)")
    page.get_by_role("button", name="Declare major").click()
    expect(page.locator(".messages")).to_contain_text("is now a major incident")
    expect(page.locator("[data-major='next_update_due']")).to_be_visible()
    axe_audit(page)

    # the plan: every 60 minutes, dba as a named stakeholder
    page.get_by_role("link", name="Change the communication plan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Communication plan")
    axe_audit(page)
    page.get_by_label("Update every (minutes)").fill("60")
    page.get_by_label("Named stakeholders").fill("dba")
    page.get_by_label("Stakeholders hear by").select_option("both")
    page.screenshot(path=f"{SHOTS}-plan-1280.png", full_page=True)
    assert page_width(page) <= 1280
    page.get_by_role("button", name="Save the plan").click()
    expect(page.locator(".messages")).to_contain_text("The communication plan has been saved")
    expect(page.locator("#major").locator("..")).to_contain_text("every 60 minutes")

    # the first update starts from the initial template
    body = page.get_by_label("Update to stakeholders")
    expect(body).to_have_value(
        "We are aware of a major disruption: Online banking down for everyone.\n"
        "Our teams are working on it with the highest priority.\n"
        "We will send the next update within 60 minutes."
    )
    page.get_by_role("button", name="Send update").click()
    expect(page.locator(".messages")).to_contain_text("The update has been sent")
    expect(page.locator("[data-major='update_overdue']")).to_have_count(0)
    axe_audit(page)
    page.screenshot(path=f"{SHOTS}-detail-1280.png", full_page=True)

    # an hour passes without an update: flagged on the incident and in the queue
    CommunicationPlan.objects.filter(major__incident=incident).update(
        next_update_due=timezone.now() - timedelta(minutes=3)
    )
    page.reload()
    expect(page.locator("[data-major='update_overdue']")).to_contain_text("Update overdue")
    page.goto("/incidents/?queue=major")
    expect(page.locator("[data-major='update_overdue']")).to_contain_text("Update overdue")
    axe_audit(page)
    page.screenshot(path=f"{SHOTS}-queue-1280.png", full_page=True)

    # on a phone
    phone = new_page(viewport={"width": 390, "height": 844})
    sign_in(phone, manager, audit=False)
    for path, name in ((url, "detail"), (f"{url}major/plan/", "plan")):
        phone.goto(path)
        axe_audit(phone)
        assert page_width(phone) <= 390, name
        phone.screenshot(path=f"{SHOTS}-{name}-390.png", full_page=True)
