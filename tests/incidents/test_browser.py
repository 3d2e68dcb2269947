"""The incident flow in a real browser: raise an incident, hand it over, accept it in the other
group as another agent, resolve it; each page audited with axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_raise_hand_over_accept_and_resolve(new_page, sign_in, desk, axe_audit):
    agent = new_page()
    sign_in(agent, desk["people"]["agent"], audit=False)
    agent.goto("/incidents/new/")
    axe_audit(agent)
    agent.get_by_label("Title").fill("Branch printers <b>offline</b>")
    agent.get_by_label("Impact").select_option("2")
    agent.get_by_label("Urgency").select_option("1")
    agent.get_by_label("Caller").fill("re")  # suggestions come from the server as one types
    expect(agent.locator("#caller-options option[value='req']")).to_have_count(1)
    agent.get_by_label("Caller").fill("req")
    agent.get_by_role("button", name="Raise").click()
    expect(agent.get_by_role("heading", level=1)).to_contain_text("Branch printers <b>offline</b>")
    number = agent.get_by_role("heading", level=1).inner_text().split(" ")[0]
    axe_audit(agent)

    agent.get_by_role("button", name="Start work").click()
    expect(agent.locator(".subtitle")).to_contain_text("In progress")
    agent.get_by_label("To group").select_option(label="Database")
    agent.get_by_label("Reason", exact=True).fill("Print server database is full")
    agent.get_by_label("What was already tried").fill("Restarted the spooler")
    agent.get_by_role("button", name="Hand over").click()
    expect(agent.locator(".messages")).to_contain_text("pending until the other group accepts")
    expect(agent.locator(".props").first).to_contain_text("Service Desk")

    dba = new_page()
    sign_in(dba, desk["dba"], audit=False)
    dba.goto("/incidents/?queue=pending")
    expect(dba.get_by_role("link", name=number)).to_be_visible()
    axe_audit(dba)
    dba.get_by_role("link", name=number).click()
    dba.get_by_role("button", name="Accept").click()
    expect(dba.locator(".props").first).to_contain_text("Database")
    expect(dba.locator(".props").first).to_contain_text("Dba")
    axe_audit(dba)

    dba.get_by_label("Resolution code").select_option("solved")
    dba.get_by_label("Resolution notes").fill("Purged old jobs; printers back")
    dba.get_by_role("button", name="Resolve").click()
    expect(dba.locator(".subtitle")).to_contain_text("Resolved")
    expect(dba.get_by_role("region", name="Timeline")).to_contain_text("Purged old jobs")
    dba.screenshot(path="/tmp/incident.png", full_page=True)
