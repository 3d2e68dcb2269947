"""The fulfilment API: every endpoint's happy path (checked against the OpenAPI document by
``ApiClient``), bad input on every endpoint (422 in the one shape naming the field, nothing
written), a stale version (409)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from steward.core.models import JournalEntry
from steward.fulfilment import operations as ops
from steward.fulfilment.models import (
    CatalogItem,
    FulfilmentTask,
    RecurringRequest,
    Request,
    RequestComment,
    RequestedItem,
)
from tests.fulfilment.conftest import approval_steps

pytestmark = pytest.mark.django_db


def fields_of(data) -> dict:
    assert set(data) == {"error"}, data
    return data["error"]["fields"]


@pytest.fixture
def api(fx, api_as):
    p = fx["people"]
    return {who: api_as(p[who]) for who in ("admin", "agent", "requester", "outsider", "desk")}


def _order_mouse(fx, who="requester"):
    return ops.order(fx["people"][who], items=[{"catalog_item": fx["mouse"]}]).items.get()


# --- catalog -------------------------------------------------------------------------------------


def test_catalog_list_and_item_with_form(fx, api):
    status, data = api["requester"].get("catalog/items", q="lap")
    assert status == 200 and [i["name"] for i in data["items"]] == ["Laptop"]
    item = data["items"][0]
    assert "approval_flow" not in item and item["needs_approval"] is True
    status, one = api["requester"].get(f"catalog/items/{fx['laptop'].pk}")
    assert status == 200
    assert [f["name"] for f in one["form"]] == ["model", "cost", "why"]
    assert one["form"][2]["visible_if"] == {"field": "model", "equals": "power"}
    status, staff = api["agent"].get(f"catalog/items/{fx['laptop'].pk}")
    assert (
        staff["approval_flow"][1]["mode"] == "all" and staff["fulfilment_group"]["name"] == "Desk"
    )
    status, cats = api["requester"].get("catalog/categories")
    assert status == 200 and [c["name"] for c in cats] == ["Hardware"]


def test_catalog_create_and_patch_with_version(fx, api):
    body = {
        "name": "Monitor",
        "service": fx["services"]["retail_live"].pk,
        "category": fx["category"].pk,
        "fulfilment_group": fx["desk"].pk,
        "form": [{"name": "size", "label": "Size", "type": "number", "min": 20}],
        "task_templates": [{"name": "Deliver", "group": fx["desk"].pk}],
    }
    status, data = api["admin"].post("catalog/items", body)
    assert status == 201 and data["form"][0]["name"] == "size"
    status, data2 = api["admin"].patch(
        f"catalog/items/{data['id']}", {"version": data["version"], "summary": "A screen"}
    )
    assert status == 200 and data2["summary"] == "A screen"
    status, stale = api["admin"].patch(
        f"catalog/items/{data['id']}", {"version": data["version"], "summary": "Old"}
    )
    assert status == 409 and "version" in fields_of(stale)
    assert CatalogItem.objects.get(pk=data["id"]).summary == "A screen"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"service": 999999}, "service"),
        ({"fulfilment_group": 999999}, "fulfilment_group"),
        ({"form": [{"name": "x", "label": "X", "type": "nope"}]}, "form[0].type"),
        ({"form": [{"name": "x", "label": "X", "type": "choice"}]}, "form[0]"),
        ({"approval_flow": [{"approver": "group"}]}, "approval_flow[0]"),
        ({"approval_flow": [{"approver": "group", "group": 999999}]}, "approval_flow[0].group"),
        ({"task_templates": [{"name": "T", "group": 999999}]}, "task_templates[0].group"),
        ({"audience": "friends"}, "audience"),
        ({"target_hours": 0}, "target_hours"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_catalog_create_bad_input(fx, api, change, field):
    body = {
        "name": "Monitor",
        "service": fx["services"]["retail_live"].pk,
        "category": fx["category"].pk,
        "fulfilment_group": fx["desk"].pk,
    } | change
    before = CatalogItem.objects.count()
    status, data = api["admin"].post("catalog/items", body)
    assert status == 422, data
    assert field in fields_of(data)
    assert CatalogItem.objects.count() == before


def test_catalog_create_refused_for_agents_and_requesters(fx, api):
    body = {
        "name": "Monitor",
        "service": fx["services"]["retail_live"].pk,
        "category": fx["category"].pk,
        "fulfilment_group": fx["desk"].pk,
    }
    assert api["agent"].post("catalog/items", body)[0] == 403
    assert api["requester"].post("catalog/items", body)[0] == 404


# --- orders --------------------------------------------------------------------------------------


def test_order_list_and_read(fx, api):
    body = {
        "items": [
            {"catalog_item": fx["laptop"].pk, "answers": {"model": "power", "why": "CAD"}},
        ]
    }
    status, data = api["requester"].post("requests", body)
    assert status == 201
    assert data["number"].startswith("REQ") and data["items"][0]["status"] == "awaiting_approval"
    number = data["number"]
    status, listing = api["requester"].get("requests", mine="true")
    assert status == 200 and [r["number"] for r in listing["items"]] == [number]
    status, one = api["requester"].get(f"requests/{number}")
    assert status == 200 and one["items"][0]["number"].startswith("RITM")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"items": []}, "items"),
        ({"items": [{"catalog_item": 999999}]}, "catalog_item"),
        ({"items": [{"catalog_item": "LAPTOP"}]}, "items.0.catalog_item"),
        ({"items": [{"catalog_item": "{laptop}", "answers": {}}]}, "answers.model"),
        (
            {"items": [{"catalog_item": "{laptop}", "answers": {"model": "power"}}]},
            "answers.why",
        ),
        (
            {"items": [{"catalog_item": "{laptop}", "answers": {"model": "light", "cost": -1}}]},
            "answers.cost",
        ),
        (
            {"items": [{"catalog_item": "{laptop}", "answers": {"model": "x", "zz": 1}}]},
            "answers.zz",
        ),
        (
            {"items": [{"catalog_item": "{laptop}", "answers": {"model": "light"}, "quantity": 0}]},
            "items.0.quantity",
        ),
        (
            {
                "items": [
                    {"catalog_item": "{mouse}"},
                    {"catalog_item": "{laptop}", "answers": {}},
                ]
            },
            "items[1].answers.model",
        ),
        ({"requested_for": "{outsider}", "items": [{"catalog_item": "{mouse}"}]}, "requested_for"),
        ({"items": [{"catalog_item": "{mouse}"}], "urgent": True}, "urgent"),
    ],
)
def test_order_bad_input(fx, api, body, field):
    import json

    text = json.dumps(body)
    for key, value in (
        ("{laptop}", fx["laptop"].pk),
        ("{mouse}", fx["mouse"].pk),
        ("{outsider}", fx["people"]["outsider"].pk),
    ):
        text = text.replace(f'"{key}"', str(value))
    status, data = api["requester"].post("requests", json.loads(text))
    assert status == 422, data
    assert field in fields_of(data), data
    assert not Request.objects.exists() and not RequestedItem.objects.exists()


def test_request_unknown_number_is_404(api):
    assert api["requester"].get("requests/REQ9999999")[0] == 404
    assert api["requester"].get("requested-items/RITM9999999")[0] == 404
    assert api["agent"].get("tasks/TASK9999999")[0] == 404


# --- requested items -----------------------------------------------------------------------------


def test_requested_item_detail_per_audience(fx, api):
    p = fx["people"]
    item = ops.order(
        p["requester"], items=[{"catalog_item": fx["laptop"], "answers": {"model": "light"}}]
    ).items.get()
    ops.add_comment(p["desk"], item, body="Internal thought", visibility="internal")
    ops.add_comment(p["desk"], item, body="We are on it", visibility="public")
    status, mine = api["requester"].get(f"requested-items/{item.number}")
    assert status == 200
    assert [c["body"] for c in mine["comments"]] == ["We are on it"]
    assert mine["approvals"][0]["name"] == "Line manager"
    assert "owning_group" not in mine and "assignee" not in mine
    status, staff = api["agent"].get(f"requested-items/{item.number}")
    assert [c["visibility"] for c in staff["comments"]] == ["internal", "public"]
    assert staff["owning_group"]["name"] == "Desk"


def test_comment_cancel_and_assign(fx, api):
    p = fx["people"]
    item = _order_mouse(fx)
    status, data = api["requester"].post(
        f"requested-items/{item.number}/comments", {"body": "Wireless please"}
    )
    assert status == 201 and data["visibility"] == "public"
    status, data = api["requester"].post(
        f"requested-items/{item.number}/comments", {"body": "x", "visibility": "internal"}
    )
    assert status == 403 and "visibility" in fields_of(data)
    status, data = api["desk"].patch(
        f"requested-items/{item.number}", {"version": item.version, "assignee": p["desk"].pk}
    )
    assert status == 200 and data["assignee"]["username"] == "desk"
    status, data = api["desk"].patch(
        f"requested-items/{item.number}", {"version": item.version, "assignee": None}
    )
    assert status == 409
    status, data = api["requester"].post(
        f"requested-items/{item.number}/cancel", {"reason": "Found one"}
    )
    assert status == 200 and data["status"] == "cancelled"
    status, data = api["requester"].post(
        f"requested-items/{item.number}/cancel", {"reason": "Again"}
    )
    assert status == 409


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("comments", {"body": ""}, "body"),
        ("comments", {"body": "x", "visibility": "secret"}, "visibility"),
        ("comments", {}, "body"),
        ("cancel", {"reason": ""}, "reason"),
        ("cancel", {}, "reason"),
        ("cancel", {"reason": "x", "version": 0}, "version"),
    ],
)
def test_item_writes_bad_input(fx, api, path, body, field):
    item = _order_mouse(fx)
    before = (RequestComment.objects.count(), JournalEntry.objects.count())
    status, data = api["requester"].post(f"requested-items/{item.number}/{path}", body)
    assert status == 422, data
    assert field in fields_of(data)
    assert (RequestComment.objects.count(), JournalEntry.objects.count()) == before


def test_item_patch_bad_input(fx, api):
    item = _order_mouse(fx)
    for body, field in (
        ({"version": item.version, "assignee": fx["people"]["outsider"].pk}, "assignee"),
        ({"version": item.version, "assignee": 999999}, "assignee"),
        ({"assignee": None}, "version"),
        ({"version": item.version, "group": 999999}, "group"),
    ):
        status, data = api["desk"].patch(f"requested-items/{item.number}", body)
        assert status == 422, (body, data)
        assert field in fields_of(data)
    item.refresh_from_db()
    assert item.assignee_id is None


def test_attachments_upload_and_download(fx, api):
    item = _order_mouse(fx)
    client = Client()
    token = api["requester"].headers
    response = client.post(
        f"/api/v1/requested-items/{item.number}/attachments",
        {"file": _file(b"hello")},
        headers=token,
    )
    assert response.status_code == 201, response.content
    download = response.json()["download"]
    got = client.get(download, headers=token)
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"hello"
    assert got["Content-Disposition"].startswith("attachment")
    # the outsider of another organisation: 404, as if it did not exist
    assert client.get(download, headers=api["outsider"].headers).status_code == 404
    bad = client.post(
        f"/api/v1/requested-items/{item.number}/attachments",
        {"file": _file(b"\x00\x01binary")},
        headers=token,
    )
    assert bad.status_code == 422 and "file" in bad.json()["error"]["fields"]


def _file(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("note.txt", content, content_type="text/plain")


def test_upload_for_an_attachment_question(fx, api):
    p = fx["people"]
    item = ops.create_catalog_item(
        p["admin"],
        name="Scan",
        service=fx["services"]["retail_live"],
        category=fx["category"],
        fulfilment_group=fx["desk"],
        form=[{"name": "doc", "label": "Document", "type": "attachment", "required": True}],
    )
    client = Client()
    response = client.post(
        "/api/v1/request-uploads", {"file": _file(b"id card")}, headers=api["requester"].headers
    )
    assert response.status_code == 201
    upload = response.json()["id"]
    # someone else cannot use it
    status, data = api["outsider"].post(
        "requests", {"items": [{"catalog_item": item.pk, "answers": {"doc": upload}}]}
    )
    assert status == 422 and "answers.doc" in fields_of(data)
    status, data = api["requester"].post(
        "requests", {"items": [{"catalog_item": item.pk, "answers": {"doc": upload}}]}
    )
    assert status == 201
    ritm = data["items"][0]["number"]
    status, detail = api["requester"].get(f"requested-items/{ritm}")
    assert [a["name"] for a in detail["attachments"]] == ["note.txt"]


def test_requested_items_list_queues(fx, api):
    p = fx["people"]
    item = _order_mouse(fx)
    status, data = api["desk"].get("requested-items", queue="my_groups")
    assert status == 200 and [i["number"] for i in data["items"]] == [item.number]
    status, data = api["agent"].get("requested-items", queue="my_groups")
    assert data["count"] == 0
    status, data = api["requester"].get("requested-items")
    assert [i["number"] for i in data["items"]] == [item.number]
    assert "owning_group" not in data["items"][0] or data["items"][0]["owning_group"] is None
    status, data = api["desk"].get("requested-items", queue="nope")
    assert status == 422 and "queue" in fields_of(data)
    assert p


# --- tasks ---------------------------------------------------------------------------------------


def test_tasks_list_and_work(fx, api):
    p = fx["people"]
    item = _order_mouse(fx)
    task = item.tasks.get()
    status, data = api["desk"].get("tasks", queue="my_groups")
    assert status == 200 and [t["number"] for t in data["items"]] == [task.number]
    status, data = api["desk"].patch(
        f"tasks/{task.number}", {"version": task.version, "assignee": p["desk"].pk}
    )
    assert status == 200 and data["assignee"]["username"] == "desk"
    status, data = api["desk"].get("tasks", mine="true")
    assert [t["number"] for t in data["items"]] == [task.number]
    status, data = api["desk"].patch(
        f"tasks/{task.number}", {"version": data["items"][0]["version"], "action": "start"}
    )
    assert status == 200 and data["status"] == "in_progress"
    status, _stale = api["desk"].patch(
        f"tasks/{task.number}", {"version": 1, "action": "close", "outcome": "complete"}
    )
    assert status == 409
    status, data = api["desk"].patch(
        f"tasks/{task.number}",
        {"version": data["version"], "action": "close", "outcome": "complete", "notes": "Done"},
    )
    assert status == 200 and data["status"] == "closed_complete"
    item.refresh_from_db()
    assert item.status == "fulfilled"


def test_tasks_refused_to_other_groups_and_requesters(fx, api):
    task = _order_mouse(fx).tasks.get()
    status, data = api["agent"].patch(f"tasks/{task.number}", {"version": 1, "action": "start"})
    assert status == 403
    assert api["requester"].get(f"tasks/{task.number}")[0] == 404
    status, data = api["requester"].get("tasks")
    assert status == 200 and data["count"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "start"}, "version"),
        ({"version": 1, "action": "fly"}, "action"),
        ({"version": 1, "action": "close"}, "outcome"),
        ({"version": 1, "action": "close", "outcome": "maybe"}, "outcome"),
        ({"version": 1, "action": "close", "outcome": "incomplete"}, "notes"),
        ({"version": 1, "assignee": 999999}, "assignee"),
        ({"version": 1, "colour": "red"}, "colour"),
    ],
)
def test_task_patch_bad_input(fx, api, body, field):
    task = _order_mouse(fx).tasks.get()
    status, data = api["desk"].patch(f"tasks/{task.number}", body)
    assert status == 422, data
    assert field in fields_of(data)
    task.refresh_from_db()
    assert task.status == "open" and task.version == 1


def test_task_list_bad_filters(fx, api):
    for params, field in (({"status": "done"}, "status"), ({"group": "x"}, "group")):
        status, data = api["desk"].get("tasks", **params)
        assert status == 422 and field in fields_of(data)


# --- recurring requests --------------------------------------------------------------------------


def test_recurring_create_list_pause(fx, api):
    p = fx["people"]
    first = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).replace(microsecond=0)
    body = {
        "name": "Monthly mouse",
        "catalog_item": fx["mouse"].pk,
        "requested_for": p["requester"].pk,
        "cadence": "monthly",
        "day": 1,
        "next_run_at": first.isoformat(),
    }
    status, data = api["agent"].post("recurring-requests", body)
    assert status == 201 and data["cadence"] == "monthly"
    status, listing = api["agent"].get("recurring-requests")
    assert [r["name"] for r in listing["items"]] == ["Monthly mouse"]
    status, paused = api["agent"].patch(
        f"recurring-requests/{data['id']}", {"version": data["version"], "is_active": False}
    )
    assert status == 200 and paused["is_active"] is False
    status, _stale = api["agent"].patch(
        f"recurring-requests/{data['id']}", {"version": data["version"], "is_active": True}
    )
    assert status == 409
    assert api["requester"].get("recurring-requests")[1]["count"] == 0
    assert api["requester"].post("recurring-requests", body)[0] == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"cadence": "hourly"}, "cadence"),
        ({"interval": 0}, "interval"),
        ({"cadence": "weekly", "day": 9}, "day"),
        ({"next_run_at": "tomorrow"}, "next_run_at"),
        ({"catalog_item": 999999}, "catalog_item"),
        ({"requested_for": 999999}, "requested_for"),
        ({"catalog_item": "{laptop}", "answers": {}}, "answers.model"),
    ],
)
def test_recurring_bad_input(fx, api, change, field):
    body = {
        "catalog_item": fx["mouse"].pk,
        "requested_for": fx["people"]["requester"].pk,
        "cadence": "monthly",
        "next_run_at": "2030-01-01T08:00:00Z",
    } | change
    if body["catalog_item"] == "{laptop}":
        body["catalog_item"] = fx["laptop"].pk
    status, data = api["agent"].post("recurring-requests", body)
    assert status == 422, data
    assert field in fields_of(data)
    assert not RecurringRequest.objects.exists()


def test_approval_steps_are_in_the_item(fx, api):
    item = ops.order(
        fx["people"]["requester"],
        items=[{"catalog_item": fx["laptop"], "answers": {"model": "light", "cost": 5000}}],
    ).items.get()
    assert len(approval_steps(item)) == 2
    _status, data = api["agent"].get(f"requested-items/{item.number}")
    assert [(s["name"], s["state"]) for s in data["approvals"]] == [
        ("Line manager", "pending"),
        ("Finance", "waiting"),
    ]
    assert not FulfilmentTask.objects.filter(item=item).exists()
