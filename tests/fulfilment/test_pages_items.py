# ruff: noqa: F811  (shop is the fixture imported from test_pages_fixtures)
"""The requested-items pages (IT staff): the queue with its counts, filters and CSV export;
an item with its answers in words, tasks, conversation, files and history; assigning,
commenting, cancelling (with the version read: a stale one is refused, nothing written);
a request's page. Requesters find none of it (the portal is theirs)."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from steward.core import operations as core_ops
from steward.fulfilment import operations as ops
from steward.fulfilment.models import RequestAttachment, RequestComment
from tests.fulfilment.test_pages_fixtures import shop  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def mouse(shop):
    """A catalog item approved at once (no approval step), one task for the desk."""
    return ops.create_catalog_item(
        shop["people"]["admin"],
        name="Mouse",
        service=shop["services"]["retail_live"],
        category=shop["category"],
        fulfilment_group=shop["desk"],
        form=[
            {
                "name": "hand",
                "label": "Hand",
                "type": "choice",
                "required": True,
                "choices": [
                    {"value": "left", "label": "Left-handed"},
                    {"value": "right", "label": "Right-handed"},
                ],
            }
        ],
        task_templates=[{"name": "Bring the mouse", "group": shop["desk"].pk, "stage": 1}],
    )


@pytest.fixture
def ordered(shop, mouse):
    """The requester's order of a mouse: RITM approved at once, its task open."""
    order = ops.order(
        shop["people"]["requester"],
        items=[{"catalog_item": mouse, "answers": {"hand": "left"}}],
    )
    return order.items.get()


def test_the_queue_lists_items_for_it_staff_only(shop, ordered, client_for):
    people = shop["people"]
    page = client_for(people["desk"]).get("/requests/?queue=all")
    assert page.status_code == 200
    text = page.content.decode()
    assert ordered.number in text and "Mouse" in text
    assert client_for(people["requester"]).get("/requests/").status_code == 404
    # the queue counts are shown beside the queues
    assert "(1)" in text


def test_the_queue_filters_and_sorts(shop, ordered, client_for):
    client = client_for(shop["people"]["desk"])
    assert ordered.number in client.get("/requests/?queue=all&q=Mouse").content.decode()
    cancelled = client.get("/requests/?queue=all&status=cancelled").content.decode()
    assert ordered.number not in cancelled
    # htmx asks for the results only
    partial = client.get(
        "/requests/?queue=all&sort=-number", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    )
    assert partial.status_code == 200
    assert b"<html" not in partial.content and ordered.number.encode() in partial.content
    assert client.get("/requests/?queue=nonsense&sort=nonsense&page=x").status_code == 200


def test_the_export_is_csv_of_the_filtered_list(shop, ordered, client_for):
    response = client_for(shop["people"]["desk"]).get("/requests/export.csv?queue=all")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "Number"
    assert rows[1][0] == ordered.number and rows[1][2] == "Mouse"
    assert client_for(shop["people"]["requester"]).get("/requests/export.csv").status_code == 404


def test_the_item_page_shows_answers_tasks_and_history(shop, ordered, client_for):
    page = client_for(shop["people"]["desk"]).get(f"/requests/{ordered.number}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Left-handed" in text  # the choice's label, not its value
    assert "Bring the mouse" in text
    assert ordered.request.number in text
    assert f'action="/requests/{ordered.number}/assign/"' in text
    assert (
        client_for(shop["people"]["requester"]).get(f"/requests/{ordered.number}/").status_code
        == 404
    )
    assert client_for(shop["people"]["desk"]).get("/requests/RITM9999999/").status_code == 404


def test_a_hidden_question_is_not_shown(shop, client_for):
    laptop = shop["laptop"]
    order = ops.order(
        shop["people"]["requester"],
        items=[{"catalog_item": laptop, "answers": {"model": "light", "cost": 1200}}],
    )
    item = order.items.get()
    text = client_for(shop["people"]["desk"]).get(f"/requests/{item.number}/").content.decode()
    assert "Light" in text and "1200" in text
    assert "Why the power model" not in text


def test_work_notes_and_replies(shop, ordered, client_for):
    client = client_for(shop["people"]["desk"])
    url = f"/requests/{ordered.number}/comment/"
    assert client.post(url, {"body": "Checked stock", "visibility": "internal"}).status_code == 302
    assert client.post(url, {"body": "On its way", "visibility": "public"}).status_code == 302
    kinds = list(RequestComment.objects.order_by("id").values_list("visibility", "body"))
    assert kinds == [("internal", "Checked stock"), ("public", "On its way")]
    text = client.get(f"/requests/{ordered.number}/").content.decode()
    assert "Checked stock" in text and "work note" in text
    # bad input: nothing written
    assert client.post(url, {"body": "", "visibility": "internal"}).status_code == 422
    assert client.post(url, {"body": "x", "visibility": "shout"}).status_code == 422
    assert RequestComment.objects.count() == 2


def test_assign_to_a_member_of_the_group(shop, ordered, client_for):
    people = shop["people"]
    desk = shop["desk"].pk
    client = client_for(people["desk"])
    url = f"/requests/{ordered.number}/assign/"
    response = client.post(
        url, {"group": desk, "assignee": people["lead"].pk, "version": ordered.version}
    )
    assert response.status_code == 302
    ordered.refresh_from_db()
    assert ordered.assignee == people["lead"]
    # someone outside the group cannot be chosen
    bad = client.post(
        url, {"group": desk, "assignee": people["stranger"].pk, "version": ordered.version}
    )
    assert bad.status_code == 422
    assert client.post(url, {"assignee": people["lead"].pk}).status_code == 422  # no group
    ordered.refresh_from_db()
    assert ordered.assignee == people["lead"]
    # someone outside the group cannot assign
    assert (
        client_for(people["stranger"])
        .post(url, {"group": desk, "assignee": people["desk"].pk, "version": ordered.version})
        .status_code
        == 404
    )


def test_move_the_item_to_another_group(shop, ordered, client_for):
    people = shop["people"]
    network = shop["group"]
    client = client_for(people["desk"])
    response = client.post(
        f"/requests/{ordered.number}/assign/",
        {"group": network.pk, "assignee": people["agent"].pk, "version": ordered.version},
    )
    assert response.status_code == 302
    ordered.refresh_from_db()
    assert ordered.owning_group == network and ordered.assignee == people["agent"]


def test_cancel_needs_a_reason_and_the_current_version(shop, ordered, client_for):
    client = client_for(shop["people"]["desk"])
    url = f"/requests/{ordered.number}/cancel/"
    assert client.post(url, {"reason": "", "version": ordered.version}).status_code == 422
    stale = client.post(url, {"reason": "Not needed", "version": ordered.version - 1})
    assert stale.status_code == 409
    ordered.refresh_from_db()
    assert ordered.status != "cancelled"
    response = client.post(url, {"reason": "Not needed", "version": ordered.version})
    assert response.status_code == 302
    ordered.refresh_from_db()
    assert ordered.status == "cancelled" and ordered.cancel_reason == "Not needed"


def test_attach_and_download(shop, ordered, client_for):
    client = client_for(shop["people"]["desk"])
    upload = SimpleUploadedFile("notes.txt", b"serial 123", content_type="text/plain")
    response = client.post(
        f"/requests/{ordered.number}/attach/", {"file": upload, "visibility": "internal"}
    )
    assert response.status_code == 302
    attachment = RequestAttachment.objects.get(item=ordered)
    url = f"/requests/{ordered.number}/attachments/{attachment.pk}/"
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"serial 123"
    assert "attachment" in download["Content-Disposition"]
    # another item's number does not serve it; a requester finds nothing here
    assert client.get(f"/requests/RITM9999999/attachments/{attachment.pk}/").status_code == 404
    assert client_for(shop["people"]["requester"]).get(url).status_code == 404


def test_the_request_page_lists_its_items(shop, ordered, client_for):
    number = ordered.request.number
    page = client_for(shop["people"]["desk"]).get(f"/requests/req/{number}/")
    assert page.status_code == 200
    assert ordered.number in page.content.decode()
    assert (
        client_for(shop["people"]["requester"]).get(f"/requests/req/{number}/").status_code == 404
    )


def test_the_item_page_shows_its_approval_flow(shop, client_for):
    order = ops.order(
        shop["people"]["requester"],
        items=[{"catalog_item": shop["laptop"], "answers": {"model": "light"}}],
    )
    item = order.items.get()
    assert item.status == "awaiting_approval"
    text = client_for(shop["people"]["desk"]).get(f"/requests/{item.number}/").content.decode()
    assert "Budget" in text  # the step's name
    assert "the tasks are made when the item is approved" in text.lower()
    assert "Approve or reject" not in text  # the desk is not asked
    boss = client_for(shop["people"]["boss"]).get(f"/requests/{item.number}/").content.decode()
    assert "Approve or reject: Budget" in boss


def test_the_pages_answer_404_while_the_practice_is_off(shop, ordered, client_for):
    core_ops.set_practice_enabled(shop["people"]["admin"], "fulfilment", False)
    client = client_for(shop["people"]["desk"])
    for url in ("/requests/", f"/requests/{ordered.number}/", "/requests/tasks/"):
        assert client.get(url).status_code == 404
    assert client_for(shop["people"]["admin"]).get("/requests/catalog/").status_code == 404


def test_the_queues_read_a_constant_number_of_statements(shop, mouse, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(shop["people"]["admin"])

    def statements(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    def order(n):
        for _ in range(n):
            ops.order(
                shop["people"]["requester"],
                items=[{"catalog_item": mouse, "answers": {"hand": "right"}}],
            )

    order(1)
    urls = ("/requests/?queue=all", "/requests/tasks/?queue=all", "/requests/catalog/")
    few = [statements(url) for url in urls]
    order(4)
    assert [statements(url) for url in urls] == few
