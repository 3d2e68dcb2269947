"""Organisation isolation: a requester never sees another organisation's requests — not in the
lists, counts, search, detail, tasks, comments, attachments or the catalog's restricted items."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from steward.core.registry import search_providers
from steward.fulfilment import lists
from steward.fulfilment import operations as ops
from steward.fulfilment.models import (
    CatalogItem,
    FulfilmentTask,
    Request,
    RequestAttachment,
    RequestComment,
    RequestedItem,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_orgs(fx, api_as):
    p = fx["people"]
    ours = ops.order(p["requester"], items=[{"catalog_item": fx["mouse"]}]).items.get()
    theirs = ops.order(p["outsider"], items=[{"catalog_item": fx["mouse"]}]).items.get()
    for item in (ours, theirs):
        ops.add_comment(p["desk"], item, body=f"Reply on {item.number}", visibility="public")
        ops.add_attachment(
            p["desk"], item, SimpleUploadedFile("a.txt", b"secret " + item.number.encode())
        )
    return {"ours": ours, "theirs": theirs, "api": api_as(p["requester"])}


def test_querysets_hide_the_other_organisation(fx, two_orgs):
    me = fx["people"]["requester"]
    theirs = two_orgs["theirs"]
    assert not RequestedItem.objects.for_user(me).filter(pk=theirs.pk).exists()
    assert not Request.objects.for_user(me).filter(pk=theirs.request_id).exists()
    assert not FulfilmentTask.objects.for_user(me).filter(item=theirs).exists()
    assert not RequestComment.objects.for_user(me).filter(item=theirs).exists()
    assert not RequestAttachment.objects.for_user(me).filter(item=theirs).exists()
    # the neighbour of the same organisation sees ours
    assert (
        RequestedItem.objects.for_user(fx["people"]["neighbour"])
        .filter(pk=two_orgs["ours"].pk)
        .exists()
    )


def test_lists_and_counts(fx, two_orgs):
    me = fx["people"]["requester"]
    assert [i.number for i in lists.items_filtered(me)] == [two_orgs["ours"].number]
    assert [r.number for r in lists.requests_filtered(me)] == [two_orgs["ours"].request.number]
    assert lists.item_queue_counts(me)["all"] == 1
    # a requester's own item's tasks only (names and states reach them, never another's)
    assert lists.task_queue_counts(me) == {"my_groups": 0, "mine": 0, "unassigned": 0, "all": 1}
    assert {t.item_id for t in lists.tasks_filtered(me, None)} == {two_orgs["ours"].pk}


def test_api_lists_detail_and_search(fx, two_orgs):
    api = two_orgs["api"]
    theirs = two_orgs["theirs"]
    _, data = api.get("requests")
    assert [r["number"] for r in data["items"]] == [two_orgs["ours"].request.number]
    _, data = api.get("requested-items", status="any")
    assert data["count"] == 1
    _, data = api.get("requests", q=theirs.number)
    assert data["count"] == 0
    assert api.get(f"requested-items/{theirs.number}")[0] == 404
    assert api.get(f"requests/{theirs.request.number}")[0] == 404
    assert api.post(f"requested-items/{theirs.number}/comments", {"body": "hi"})[0] == 404
    assert api.post(f"requested-items/{theirs.number}/cancel", {"reason": "x"})[0] == 404
    me = fx["people"]["requester"]
    for provider in search_providers():
        if provider.key == "requests":
            assert provider.search(me, theirs.number, 10) == []
            assert [h.title.split()[0] for h in provider.search(me, "Mouse", 10)] == [
                two_orgs["ours"].number
            ]


def test_attachments_of_the_other_organisation(fx, two_orgs):
    theirs = two_orgs["theirs"]
    other = RequestAttachment.objects.get(item=theirs)
    client = Client()
    headers = two_orgs["api"].headers
    url = f"/api/v1/requested-items/{theirs.number}/attachments/{other.pk}"
    assert client.get(url, headers=headers).status_code == 404
    # nor through our own item's URL
    ours = two_orgs["ours"].number
    url = f"/api/v1/requested-items/{ours}/attachments/{other.pk}"
    assert client.get(url, headers=headers).status_code == 404


def test_restricted_catalog_items(fx, api_as):
    p = fx["people"]
    secret = ops.create_catalog_item(
        p["admin"],
        name="Trading terminal",
        service=fx["services"]["corporate_live"],
        category=fx["category"],
        fulfilment_group=fx["desk"],
        audience="restricted",
        organizations=[fx["orgs"]["corporate"]],
    )
    assert not CatalogItem.objects.for_user(p["requester"]).filter(pk=secret.pk).exists()
    assert CatalogItem.objects.for_user(p["outsider"]).filter(pk=secret.pk).exists()
    api = api_as(p["requester"])
    assert api.get(f"catalog/items/{secret.pk}")[0] == 404
    status, data = api.get("catalog/items")
    assert "Trading terminal" not in [i["name"] for i in data["items"]]
    status, data = api.post("requests", {"items": [{"catalog_item": secret.pk}]})
    assert status == 422 and "catalog_item" in data["error"]["fields"]
