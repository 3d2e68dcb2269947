"""Fixtures of the fulfilment tests: a catalog built through the operations.

``fx`` is ``world`` (two organisations, one person per role) plus: the Desk group (``desk``,
manager ``lead``) that fulfils, the Finance group (``fin1``, ``fin2``) that approves, the
requester's line manager ``manager``, a Hardware category, and the Laptop item: a form asking
a model (choice), a cost (number) and a reason shown only for the power model; two approval
steps (the line manager, then every member of Finance when the cost is above 1000); two tasks
in two stages (Desk prepares, Network hands over)."""

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
    {"name": "cost", "label": "Cost", "type": "number", "min": 0, "max": 10000},
    {
        "name": "why",
        "label": "Why the power model",
        "type": "textarea",
        "required": True,
        "visible_if": {"field": "model", "equals": "power"},
    },
]


@pytest.fixture
def fx(world, make_user):
    people = dict(world["people"])
    admin = people["admin"]
    people["desk"] = make_user("desk", roles=[Role.AGENT])
    people["lead"] = make_user("lead", roles=[Role.AGENT, Role.GROUP_MANAGER])
    people["fin1"] = make_user("fin1", roles=[Role.AGENT])
    people["fin2"] = make_user("fin2", roles=[Role.AGENT])
    people["manager"] = make_user("manager", roles=[Role.REQUESTER])
    for who in ("requester", "neighbour"):
        people[who] = people_ops.update_user(
            None, people[who], version=None, line_manager=people["manager"]
        )
    desk = people_ops.create_group(
        None, name="Desk", manager=people["lead"], members=[people["desk"], people["lead"]]
    )
    finance = people_ops.create_group(
        None, name="Finance", manager=people["fin1"], members=[people["fin1"], people["fin2"]]
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
        approval_flow=[
            {"name": "Line manager", "approver": "line_manager"},
            {
                "name": "Finance",
                "approver": "group",
                "group": finance.pk,
                "mode": "all",
                "condition": {"field": "cost", "op": "gt", "value": 1000},
            },
        ],
        task_templates=[
            {"name": "Prepare the laptop", "group": desk.pk, "stage": 1},
            {"name": "Register the asset", "group": desk.pk, "stage": 1},
            {"name": "Hand it over", "group": world["group"].pk, "stage": 2},
        ],
        target_hours=16,
    )
    mouse = ops.create_catalog_item(
        admin,
        name="Mouse",
        service=world["services"]["retail_live"],
        category=category,
        fulfilment_group=desk,
    )
    return {
        **world,
        "people": people,
        "desk": desk,
        "finance": finance,
        "category": category,
        "laptop": laptop,
        "mouse": mouse,
    }


def approval_steps(item):
    from steward.approvals.models import ApprovalRequest

    return list(
        ApprovalRequest.objects.filter(
            subject_type="fulfilment.requesteditem", subject_id=item.pk
        ).order_by("round", "step")
    )
