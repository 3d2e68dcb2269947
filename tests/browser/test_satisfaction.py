# ruff: noqa: F811  (sat, resolved, offered are the fixtures imported from tests.satisfaction)
"""The satisfaction journeys in a real browser, each page audited with axe-core and
photographed at 1280 px and 390 px: a requester answers the survey from the e-mail's link
without signing in (once: the link then shows the answer); the group's manager reads the
results and closes the follow-up the low score opened."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from steward.satisfaction import operations as ops
from steward.satisfaction.models import FollowUp, Survey
from tests.satisfaction.conftest import offered, resolved, sat  # noqa: F401

pytestmark = pytest.mark.browser

SIZES = ((1280, 900), (390, 844))
SHOTS = Path("/tmp/shots")


def shoot(page, name):
    SHOTS.mkdir(exist_ok=True)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SHOTS / f"satisfaction-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_requester_answers_from_the_email_link(new_page, sat, offered, axe_audit):
    survey, token = offered()
    page = new_page()
    page.goto(f"/satisfaction/s/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("How did we do?")
    expect(page.get_by_text(survey.record_label)).to_be_visible()
    axe_audit(page)
    shoot(page, "answer")
    # sending without a score says what is missing, beside the question
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("Choose how satisfied you are, from 1 to 5.")).to_be_visible()
    axe_audit(page)
    # the keyboard reaches the scale: a radio group
    page.get_by_role("radio", name="Dissatisfied", exact=True).check()
    page.get_by_label("Anything you want to tell us? (optional)").fill("It took a week.")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you!")
    expect(page.get_by_text("It took a week.")).to_be_visible()
    axe_audit(page)
    shoot(page, "thanks")
    survey.refresh_from_db()
    assert survey.score == 2 and survey.comment == "It took a week."
    # the link works once: opened again it shows the answer, with no form
    page.goto(f"/satisfaction/s/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you!")
    expect(page.get_by_role("button", name="Send my answer")).to_have_count(0)


def test_the_manager_reads_the_results_and_follows_up(new_page, sign_in, sat, offered, axe_audit):
    people = sat["people"]
    for caller, score, comment in (
        (people["requester"], 1, "Nobody called me back."),
        (people["neighbour"], 5, "Fixed in ten minutes, thank you!"),
        (people["outsider"], 4, ""),
    ):
        _, token = offered(caller)
        ops.answer(None, token, score=score, comment=comment)
    offered(sat["people"]["staff"])  # one not answered yet
    assert Survey.objects.count() == 4
    page = new_page()
    sign_in(page, people["manager"], audit=False)
    page.goto("/satisfaction/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Satisfaction")
    expect(page.get_by_text("Nobody called me back.")).to_be_visible()
    axe_audit(page)
    shoot(page, "results")
    page.get_by_label("Figures per", exact=True).select_option("agent")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Per agent")).to_be_visible()
    axe_audit(page)

    page.get_by_role("link", name="Follow-ups").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Follow-ups of low scores")
    axe_audit(page)
    shoot(page, "follow-ups")
    follow_up = FollowUp.objects.get()
    page.get_by_role("link", name=follow_up.survey.record_label).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Follow-up:")
    axe_audit(page)
    shoot(page, "follow-up")
    page.get_by_label("What was done").fill("Called her, apologised, fixed the callback rota.")
    page.get_by_role("button", name="Close the follow-up").click()
    expect(page.get_by_text("The follow-up is done.")).to_be_visible()
    axe_audit(page)
    follow_up.refresh_from_db()
    assert follow_up.status == "done"
    page.get_by_role("link", name="Satisfaction").first.click()
    page.get_by_role("link", name=follow_up.survey.record_label).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Survey")
    axe_audit(page)
    shoot(page, "survey")
