"""The knowledge journeys in a real browser, each page audited with axe-core, screenshots at
1280 px and 390 px: an agent captures an article from a resolved incident and completes it; a
Publisher validates and publishes it; a requester reads it in the portal, rates it and flags
it; the owner resolves the flag; a coach reviews a Candidate's article; versions compare."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from steward.incidents import operations as incident_ops
from steward.knowledge.models import Article, ArticleRating, CoachReview, Flag, PortalEvent

pytestmark = pytest.mark.browser

SIZES = ((1280, 900), (390, 844))


def shoot(page, name):
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"/tmp/kb-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_capture_edit_validate_publish_then_read_rate_and_flag(
    new_page, sign_in, kb, open_incident, axe_audit
):
    people = kb["people"]
    incident = open_incident(title="Outlook keeps asking for the password")
    incident_ops.transition(people["agent"], incident, "in_progress")
    incident_ops.transition(
        people["agent"],
        incident,
        "resolved",
        resolution_code="solved",
        resolution_notes="Removed the stored credentials from the credential manager.",
    )

    agent = new_page()
    sign_in(agent, people["agent"], audit=False)
    agent.goto(incident.get_absolute_url())
    panel = agent.get_by_role("region", name="Knowledge")
    expect(panel).to_contain_text("Does an article exist, or should one be created?")
    axe_audit(agent)
    shoot(agent, "incident-panel")
    panel.get_by_role("button", name="Create an article from this incident").click()
    expect(agent.locator(".messages")).to_contain_text("complete it and save")
    axe_audit(agent)
    agent.get_by_label("Environment").fill("Outlook 365 on Windows 11")
    agent.get_by_label("Keywords").fill("outlook password prompt")
    agent.get_by_label("What did you change?").fill("Environment and keywords")
    shoot(agent, "edit")
    agent.get_by_role("button", name="Save").click()
    expect(agent.locator(".messages")).to_contain_text("Saved")
    expect(agent.locator(".subtitle")).to_contain_text("Work in progress")
    expect(agent.get_by_role("button", name="Validate", exact=True)).to_have_count(0)  # a Candidate
    article = Article.objects.get()
    assert article.revision == 2

    publisher = new_page()
    sign_in(publisher, people["publisher"], audit=False)
    publisher.goto(article.get_absolute_url())
    publisher.get_by_role("button", name="Validate", exact=True).click()
    expect(publisher.locator(".subtitle")).to_contain_text("Validated")
    publisher.get_by_label("Public (every requester)").check()
    publisher.get_by_role("button", name="Change the audience").click()
    expect(publisher.locator(".subtitle")).to_contain_text("Public")
    axe_audit(publisher)
    shoot(publisher, "article")
    publisher.get_by_role("link", name="2 versions").click()
    axe_audit(publisher)
    publisher.get_by_role("button", name="Compare the chosen versions").click()
    expect(publisher.locator("ins").first).to_be_visible()
    axe_audit(publisher)
    shoot(publisher, "diff")

    reader = new_page()
    sign_in(reader, people["requester"], audit=False)
    reader.goto(article.get_absolute_url())
    expect(reader.get_by_role("heading", level=1)).to_have_text(
        "Outlook keeps asking for the password"
    )
    expect(reader.get_by_text("Removed the stored credentials")).to_be_visible()
    axe_audit(reader)
    shoot(reader, "reader")
    reader.get_by_role("button", name="It helped").click()
    expect(reader.locator(".messages")).to_contain_text("rating has been recorded")
    assert ArticleRating.objects.get().helped is True
    assert PortalEvent.objects.filter(kind="view", user=people["requester"]).exists()
    reader.get_by_text("Flag this article").click()
    reader.get_by_label("What is wrong with it?").select_option("outdated")
    reader.get_by_label("Comment", exact=True).fill("The new Outlook looks different.")
    reader.get_by_role("button", name="Send the flag").click()
    expect(reader.locator(".messages")).to_contain_text("owner will look at your flag")
    axe_audit(reader)

    # the owner (the agent who captured it) resolves the flag from the queue
    agent.goto("/knowledge/flags/")
    expect(agent.get_by_role("main")).to_contain_text("The new Outlook looks different.")
    axe_audit(agent)
    shoot(agent, "flags")
    agent.get_by_label("Fixed").check()
    agent.get_by_label("What was done").fill("Steps for the new Outlook added.")
    agent.get_by_role("button", name="Resolve the flag").click()
    expect(agent.locator(".messages")).to_contain_text("resolved")
    assert Flag.objects.get().status == "fixed"


def test_a_coach_reviews_from_the_queue_and_the_list_filters(
    new_page, sign_in, kb, make_article, axe_audit
):
    people = kb["people"]
    article = make_article(title="Printer prints blank pages", resolution="Replace the toner.")
    coach = new_page()
    sign_in(coach, people["coach"], audit=False)
    coach.goto("/knowledge/")
    axe_audit(coach)
    shoot(coach, "list")
    coach.get_by_role("link", name="Coach queue").click()
    axe_audit(coach)
    shoot(coach, "coach")
    coach.get_by_role("link", name=f"Review {article.number}").click()
    coach.get_by_label("Title reflects the issue in the customer's words").check()
    coach.get_by_label("Comment for the author").fill("Say it as the caller would.")
    axe_audit(coach)
    shoot(coach, "review")
    coach.get_by_role("button", name="Save the review").click()
    expect(coach.locator(".messages")).to_contain_text("Review of")
    expect(coach.get_by_role("main")).to_contain_text("Nothing to review")
    review = CoachReview.objects.get()
    assert review.defects == ["title"] and review.author == people["candidate"]

    admin = new_page()
    sign_in(admin, people["admin"], audit=False)
    admin.goto("/knowledge/licences/")
    axe_audit(admin)
    shoot(admin, "licences")
    admin.get_by_role("link", name="Grant a licence").click()
    admin.get_by_label("Person").select_option(label=people["candidate"].display_name)
    admin.get_by_label("Licence").select_option("contributor")
    axe_audit(admin)
    admin.get_by_role("button", name="Grant").click()
    expect(admin.locator(".messages")).to_contain_text("is now Contributor")
    admin.goto("/knowledge/new/")
    axe_audit(admin)
    shoot(admin, "new")
