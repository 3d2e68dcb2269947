"""Fixtures of the portal tests: the shared ``world`` (two organisations, a requester and a
neighbour in Retail, an outsider in Corporate), knowledge's articles, and incidents raised for
each requester."""

from __future__ import annotations

import pytest

from steward.incidents import operations as incident_ops
from steward.knowledge.choices import Audience, Confidence
from steward.people import operations as people_ops
from tests.knowledge.conftest import kb, make_article  # noqa: F401 - fixtures used here


@pytest.fixture
def world(world):
    """The shared world plus the Service Desk group, where what requesters report goes."""
    agent = world["people"]["agent"]
    world["desk"] = people_ops.create_group(
        None, name="Service Desk", manager=agent, members=[agent]
    )
    return world


@pytest.fixture
def raise_for(world):
    """raise_for(person, **fields) -> an incident raised by the agent for ``person``."""

    def make(person, **fields):
        fields.setdefault("title", "Printer prints blank pages")
        fields.setdefault("description", "Since Monday the printer on floor 3 prints blank pages.")
        fields.setdefault("impact", 2)
        fields.setdefault("urgency", 2)
        fields.setdefault("owning_group", world["group"])
        return incident_ops.open_incident(world["people"]["agent"], caller=person, **fields)

    return make


@pytest.fixture
def articles(kb, make_article):  # noqa: F811 - the fixture imported above
    """Validated articles about printers: public, for Retail, for Corporate; an internal one."""
    orgs = kb["orgs"]
    valid = {"confidence": Confidence.VALIDATED, "keywords": "printer blank"}
    return {
        "public": make_article(
            title="Printer prints blank pages", audience=Audience.PUBLIC, **valid
        ),
        "retail": make_article(
            title="Printer toner for Retail", audience=Audience.CUSTOMERS,
            organizations=[orgs["retail"]], **valid,
        ),
        "corporate": make_article(
            title="Printer toner for Corporate", audience=Audience.CUSTOMERS,
            organizations=[orgs["corporate"]], **valid,
        ),
        "internal": make_article(title="Printer firmware internal", **valid),
    }  # fmt: skip


@pytest.fixture
def catalog(world, make_user):
    """A catalog: the Hardware category with a Laptop (a form with a choice, a required text,
    a question visible only for one choice, and the requester's line manager approving) and a
    Mouse (no form, no approval); the Access category with an item for Corporate only. The
    requester's line manager is ``manager`` (a requester of Retail too)."""
    from steward.fulfilment import operations as fulfilment_ops
    from steward.people.choices import Role

    people = world["people"]
    admin = people["admin"]
    manager = make_user("manny", roles=[Role.REQUESTER], organization=world["orgs"]["retail"])
    requester = people["requester"]
    people_ops.update_user(admin, requester, version=requester.version, line_manager=manager)
    requester.refresh_from_db()
    hardware = fulfilment_ops.create_category(admin, name="Hardware", order=1)
    access = fulfilment_ops.create_category(admin, name="Access", order=2)
    service = world["services"]["retail_live"]
    group = world["group"]
    laptop = fulfilment_ops.create_catalog_item(
        admin,
        name="Laptop",
        summary="A laptop for work",
        service=service,
        category=hardware,
        fulfilment_group=group,
        form=[
            {"name": "model", "label": "Model", "type": "choice", "required": True,
             "choices": [{"value": "standard", "label": "Standard"},
                         {"value": "power", "label": "Power user"}]},
            {"name": "reason", "label": "Why a power laptop?", "type": "text",
             "required": True, "visible_if": {"field": "model", "equals": "power"}},
            {"name": "note", "label": "Anything else", "type": "textarea"},
        ],
        approval_flow=[{"name": "Line manager", "approver": "line_manager", "mode": "any"}],
        task_templates=[
            {"name": "Prepare the laptop", "group": group.pk, "stage": 1},
            {"name": "Hand it over", "group": group.pk, "stage": 2},
        ],
        target_hours=16,
    )  # fmt: skip
    mouse = fulfilment_ops.create_catalog_item(
        admin,
        name="Mouse",
        summary="A wireless mouse",
        service=service,
        category=hardware,
        fulfilment_group=group,
        task_templates=[{"name": "Send the mouse", "group": group.pk, "stage": 1}],
    )
    treasury = fulfilment_ops.create_catalog_item(
        admin,
        name="Treasury access",
        service=world["services"]["corporate_live"],
        category=access,
        fulfilment_group=group,
        audience="restricted",
        organizations=[world["orgs"]["corporate"]],
    )
    return {
        "manager": manager,
        "hardware": hardware,
        "access": access,
        "laptop": laptop,
        "mouse": mouse,
        "treasury": treasury,
    }


@pytest.fixture
def order(world):
    """order(person, catalog_item, answers=None) -> the requested item ordered by ``person``."""
    from steward.fulfilment import operations as fulfilment_ops

    def make(person, catalog_item, answers=None):
        request = fulfilment_ops.order(
            person, items=[{"catalog_item": catalog_item, "answers": answers or {}}]
        )
        return request.items.get()

    return make
