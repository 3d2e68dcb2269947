# ruff: noqa: F811  (shop is the fixture imported from test_pages_fixtures)
"""The catalog administration pages: who may open them, the item editor's rows (questions,
approval steps, tasks) saved as the same JSON the API takes, adding a row without saving,
an operation's refusal beside the row's field, a stale save showing who changed what, the
categories and the order form's preview."""

from __future__ import annotations

import pytest

from steward.fulfilment import operations as ops
from steward.fulfilment.models import CatalogCategory, CatalogItem
from tests.fulfilment.test_pages_fixtures import shop  # noqa: F401

pytestmark = pytest.mark.django_db


def management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "50",
    }


def item_post(shop, **overrides) -> dict:
    data = {
        "name": "Mobile phone",
        "summary": "A phone for work",
        "description": "",
        "service": shop["services"]["retail_live"].pk,
        "category": shop["category"].pk,
        "fulfilment_group": shop["desk"].pk,
        "target_hours": "8",
        "owner": "",
        "audience": "everyone",
        "is_active": "on",
        **management("field", 2),
        "field-0-name": "colour",
        "field-0-label": "Colour",
        "field-0-type": "choice",
        "field-0-required": "on",
        "field-0-choices": "black = Black\nwhite",
        "field-0-ORDER": "1",
        "field-1-name": "case",
        "field-1-label": "Which case",
        "field-1-type": "text",
        "field-1-visible_field": "colour",
        "field-1-visible_values": "black, white",
        "field-1-ORDER": "2",
        **management("step", 1),
        "step-0-name": "Desk lead",
        "step-0-approver": "group",
        "step-0-group": shop["desk"].pk,
        "step-0-mode": "all",
        "step-0-condition_op": "gt",
        "step-0-ORDER": "1",
        **management("task", 1),
        "task-0-name": "Order the phone",
        "task-0-group": shop["desk"].pk,
        "task-0-stage": "1",
    }
    data.update(overrides)
    return data


def test_only_catalog_keepers_open_the_administration(shop, client_for):
    people = shop["people"]
    assert client_for(people["admin"]).get("/requests/catalog/").status_code == 200
    assert client_for(people["agent"]).get("/requests/catalog/").status_code == 403
    assert client_for(people["requester"]).get("/requests/catalog/").status_code == 404
    # the owner of one item keeps that item, and sees only theirs
    ops.update_catalog_item(people["admin"], shop["laptop"], owner=people["desk"])
    page = client_for(people["desk"]).get("/requests/catalog/")
    assert page.status_code == 200
    assert b"Laptop" in page.content
    assert client_for(people["desk"]).get("/requests/catalog/items/new/").status_code == 403


def test_the_list_shows_items_and_categories(shop, client_for):
    page = client_for(shop["people"]["admin"]).get("/requests/catalog/")
    text = page.content.decode()
    assert "Laptop" in text and "Hardware" in text
    assert "3 questions" in text and "1 approval step" in text and "2 tasks" in text


def test_a_new_item_is_saved_with_its_form_flow_and_tasks(shop, client_for):
    client = client_for(shop["people"]["admin"])
    response = client.post("/requests/catalog/items/new/", item_post(shop))
    assert response.status_code == 302, response.content.decode()[:3000]
    item = CatalogItem.objects.get(name="Mobile phone")
    assert item.form[0]["choices"] == [
        {"value": "black", "label": "Black"},
        {"value": "white", "label": "white"},
    ]
    assert item.form[0]["required"] is True
    assert item.form[1]["visible_if"] == {"field": "colour", "in": ["black", "white"]}
    assert item.approval_flow[0]["approver"] == "group"
    assert item.approval_flow[0]["group"] == shop["desk"].pk
    assert item.approval_flow[0]["mode"] == "all"
    assert item.task_templates[0]["name"] == "Order the phone"
    assert item.target_hours == 8


def test_rows_are_reordered_and_removed(shop, client_for):
    client = client_for(shop["people"]["admin"])
    data = item_post(shop)
    data["field-1-visible_field"] = ""
    data["field-1-visible_values"] = ""
    data["field-0-ORDER"], data["field-1-ORDER"] = "2", "1"
    data["task-0-DELETE"] = "on"
    assert client.post("/requests/catalog/items/new/", data).status_code == 302
    item = CatalogItem.objects.get(name="Mobile phone")
    assert [f["name"] for f in item.form] == ["case", "colour"]
    assert item.task_templates == []


def test_add_a_row_saves_nothing_and_keeps_the_input(shop, client_for):
    client = client_for(shop["people"]["admin"])
    data = item_post(shop, add="field", name="")
    response = client.post("/requests/catalog/items/new/", data)
    assert response.status_code == 200
    text = response.content.decode()
    assert 'name="field-2-label"' in text  # the new empty row
    assert 'value="Colour"' in text  # the input is kept
    assert "field__errors" not in text  # nothing judged yet
    assert not CatalogItem.objects.filter(name="Mobile phone").exists()


def test_bad_rows_are_refused_beside_their_field(shop, client_for):
    client = client_for(shop["people"]["admin"])
    data = item_post(shop)
    data["field-0-choices"] = ""  # a choice question without choices
    data["step-0-group"] = ""  # a group step without its group
    response = client.post("/requests/catalog/items/new/", data)
    assert response.status_code == 422
    text = response.content.decode()
    assert "List the choices, one per line." in text
    assert "Choose the group that approves." in text
    assert not CatalogItem.objects.filter(name="Mobile phone").exists()


def test_an_operation_refusal_goes_beside_the_row(shop, client_for):
    client = client_for(shop["people"]["admin"])
    data = item_post(shop)
    # a question shown for a value its choice question cannot take: the operation refuses it
    data["field-1-visible_values"] = "purple"
    response = client.post("/requests/catalog/items/new/", data)
    assert response.status_code == 422
    assert "is not a choice of" in response.content.decode()
    assert not CatalogItem.objects.filter(name="Mobile phone").exists()


def test_editing_keeps_what_is_not_changed_and_a_stale_save_shows_the_change(shop, client_for):
    admin = shop["people"]["admin"]
    laptop = shop["laptop"]
    client = client_for(admin)
    page = client.get(f"/requests/catalog/items/{laptop.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'value="Why the power model"' in text
    assert 'value="Budget"' in text
    read = laptop.version
    # someone renames it meanwhile
    ops.update_catalog_item(admin, laptop, version=read, summary="Renamed meanwhile")
    data = {
        "name": "Laptop",
        "summary": "My summary",
        "service": laptop.service_id,
        "category": laptop.category_id,
        "fulfilment_group": laptop.fulfilment_group_id,
        "audience": "everyone",
        "is_active": "on",
        "version": str(read),
        **management("field", 0),
        **management("step", 0),
        **management("task", 0),
    }
    response = client.post(f"/requests/catalog/items/{laptop.pk}/", data)
    assert response.status_code == 409
    assert "while you were editing" in response.content.decode()
    laptop.refresh_from_db()
    assert laptop.summary == "Renamed meanwhile"
    assert len(laptop.form) == 3  # nothing written


def test_the_preview_renders_the_order_form(shop, client_for):
    laptop = shop["laptop"]
    response = client_for(shop["people"]["admin"]).get(
        f"/requests/catalog/items/{laptop.pk}/preview/"
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Cost centre budget" in text and "Why the power model" in text
    assert "visible_if.js" in text


def test_categories_are_added_and_edited(shop, client_for):
    client = client_for(shop["people"]["admin"])
    response = client.post(
        "/requests/catalog/categories/new/",
        {"name": "Access", "description": "", "order": "10"},
    )
    assert response.status_code == 302
    access = CatalogCategory.objects.get(name="Access")
    response = client.post(
        f"/requests/catalog/categories/{access.pk}/",
        {"name": "Access rights", "order": "10", "parent": shop["category"].pk},
    )
    assert response.status_code == 302
    access.refresh_from_db()
    assert access.name == "Access rights" and access.parent == shop["category"]
    assert access.is_active is False  # the box was not ticked
    bad = client.post("/requests/catalog/categories/new/", {"name": "", "order": "10"})
    assert bad.status_code == 422
    assert (
        client_for(shop["people"]["agent"]).get("/requests/catalog/categories/new/").status_code
        == 403
    )


def test_an_owner_edits_their_own_item_only(shop, client_for):
    people = shop["people"]
    admin, desk = people["admin"], people["desk"]
    laptop = shop["laptop"]
    ops.update_catalog_item(admin, laptop, owner=desk)
    other = ops.create_catalog_item(
        admin,
        name="Headset",
        service=shop["services"]["retail_live"],
        category=shop["category"],
        fulfilment_group=shop["desk"],
    )
    client = client_for(desk)
    laptop.refresh_from_db()
    data = {
        "name": "Laptop",
        "summary": "Now with a bag",
        "service": laptop.service_id,
        "category": laptop.category_id,
        "fulfilment_group": laptop.fulfilment_group_id,
        "owner": desk.pk,
        "audience": "everyone",
        "is_active": "on",
        "version": str(laptop.version),
        **management("field", 0),
        **management("step", 0),
        **management("task", 0),
    }
    assert client.post(f"/requests/catalog/items/{laptop.pk}/", data).status_code == 302
    laptop.refresh_from_db()
    assert laptop.summary == "Now with a bag"
    assert laptop.form == [] and laptop.task_templates == []  # the rows posted were none
    assert client.get(f"/requests/catalog/items/{other.pk}/").status_code == 403
    # naming someone else the owner is an administrator's decision
    data["owner"] = people["lead"].pk
    data["version"] = str(laptop.version)
    refused = client.post(f"/requests/catalog/items/{laptop.pk}/", data)
    assert refused.status_code == 403
    assert "Only administrators name an item" in refused.content.decode()
