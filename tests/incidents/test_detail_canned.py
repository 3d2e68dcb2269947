"""Saved (canned) replies: personal and per group, kept through operations, offered on the
incident page's reply form, managed on their page and through the API."""

from __future__ import annotations

import pytest

from steward.core.errors import Conflict, PermissionDenied, ValidationError
from steward.core.models import JournalEntry
from steward.incidents import operations as ops
from steward.incidents.models import CannedReply

pytestmark = pytest.mark.django_db


def test_personal_and_group_replies_and_who_keeps_them(desk):
    agent, desk2, dba = desk["people"]["agent"], desk["desk2"], desk["dba"]
    mine = ops.create_canned_reply(desk2, title="Restart", body="Please restart the app.")
    shared = ops.create_canned_reply(
        agent, title="Password", body="Use the self-service portal.", group=desk["groups"]["desk"]
    )
    assert (mine.owner, mine.group, shared.owner) == (desk2, None, None)
    assert JournalEntry.objects.for_record(mine).get().action == "created"

    # a member uses the group's replies, but only its manager keeps them
    visible = set(CannedReply.objects.for_user(desk2, "view").values_list("title", flat=True))
    assert visible == {"Restart", "Password"}
    assert not CannedReply.objects.for_user(dba, "view").exists()
    with pytest.raises(PermissionDenied):
        ops.create_canned_reply(desk2, title="X", body="y", group=desk["groups"]["desk"])
    with pytest.raises(PermissionDenied):
        ops.delete_canned_reply(desk2, shared)
    with pytest.raises(PermissionDenied):
        ops.update_canned_reply(agent, mine, version=mine.version, title="Mine", body="now")

    ops.update_canned_reply(desk2, mine, version=mine.version, title="Restart it", body="Again.")
    with pytest.raises(Conflict):
        ops.update_canned_reply(desk2, mine, version=1, title="Stale", body="Stale")
    with pytest.raises(Conflict):
        ops.create_canned_reply(desk2, title="Restart it", body="twice")
    with pytest.raises(ValidationError) as refused:
        ops.create_canned_reply(desk2, title=" ", body="text")
    assert refused.value.message == "Give the saved reply a short title."
    with pytest.raises(PermissionDenied):
        ops.create_canned_reply(desk["people"]["requester"], title="Hi", body="there")
    ops.delete_canned_reply(agent, shared)
    assert CannedReply.objects.count() == 1


def test_the_reply_form_offers_them_and_the_page_manages_them(desk, open_one, client_for):
    desk2 = desk["desk2"]
    ops.create_canned_reply(desk2, title="Restart", body="Please <restart> the app.")
    incident = open_one()
    html = client_for(desk2).get(f"/incidents/{incident.number}/").content.decode()
    assert "Insert a saved reply" in html
    assert 'data-body="Please &lt;restart&gt; the app."' in html
    requester = client_for(desk["people"]["requester"])
    assert (
        "Insert a saved reply"
        not in requester.get(f"/incidents/{incident.number}/").content.decode()
    )
    assert requester.get("/incidents/replies/").status_code == 404

    client = client_for(desk2)
    page = client.post(
        "/incidents/replies/", {"title": "Logs", "body": "Send us the log."}, follow=True
    )
    assert "The saved reply has been added." in page.content.decode()
    page = client.post("/incidents/replies/", {"title": "", "body": ""})
    assert "Give the saved reply a short title." in page.content.decode()
    reply = CannedReply.objects.get(title="Logs")
    client.post(f"/incidents/replies/{reply.pk}/delete/")
    assert not CannedReply.objects.filter(title="Logs").exists()


def test_the_api(desk, api_as):
    desk2, dba = desk["desk2"], desk["dba"]
    api = api_as(desk2)
    status, body = api.post("canned-replies", {"title": "Restart", "body": "Please restart."})
    assert status == 201 and body["personal"] is True
    reply_id = body["id"]
    status, body = api.get("canned-replies")
    assert status == 200 and [r["title"] for r in body["items"]] == ["Restart"]
    status, body = api.patch(
        f"canned-replies/{reply_id}", {"version": 1, "title": "Restart it", "body": "Please."}
    )
    assert status == 200 and body["version"] == 2
    status, body = api.patch(
        f"canned-replies/{reply_id}", {"version": 1, "title": "Stale", "body": "x"}
    )
    assert status == 409 and body["error"]["code"] == "stale_version"
    status, body = api.post("canned-replies", {"title": "", "body": "x"})
    assert status == 422 and "title" in body["error"]["fields"]
    status, body = api.post(
        "canned-replies", {"title": "G", "body": "x", "group": desk["groups"]["desk"].pk}
    )
    assert status == 403
    assert api_as(dba).get(f"canned-replies/{reply_id}")[0] == 404
    assert api_as(dba).delete(f"canned-replies/{reply_id}")[0] == 404
    assert api.delete(f"canned-replies/{reply_id}")[0] == 204
