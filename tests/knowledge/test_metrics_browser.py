# ruff: noqa: F811  (history is the fixture imported from fixtures_c)
"""The knowledge metrics page in a real browser on the hand-built March of ``fixtures_c``:
an agent picks the period and the dimension, reads the key figures, the month charts and the
figures per service; audited with axe-core; screenshots at 1280 px and 390 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.knowledge.fixtures_c import history  # noqa: F401

pytestmark = pytest.mark.browser


def test_an_agent_reads_the_measures_of_march(new_page, sign_in, history, axe_audit):
    agent = new_page()
    sign_in(agent, history["people"]["agent"], audit=False)
    agent.goto("/knowledge/metrics/")
    expect(agent.get_by_role("heading", level=1)).to_have_text("Measures")
    axe_audit(agent)
    agent.get_by_label("From", exact=True).fill("2026-03-01")
    agent.get_by_label("Until (included)").fill("2026-03-31")
    agent.get_by_label("Figures per", exact=True).select_option(label="Service")
    agent.get_by_role("button", name="Show").click()
    expect(agent.get_by_role("heading", name="Per service")).to_be_visible()
    expect(agent.locator(".tiles")).to_contain_text("2 of 4 resolved incidents have an article")
    table = agent.get_by_role("region", name="Per service")
    treasury = table.get_by_role("row", name="Treasury")
    expect(treasury.get_by_role("cell").first).to_have_text("100 %1/1")
    expect(agent.get_by_role("img", name="Link rate")).to_be_visible()
    axe_audit(agent)
    for width, height in ((1280, 900), (390, 844)):
        agent.set_viewport_size({"width": width, "height": height})
        agent.screenshot(path=f"/tmp/knowledge-metrics-{width}.png", full_page=True)
    with agent.expect_download() as download:
        agent.get_by_role("link", name="Download CSV").click()
    assert download.value.suggested_filename == (
        "knowledge-metrics-2026-03-01-2026-03-31-service.csv"
    )
