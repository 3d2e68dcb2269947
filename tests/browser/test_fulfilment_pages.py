# ruff: noqa: F811  (shop is the fixture imported from tests.fulfilment.test_pages_fixtures)
"""The fulfilment staff journeys in a real browser, each page audited with axe-core and
photographed at 1280 px and 390 px: an administrator builds a catalog item with an order form
(a question shown only for one answer), an approval step and a task, and previews the form;
an agent works a requested item's tasks to fulfilment from the queues."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from steward.fulfilment import operations as ops
from steward.fulfilment.models import CatalogItem, RecurringRequest, RequestedItem
from tests.fulfilment.test_pages_fixtures import shop  # noqa: F401

pytestmark = pytest.mark.browser

SIZES = ((1280, 900), (390, 844))
SHOTS = Path("/tmp/shots")


def shoot(page, name):
    SHOTS.mkdir(exist_ok=True)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SHOTS / f"fulfilment-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_administrator_builds_a_catalog_item(new_page, sign_in, shop, axe_audit):
    people = shop["people"]
    page = new_page()
    sign_in(page, people["admin"], audit=False)
    page.goto("/requests/catalog/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Request catalog")
    axe_audit(page)
    shoot(page, "catalog")
    page.get_by_role("link", name="New catalog item").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New catalog item")
    axe_audit(page)

    page.get_by_label("Name", exact=True).fill("Monitor")
    page.get_by_label("Summary").fill("A second screen")
    page.get_by_label("Category").select_option(label="Hardware")
    page.get_by_label("Service", exact=True).select_option(label="Online Banking")
    page.get_by_label("Fulfilment group").select_option(label="Desk")
    questions = page.locator("#questions")
    first = questions.locator(".editor-row").nth(0)
    first.get_by_label("Question", exact=True).fill("Size")
    first.get_by_label("Key").fill("size")
    first.get_by_label("Type").select_option("choice")
    first.get_by_label("Required").check()
    first.get_by_label("Choices").fill("small = 24 inch\nlarge = 32 inch")
    page.get_by_role("button", name="Add a question").click()
    # the page came back with one more row and the input kept, nothing saved
    expect(questions.locator(".editor-row")).to_have_count(2)
    expect(
        questions.locator(".editor-row").nth(0).get_by_label("Question", exact=True)
    ).to_have_value("Size")
    assert not CatalogItem.objects.filter(name="Monitor").exists()
    second = questions.locator(".editor-row").nth(1)
    second.get_by_label("Question", exact=True).fill("Why the large one")
    second.get_by_label("Key").fill("why")
    second.get_by_label("Type").select_option("textarea")
    second.get_by_label("Shown only when the answer to").fill("size")
    second.get_by_label("is", exact=True).fill("large")
    step = page.locator("#approvals .editor-row").nth(0)
    step.get_by_label("Step", exact=True).fill("Budget")
    step.get_by_label("Approver").select_option("user")
    step.get_by_label("Person").select_option(label=people["boss"].display_name)
    task = page.locator("#task-templates .editor-row").nth(0)
    task.get_by_label("Task", exact=True).fill("Install the monitor")
    task.get_by_label("Group").select_option(label="Desk")
    axe_audit(page)
    shoot(page, "item-editor")
    page.get_by_role("button", name="Add the catalog item").click()
    expect(page.locator(".messages")).to_contain_text("has been saved")
    monitor = CatalogItem.objects.get(name="Monitor")
    assert [f["name"] for f in monitor.form] == ["size", "why"]
    assert monitor.form[1]["visible_if"] == {"field": "size", "equals": "large"}
    assert monitor.approval_flow[0]["user"] == people["boss"].pk
    assert monitor.task_templates[0]["name"] == "Install the monitor"

    page.get_by_role("link", name="Preview the order form").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Monitor")
    why = page.get_by_label("Why the large one")
    expect(why).to_be_hidden()
    page.get_by_label("Size").select_option("large")
    expect(why).to_be_visible()
    axe_audit(page)
    shoot(page, "preview")


def test_an_agent_works_the_tasks_to_fulfilment(new_page, sign_in, shop, axe_audit):
    people = shop["people"]
    desk = shop["desk"]
    dock = ops.create_catalog_item(
        people["admin"],
        name="Docking station",
        service=shop["services"]["retail_live"],
        category=shop["category"],
        fulfilment_group=desk,
        form=[{"name": "desk_number", "label": "Desk number", "type": "text", "required": True}],
        task_templates=[
            {"name": "Take one from stock", "group": desk.pk, "stage": 1},
            {"name": "Install it", "group": desk.pk, "stage": 2},
        ],
    )
    order = ops.order(
        people["requester"], items=[{"catalog_item": dock, "answers": {"desk_number": "B-12"}}]
    )
    item = order.items.get()

    page = new_page()
    sign_in(page, people["desk"], audit=False)
    page.goto("/requests/?queue=all")
    expect(page.get_by_role("heading", level=1)).to_have_text("Requests")
    axe_audit(page)
    shoot(page, "queue")
    page.get_by_role("link", name=item.number).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(item.number)
    expect(page.locator(".answers")).to_contain_text("B-12")
    page.get_by_label("Comment").fill("Checking the stock now.")
    page.get_by_label("Work note (internal)").check()
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Work note added")
    axe_audit(page)
    shoot(page, "item")

    page.goto("/requests/")
    page.get_by_role("navigation", name="Requests").get_by_role("link", name="Tasks").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fulfilment tasks")
    axe_audit(page)
    shoot(page, "tasks")
    first = item.tasks.order_by("stage").first()
    page.get_by_role("link", name=first.number).click()
    page.get_by_role("button", name="Start").click()
    expect(page.locator(".messages")).to_contain_text("started")
    axe_audit(page)
    shoot(page, "task")
    page.get_by_label("Notes").fill("One left in stock.")
    page.get_by_role("button", name="Close the task").click()
    expect(page.locator(".messages")).to_contain_text("closed complete")
    second = item.tasks.order_by("stage").last()
    page.get_by_role("link", name=second.number).click()
    page.get_by_role("button", name="Close the task").click()
    expect(page.locator(".messages")).to_contain_text("closed complete")
    page.goto(item.get_absolute_url())
    expect(page.locator(".subtitle")).to_contain_text("Fulfilled")
    assert RequestedItem.objects.get(pk=item.pk).status == "fulfilled"
    axe_audit(page)
    shoot(page, "item-fulfilled")


def test_an_approver_sees_the_flow_and_recurring_requests_are_set_up(
    new_page, sign_in, shop, axe_audit
):
    people = shop["people"]
    order = ops.order(
        people["requester"],
        items=[{"catalog_item": shop["laptop"], "answers": {"model": "light", "cost": 900}}],
    )
    item = order.items.get()
    page = new_page()
    sign_in(page, people["boss"], audit=False)
    page.goto(item.get_absolute_url())
    approvals = page.get_by_role("region", name="Approvals")
    expect(approvals).to_contain_text("Budget")
    expect(approvals.get_by_role("link", name="Approve or reject: Budget")).to_be_visible()
    axe_audit(page)
    shoot(page, "item-awaiting-approval")

    admin = new_page()
    sign_in(admin, people["admin"], audit=False)
    admin.goto("/requests/recurring/")
    admin.get_by_role("link", name="New recurring request").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("New recurring request")
    axe_audit(admin)
    admin.get_by_label("Catalog item").select_option(label="Laptop")
    admin.get_by_role("button", name="Next: its schedule and answers").click()
    questions = admin.get_by_role("region", name="The item's questions")
    expect(questions.get_by_label("Model", exact=True)).to_be_visible()
    admin.get_by_label("Requested for").select_option(label=people["desk"].display_name)
    admin.get_by_label("Name", exact=True).fill("Quarterly laptop refresh")
    admin.get_by_label("How often").select_option("quarterly")
    admin.get_by_label("First run").fill("2030-01-15T09:00")
    questions.get_by_label("Model", exact=True).select_option(label="Power")
    expect(questions.get_by_label("Why the power model")).to_be_visible()  # visible-if
    questions.get_by_label("Model", exact=True).select_option(label="Light")
    expect(questions.get_by_label("Why the power model")).to_be_hidden()
    axe_audit(admin)
    shoot(admin, "recurring-form")
    admin.get_by_role("button", name="Set up the recurring request").click()
    expect(admin.locator(".messages")).to_contain_text("has been set up")
    expect(admin.get_by_role("main")).to_contain_text("Quarterly laptop refresh")
    expect(admin.get_by_role("main")).to_contain_text("15 Jan 2030")
    axe_audit(admin)
    shoot(admin, "recurring")
    assert RecurringRequest.objects.get().answers == {"model": "light"}
