"""/api/v1/notifications: each user reads and marks only their own notifications."""

from __future__ import annotations

import functools
import json

import jsonschema
import pytest

from steward.notifications import operations as ops
from steward.notifications.models import Notification
from steward.people.choices import Role


@pytest.fixture(params=[Role.REQUESTER, Role.AGENT])
def me(request, make_user):
    return make_user(roles=[request.param])


@functools.cache
def _spec() -> dict:
    from steward.api import api

    return json.loads(json.dumps(api.get_openapi_schema()))  # as served: string status keys


def conforms(method: str, template: str, status: int, body) -> None:
    """The response matches what the OpenAPI document promises for that status."""
    spec = _spec()
    operation = spec["paths"][f"/api/v1/notifications{template}"][method]
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    jsonschema.Draft202012Validator({**schema, "components": spec["components"]}).validate(body)


def _tell(user, *subjects):
    return [
        ops.notify(
            None, [user], subject=s, body=f"About {s}", link="/x", email=False
        ).notifications[0]
        for s in subjects
    ]


def test_list_shows_only_my_notifications_newest_first(me, make_user, api_as):
    other = make_user()
    _tell(me, "first", "second")
    _tell(other, "not mine")
    status, body = api_as(me).get("notifications")
    assert status == 200
    conforms("get", "", 200, body)
    assert body["count"] == 2
    assert [n["subject"] for n in body["items"]] == ["second", "first"]
    assert body["items"][0]["is_read"] is False
    assert body["items"][0]["link"] == "/x"


def test_list_filters_unread_and_paginates(me, api_as):
    first, _, _ = _tell(me, "a", "b", "c")
    ops.mark_read(me, first)
    client = api_as(me)
    status, body = client.get("notifications", unread="true")
    assert (status, body["count"]) == (200, 2)
    assert {n["subject"] for n in body["items"]} == {"b", "c"}
    status, body = client.get("notifications", unread="false")
    assert [n["subject"] for n in body["items"]] == ["a"]
    status, body = client.get("notifications", limit=1, offset=1)
    assert (body["count"], body["limit"], body["offset"]) == (3, 1, 1)
    assert [n["subject"] for n in body["items"]] == ["b"]


def test_list_rejects_bad_parameters(me, api_as):
    status, body = api_as(me).get("notifications", limit=0)
    assert status == 422
    conforms("get", "", 422, body)
    assert "limit" in body["error"]["fields"]


def test_list_reads_a_constant_number_of_queries(me, api_as, django_assert_max_num_queries):
    client = api_as(me)
    _tell(me, *[f"n{i}" for i in range(3)])
    with django_assert_max_num_queries(6) as few:
        client.get("notifications")
    _tell(me, *[f"m{i}" for i in range(30)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        status, body = client.get("notifications")
    assert (status, body["count"]) == (200, 33)


def test_mark_one_read(me, api_as):
    (note,) = _tell(me, "a")
    status, body = api_as(me).post(f"notifications/{note.pk}/read")
    assert status == 200
    conforms("post", "/{notification_id}/read", 200, body)
    assert body["id"] == note.pk and body["is_read"] is True and body["read_at"]
    note.refresh_from_db()
    assert note.read_at is not None


def test_another_users_notification_answers_exactly_like_a_missing_one(me, make_user, api_as):
    (theirs,) = _tell(make_user(), "secret")
    client = api_as(me)
    status, body = client.post(f"notifications/{theirs.pk}/read")
    missing_status, missing = client.post(f"notifications/{theirs.pk + 1000}/read")
    assert status == missing_status == 404
    conforms("post", "/{notification_id}/read", 404, body)
    assert body["error"]["code"] == missing["error"]["code"] == "not_found"
    assert body["error"]["message"].replace(str(theirs.pk), "N") == missing["error"][
        "message"
    ].replace(str(theirs.pk + 1000), "N")
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_read_all_marks_only_mine(me, make_user, api_as):
    other = make_user()
    _tell(me, "a", "b")
    _tell(other, "c")
    status, body = api_as(me).post("notifications/read-all")
    conforms("post", "/read-all", 200, body)
    assert (status, body) == (200, {"updated": 2})
    assert not Notification.objects.filter(recipient=me, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 1


def test_anonymous_callers_are_refused(api_as):
    status, body = api_as(None).get("notifications")
    assert status == 401
    conforms("get", "", 401, body)
    assert body["error"]["code"] == "not_authenticated"


def test_a_read_token_can_list_but_not_mark(me, api_as):
    (note,) = _tell(me, "a")
    client = api_as(me, scope="read")
    assert client.get("notifications")[0] == 200
    status, body = client.post(f"notifications/{note.pk}/read")
    conforms("post", "/{notification_id}/read", 403, body)
    assert (status, body["error"]["code"]) == (403, "forbidden")
    note.refresh_from_db()
    assert note.read_at is None
