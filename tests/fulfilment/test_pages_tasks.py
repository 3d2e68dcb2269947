# ruff: noqa: F811  (shop is the fixture imported from test_pages_fixtures)
"""The task pages: the queue of my groups' tasks, a task's page with the buttons its group's
members have (start, close complete or incomplete with notes, assign), the item fulfilled
when its last task closes; people outside the group see the task but cannot act on it;
requesters find nothing; and the recurring requests' page with their next run."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from steward.fulfilment import operations as ops
from steward.fulfilment.models import FulfilmentTask, RecurringRequest
from tests.fulfilment.test_pages_fixtures import shop  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(shop):
    """A keyboard ordered by the requester: approved at once, two tasks in two stages."""
    keyboard = ops.create_catalog_item(
        shop["people"]["admin"],
        name="Keyboard",
        service=shop["services"]["retail_live"],
        category=shop["category"],
        fulfilment_group=shop["desk"],
        task_templates=[
            {"name": "Take one from stock", "group": shop["desk"].pk, "stage": 1},
            {"name": "Deliver it", "group": shop["desk"].pk, "stage": 2},
        ],
    )
    order = ops.order(shop["people"]["requester"], items=[{"catalog_item": keyboard}])
    return order.items.get()


def tasks_of(item):
    return list(FulfilmentTask.objects.filter(item=item).order_by("stage", "id"))


def test_the_queue_shows_my_groups_tasks(shop, item, client_for):
    first, second = tasks_of(item)
    client = client_for(shop["people"]["desk"])
    page = client.get("/requests/tasks/")
    assert page.status_code == 200
    text = page.content.decode()
    assert first.number in text and "Take one from stock" in text
    everything = client.get("/requests/tasks/?status=any&queue=" + "all").content.decode()
    assert second.number in everything
    assert client_for(shop["people"]["requester"]).get("/requests/tasks/").status_code == 404
    partial = client.get("/requests/tasks/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert b"<html" not in partial.content


def test_work_a_task_to_the_item_fulfilled(shop, item, client_for):
    client = client_for(shop["people"]["desk"])
    first, second = tasks_of(item)
    page = client.get(f"/requests/tasks/{first.number}/").content.decode()
    assert "Start" in page and "Close the task" in page
    assert (
        client.post(
            f"/requests/tasks/{first.number}/start/", {"version": first.version}
        ).status_code
        == 302
    )
    first.refresh_from_db()
    assert first.status == "in_progress"
    response = client.post(
        f"/requests/tasks/{first.number}/close/",
        {"outcome": "complete", "notes": "Taken", "version": first.version},
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == "open"  # the next stage opened
    response = client.post(
        f"/requests/tasks/{second.number}/close/",
        {"outcome": "complete", "notes": "", "version": second.version},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "fulfilled"


def test_closing_incomplete_needs_notes(shop, item, client_for):
    client = client_for(shop["people"]["desk"])
    first, _second = tasks_of(item)
    response = client.post(
        f"/requests/tasks/{first.number}/close/",
        {"outcome": "incomplete", "notes": "", "version": first.version},
    )
    assert response.status_code == 422
    assert "Say why the task could not be completed." in response.content.decode()
    first.refresh_from_db()
    assert first.status == "open"
    bad = client.post(
        f"/requests/tasks/{first.number}/close/",
        {"outcome": "maybe", "version": first.version},
    )
    assert bad.status_code == 422


def test_a_stale_version_is_refused(shop, item, client_for):
    client = client_for(shop["people"]["desk"])
    first, _second = tasks_of(item)
    read = first.version
    ops.assign_task(shop["people"]["lead"], first, assignee=shop["people"]["lead"], version=read)
    response = client.post(
        f"/requests/tasks/{first.number}/close/",
        {"outcome": "complete", "notes": "", "version": read},
    )
    assert response.status_code == 409
    first.refresh_from_db()
    assert first.status == "open"


def test_assign_to_a_member_of_the_tasks_group(shop, item, client_for):
    people = shop["people"]
    client = client_for(people["desk"])
    first, _second = tasks_of(item)
    url = f"/requests/tasks/{first.number}/assign/"
    assert (
        client.post(url, {"assignee": people["lead"].pk, "version": first.version}).status_code
        == 302
    )
    first.refresh_from_db()
    assert first.assignee == people["lead"]
    bad = client.post(url, {"assignee": people["stranger"].pk, "version": first.version})
    assert bad.status_code == 422


def test_outside_the_group_the_task_is_read_only(shop, item, client_for):
    client = client_for(shop["people"]["stranger"])
    first, _second = tasks_of(item)
    page = client.get(f"/requests/tasks/{first.number}/")
    assert page.status_code == 200
    assert "Close the task" not in page.content.decode()
    response = client.post(f"/requests/tasks/{first.number}/start/", {"version": first.version})
    assert response.status_code == 404
    first.refresh_from_db()
    assert first.status == "open"
    assert (
        client_for(shop["people"]["requester"]).get(f"/requests/tasks/{first.number}/").status_code
        == 404
    )
    assert client.post(f"/requests/tasks/{first.number}/explode/").status_code == 404


def test_the_recurring_page_shows_the_next_run_and_pauses(shop, client_for):
    people = shop["people"]
    review = ops.create_catalog_item(
        people["admin"],
        name="Access review",
        service=shop["services"]["retail_live"],
        category=shop["category"],
        fulfilment_group=shop["desk"],
    )
    next_run = timezone.now() + dt.timedelta(days=3)
    recurring = ops.create_recurring(
        people["admin"],
        catalog_item=review,
        requested_for=people["desk"],
        answers={},
        cadence="monthly",
        next_run_at=next_run,
        name="Monthly access review",
    )
    client = client_for(people["admin"])
    page = client.get("/requests/recurring/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Monthly access review" in text
    assert next_run.date().isoformat() in text  # the <time datetime=...> of the next run
    response = client.post(
        f"/requests/recurring/{recurring.pk}/toggle/", {"version": recurring.version}
    )
    assert response.status_code == 302
    assert RecurringRequest.objects.get().is_active is False
    # someone who does not manage it cannot pause it; requesters find nothing
    assert (
        client_for(people["stranger"])
        .post(f"/requests/recurring/{recurring.pk}/toggle/", {"version": recurring.version})
        .status_code
        == 404
    )
    assert client_for(people["requester"]).get("/requests/recurring/").status_code == 404


def test_set_up_a_recurring_request_from_the_page(shop, client_for):
    """First the item, then its schedule beside the item's own questions (no JSON): a choice
    by its label, the visible-if condition carried with the page's prefix; an answer the item
    refuses is shown beside its question and nothing is written."""
    people = shop["people"]
    laptop = shop["laptop"]
    client = client_for(people["admin"])
    first = client.get("/requests/recurring/new/").content.decode()
    assert 'name="catalog_item"' in first and 'name="answer-model"' not in first
    second = client.get("/requests/recurring/new/", {"catalog_item": laptop.pk}).content.decode()
    assert 'name="answer-model"' in second and ">Light<" in second
    assert "&quot;field&quot;: &quot;answer-model&quot;" in second  # why: only for power
    assert client.get("/requests/recurring/new/", {"catalog_item": "x"}).status_code == 200
    data = {
        "name": "Monthly laptop check",
        "catalog_item": laptop.pk,
        "requested_for": people["desk"].pk,
        "quantity": "1",
        "cadence": "monthly",
        "interval": "1",
        "next_run_at": "2030-01-31T09:00",
        "answer-model": "light",
        "answer-cost": "120",
    }
    bad = client.post("/requests/recurring/new/", {**data, "answer-model": "golden"})
    assert bad.status_code == 422
    assert 'id="id_answer-model_error"' in bad.content.decode()
    missing = client.post("/requests/recurring/new/", {**data, "answer-model": "power"})
    assert missing.status_code == 422  # the visible "why" is required, beside it
    assert 'id="id_answer-why_error"' in missing.content.decode()
    assert not RecurringRequest.objects.exists()
    assert client.post("/requests/recurring/new/", data).status_code == 302
    recurring = RecurringRequest.objects.get()
    assert recurring.answers == {"model": "light", "cost": 120} and recurring.day == 31
    assert client_for(people["requester"]).get("/requests/recurring/new/").status_code == 404
