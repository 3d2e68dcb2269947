"""Fixtures of the fulfilment staff page tests (imported by the test_pages_* modules): a
catalog with one category and a laptop whose form asks a choice, a number and a question
shown only for one choice, approved by a named person, delivered by two tasks in two stages.
Everything is made through the operations."""

from __future__ import annotations

import pytest

from steward.fulfilment import operations as ops
from steward.people import operations as people_ops
from steward.people.choices import Role

LAPTOP_FORM = [
    {
        "name": "model",
        "label": "Model",
        "type": "choice",
        "required": True,
        "choices": [{"value": "light", "label": "Light"}, {"value": "power", "label": "Power"}],
    },
    {"name": "cost", "label": "Cost centre budget", "type": "number", "min": 0},
    {
        "name": "why",
        "label": "Why the power model",
        "type": "textarea",
        "required": True,
        "visible_if": {"field": "model", "equals": "power"},
    },
]


@pytest.fixture
def shop(world, make_user):
    """world plus: a fulfilment group (Desk: ``desk`` and the group's manager ``lead``), an
    approver, a category and the laptop item (form, one approval step, two tasks)."""
    people = dict(world["people"])
    admin = people["admin"]
    people["desk"] = make_user("desk", roles=[Role.AGENT])
    people["lead"] = make_user("lead", roles=[Role.AGENT])
    people["boss"] = make_user("boss", roles=[Role.AGENT])
    people["stranger"] = make_user("stranger", roles=[Role.AGENT])
    desk = people_ops.create_group(
        None, name="Desk", manager=people["lead"], members=[people["desk"], people["lead"]]
    )
    category = ops.create_category(admin, name="Hardware", description="Things you hold.")
    laptop = ops.create_catalog_item(
        admin,
        name="Laptop",
        summary="A laptop for work",
        service=world["services"]["retail_live"],
        category=category,
        fulfilment_group=desk,
        form=LAPTOP_FORM,
        approval_flow=[{"name": "Budget", "approver": "user", "user": people["boss"].pk}],
        task_templates=[
            {"name": "Prepare the laptop", "group": desk.pk, "stage": 1},
            {"name": "Hand it over", "group": desk.pk, "stage": 2},
        ],
        target_hours=16,
    )
    return {**world, "people": people, "desk": desk, "category": category, "laptop": laptop}
