"""The Administration area in a real browser: an administrator runs people, groups,
organizations, the priority matrix and the categories; a group manager runs their group; a
stale save shows the conflict. Every page is audited by axe (0 serious or critical
violations) and, with STEWARD_SCREENSHOTS=<folder>, photographed at 1280 and 390 px."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from steward.people import operations as people_ops
from steward.people.choices import Role

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("STEWARD_SCREENSHOTS")


def look(page, axe_audit, name: str) -> None:
    """Audit the page; with STEWARD_SCREENSHOTS, photograph it wide and narrow."""
    axe_audit(page)
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
        if width == 390:  # a tall phone page, also in screens a person can read
            height = page.evaluate("document.documentElement.scrollHeight")
            for n, top in enumerate(range(0, height, 1100)):
                clip = {"x": 0, "y": top, "width": 390, "height": min(1100, height - top)}
                page.screenshot(path=f"{SHOTS}/{name}-390-{n}.png", full_page=True, clip=clip)
    page.set_viewport_size({"width": 1280, "height": 900})
    axe_audit(page)


@pytest.fixture(autouse=True)
def _warm_server(page):
    """The live server's first answer can take long on a loaded machine (catalogues, static
    files): wait for it once, patiently, before the journey's own timeouts apply."""
    page.goto("/login/", timeout=60_000)


@pytest.fixture
def admin(make_user):
    return make_user("ada", roles=[Role.ADMIN, Role.AGENT], first_name="Ada", last_name="Admin")


def test_administrator_runs_people_groups_and_customers(page, sign_in, admin, agent, axe_audit):
    sign_in(page, admin)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Administration").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Administration")
    look(page, axe_audit, "admin-home")

    page.get_by_role("main").get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    look(page, axe_audit, "admin-people")

    page.get_by_role("link", name="New person").click()
    page.get_by_label("Username").fill("bad name!")
    page.get_by_role("button", name="Add person").click()
    expect(page.locator("#id_username_error")).to_contain_text("Letters, digits")
    look(page, axe_audit, "admin-person-new-error")
    page.get_by_label("Username").fill("rita")
    page.get_by_label("First name").fill("Rita")
    page.get_by_label("Email address").fill("rita@example.org")
    page.get_by_label("Group manager").check()
    page.get_by_role("button", name="Add person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rita")
    expect(page.locator(".messages")).to_contain_text("Rita has been added")
    look(page, axe_audit, "admin-person-edit")

    tokens = page.get_by_role("region", name="API tokens")
    tokens.get_by_label("Name").fill("monitoring")
    tokens.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("heading", name="Token “monitoring” created for Rita")).to_be_visible()
    secret = page.locator("#token-secret").input_value()
    assert len(secret) > 20
    look(page, axe_audit, "admin-person-token")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Groups").click()
    page.get_by_role("link", name="New group").click()
    page.get_by_label("Name").fill("Database")
    page.get_by_label("Manager").fill("rita")
    page.get_by_role("button", name="Create group").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Database")
    page.get_by_label("Add a member").fill("agent")
    page.get_by_role("button", name="Add member").click()
    expect(page.get_by_role("region", name="Members")).to_contain_text("agent")
    look(page, axe_audit, "group-detail")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Organizations").click()
    page.get_by_role("link", name="New organization").click()
    page.get_by_label("Name").fill("Retail Banking")
    page.get_by_label("Code").fill("retail")
    page.get_by_role("button", name="Add organization").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retail Banking")
    form = page.get_by_role("form", name="Add a contact")
    form.get_by_label("Name").fill("Carla")
    form.get_by_label("Email address").fill("not an address")
    form.get_by_role("button", name="Add contact").click()
    expect(page.locator("#contact_email_error")).to_be_visible()
    look(page, axe_audit, "organization-contact-error")
    form = page.get_by_role("form", name="Add a contact")
    form.get_by_label("Email address").fill("carla@retail.example")
    form.get_by_label("Role").select_option("communications")
    form.get_by_role("button", name="Add contact").click()
    expect(page.get_by_role("region", name="Contacts")).to_contain_text("carla@retail.example")
    look(page, axe_audit, "organization-detail")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Organizations").click()
    look(page, axe_audit, "organization-list")


def test_administrator_edits_the_matrix_and_the_categories(page, sign_in, admin, axe_audit):
    sign_in(page, admin, audit=False)
    page.goto("/administration/")
    page.get_by_role("main").get_by_role("link", name="Priority matrix").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Priority matrix")
    look(page, axe_audit, "priority-matrix")
    page.get_by_label("Priority for impact 1 – High and urgency 3 – Low").select_option("2")
    page.get_by_role("button", name="Save matrix").click()
    expect(page.locator(".messages")).to_contain_text("The priority matrix has been saved")
    expect(page.get_by_role("region", name="Changes")).to_contain_text("urgency 3 → P2")

    page.get_by_role("navigation", name="Administration").get_by_role(
        "link", name="Incident categories"
    ).click()
    add = page.get_by_role("region", name="Add a category")
    add.get_by_label("Name").fill("Hardware")
    add.get_by_role("button", name="Add category").click()
    add = page.get_by_role("region", name="Add a category")
    add.get_by_label("Name").fill("Laptop")
    add.get_by_label("Under").select_option(label="Hardware")
    add.get_by_role("button", name="Add category").click()
    add = page.get_by_role("region", name="Add a category")
    add.get_by_label("Name").fill("hardware")
    add.get_by_role("button", name="Add category").click()
    expect(page.locator("#id_name_error")).to_contain_text("already a category")
    look(page, axe_audit, "categories")

    page.get_by_role("link", name="Laptop").click()
    page.get_by_label("Name", exact=True).fill("Notebook")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notebook")
    look(page, axe_audit, "category-edit")
    page.get_by_role("link", name="Incident categories").first.click()
    page.get_by_role("button", name="Retire Hardware", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("“Hardware” has been retired")
    expect(page.get_by_role("region", name="Incident categories")).to_contain_text("Retired")


def test_group_manager_runs_their_group_and_sees_a_conflict(
    page, sign_in, make_user, agent, axe_audit
):
    lead = make_user("mona", roles=[Role.AGENT, Role.GROUP_MANAGER], first_name="Mona")
    anna = make_user("anna", roles=[Role.ADMIN], first_name="Anna")
    desk = people_ops.create_group(None, name="Service Desk", manager=lead, members=[lead])
    sign_in(page, lead, audit=False)
    page.goto(f"/groups/{desk.pk}/")
    page.get_by_label("Add a member").fill("ghost")
    page.get_by_role("button", name="Add member").click()
    expect(page.locator("#id_member_error")).to_contain_text("No one has this username")
    look(page, axe_audit, "group-member-error")
    page.get_by_label("Add a member").fill(agent.email)
    page.get_by_role("button", name="Add member").click()
    expect(page.locator(".messages")).to_contain_text("has joined the group")

    page.get_by_role("link", name="Edit group").click()
    expect(page.get_by_label("Name")).to_have_count(0)  # an administrator's field
    page.get_by_label("Description").fill("First line support")
    desk.refresh_from_db()
    people_ops.update_group(anna, desk, version=desk.version, email="desk@example.org")
    page.get_by_role("button", name="Save").click()
    conflict = page.get_by_role("alert").filter(has_text="Changed by Anna")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("desk@example.org")
    expect(page.get_by_label("Description")).to_have_value("First line support")
    look(page, axe_audit, "group-conflict")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Service Desk")
    expect(page.locator(".prose")).to_contain_text("First line support")
