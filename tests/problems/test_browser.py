"""The problem journey in a real browser: trends show recurring incidents, a problem is opened
from them, analysed, published as a known error and resolved; the linked incidents are resolved
in bulk. Each page audited with axe-core; screenshots at 1280 px and 390 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_from_trend_to_known_error_to_fix(new_page, sign_in, desk, open_one, axe_audit):
    for n in range(3):
        open_one(
            title=f"Database timeouts {n}",
            affected_ci=desk["cis"]["db01"],
            category=desk["categories"]["database"],
        )
    agent = new_page()
    sign_in(agent, desk["people"]["agent"], audit=False)
    agent.goto("/problems/trends/")
    axe_audit(agent)
    agent.get_by_role("link", name="Open a problem from these").click()
    axe_audit(agent)
    agent.get_by_label("Title").fill("Database connections run out")
    agent.get_by_label("Problem owner").select_option(label="Agent")
    agent.get_by_role("button", name="Raise the problem").click()
    expect(agent.locator(".messages")).to_contain_text("raised")
    expect(agent.get_by_role("heading", level=1)).to_contain_text("Database connections run out")
    axe_audit(agent)

    agent.get_by_role("button", name="To “Assessment”").click()
    agent.get_by_role("button", name="To “Root cause analysis”").click()
    expect(agent.locator(".subtitle")).to_contain_text("Root cause analysis")
    agent.get_by_text("Record the analysis").click()
    agent.get_by_label("The chain of whys or causes").fill("Timeouts\nPool exhausted")
    agent.get_by_label("Root cause", exact=True).fill("The pool is sized for last year's load")
    agent.get_by_role("button", name="Save the analysis").click()
    expect(agent.get_by_role("region", name="Root cause analysis")).to_contain_text(
        "sized for last year"
    )
    agent.get_by_role("link", name="Edit").click()
    agent.get_by_label("Workaround").fill("Restart the pooler on db01")
    agent.get_by_label("Published as a known error").check()
    agent.get_by_role("button", name="Save").click()
    expect(agent.locator(".subtitle")).to_contain_text("Known error")
    axe_audit(agent)
    for width, height in ((1280, 900), (390, 844)):
        agent.set_viewport_size({"width": width, "height": height})
        agent.screenshot(path=f"/tmp/problem-{width}.png", full_page=True)
    agent.set_viewport_size({"width": 1280, "height": 900})

    agent.get_by_role("button", name="To “Fix in progress”").click()
    agent.get_by_label("What fixed it").fill("Pool raised to 200")
    agent.get_by_role("button", name="Resolve", exact=True).click()
    expect(agent.locator(".subtitle")).to_contain_text("Resolved")
    agent.get_by_role("button", name="Resolve the linked incidents").click()
    expect(agent.locator(".messages")).to_contain_text("3 linked incidents resolved")
    axe_audit(agent)

    agent.goto("/problems/?queue=all")
    axe_audit(agent)
    agent.goto("/problems/new/")
    for width, height in ((1280, 900), (390, 844)):
        agent.set_viewport_size({"width": width, "height": height})
        agent.screenshot(path=f"/tmp/problem-new-{width}.png", full_page=True)
        agent.goto("/problems/?queue=all")
        agent.screenshot(path=f"/tmp/problem-list-{width}.png", full_page=True)
    agent.goto("/problems/trends/")
    for width, height in ((1280, 900), (390, 844)):
        agent.set_viewport_size({"width": width, "height": height})
        agent.screenshot(path=f"/tmp/problem-trends-{width}.png", full_page=True)


def test_an_agent_sees_the_known_error_while_raising_and_opens_a_problem_from_the_queue(
    new_page, sign_in, desk, open_one, raise_problem, axe_audit
):
    from tests.problems.conftest import publish

    agent_user = desk["people"]["agent"]
    db01 = desk["cis"]["db01"]
    known = publish(raise_problem(owner=agent_user, cis=[db01]), agent_user)
    first, second = open_one(title="Payments slow"), open_one(title="Payments slower")
    agent = new_page()
    sign_in(agent, agent_user, audit=False)

    agent.goto("/incidents/new/")
    agent.get_by_label("Title").fill("Database timeouts again")
    ci = agent.get_by_label("Affected configuration item")
    ci.fill("db01")
    ci.press("Tab")
    panel = agent.get_by_role("region", name="Known errors that may match")
    expect(panel).to_contain_text(known.number)
    expect(panel).to_contain_text("Restart the connection pooler on db01")
    axe_audit(agent)
    for width, height in ((1280, 900), (390, 844)):
        agent.set_viewport_size({"width": width, "height": height})
        agent.screenshot(path=f"/tmp/incident-new-known-error-{width}.png", full_page=True)
    agent.set_viewport_size({"width": 1280, "height": 900})
    ci.fill("app01")
    ci.press("Tab")
    expect(panel).to_have_count(0)

    agent.goto("/incidents/?queue=all")
    for incident in (first, second):
        agent.get_by_role("checkbox", name=f"Select {incident.number}").check()
    agent.get_by_text("Act on the selected incidents").click()
    agent.get_by_role("button", name="Open a problem from these").click()
    expect(agent.get_by_role("heading", level=1)).to_contain_text("problem")
    expect(agent.get_by_label("Raised from incidents")).to_have_value(
        f"{first.number} {second.number}"
    )
    agent.get_by_label("Problem owner").select_option(label="Agent")
    agent.get_by_role("button", name="Raise the problem").click()
    expect(agent.locator(".messages")).to_contain_text("raised")
    expect(agent.get_by_role("main")).to_contain_text(second.number)
