"""POST /api/v1/notifications/read ({"ids": [...]} or {"all": true}) and the list with group
notifications: each member's own read state, nothing of anyone else's."""

from __future__ import annotations

import pytest

from steward.notifications import operations as ops
from steward.notifications import queries
from steward.notifications.models import Notification
from steward.people import operations as people_ops
from steward.people.choices import Role


@pytest.fixture
def team(make_user):
    alice, bob = make_user(), make_user()
    group = people_ops.create_group(None, name="Service desk", members=[alice, bob])
    return alice, bob, group


def _tell(user, subject):
    return ops.notify(None, [user], subject=subject, body="", link="/x").notifications[0]


def _tell_group(group, subject):
    return ops.notify(None, group=group, subject=subject, body="", link="/y").notifications[0]


def test_the_list_shows_my_groups_notifications_with_my_read_state(team, api_as):
    alice, bob, group = team
    _tell(alice, "mine")
    shared = _tell_group(group, "ours")
    ops.mark_read(bob, shared)

    status, body = api_as(alice).get("notifications")
    assert (status, body["count"]) == (200, 2)
    assert [(n["subject"], n["is_read"], n["read_at"]) for n in body["items"]] == [
        ("ours", False, None),
        ("mine", False, None),
    ]
    status, body = api_as(bob).get("notifications")
    assert [(n["subject"], n["is_read"]) for n in body["items"]] == [("ours", True)]
    assert body["items"][0]["read_at"]
    assert api_as(bob).get("notifications", unread="true")[1]["count"] == 0
    assert api_as(bob).get("notifications", unread="false")[1]["count"] == 1
    assert api_as(alice).get("notifications", unread="true")[1]["count"] == 2


def test_the_list_reads_a_constant_number_of_queries_with_group_rows(
    team, api_as, django_assert_max_num_queries
):
    alice, _, group = team
    client = api_as(alice)
    _tell_group(group, "g0")
    with django_assert_max_num_queries(6) as few:
        client.get("notifications")
    for n in range(30):
        _tell_group(group, f"g{n + 1}")
        _tell(alice, f"u{n}")
    ops.mark_read(alice, Notification.objects.get(subject="g3"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        status, body = client.get("notifications", limit=100)
    assert (status, body["count"]) == (200, 61)


def test_mark_some_read_by_id(team, api_as):
    alice, bob, group = team
    mine, shared = _tell(alice, "mine"), _tell_group(group, "ours")
    status, body = api_as(alice).post("notifications/read", {"ids": [mine.pk, shared.pk]})
    assert (status, body) == (200, {"updated": 2})
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert queries.unread_count(alice) == 0 and queries.unread_count(bob) == 1
    assert api_as(alice).post("notifications/read", {"ids": [mine.pk]}) == (200, {"updated": 0})


def test_mark_all_read(team, api_as):
    alice, bob, group = team
    _tell(alice, "mine")
    _tell_group(group, "one")
    _tell_group(group, "two")
    status, body = api_as(alice).post("notifications/read", {"all": True})
    assert (status, body) == (200, {"updated": 3})
    assert queries.unread_count(alice) == 0 and queries.unread_count(bob) == 2


def test_ids_of_other_peoples_notifications_are_ignored_like_missing_ones(
    team, api_as, make_user, make_org
):
    alice, bob, group = team
    outsider = make_user(roles=[Role.REQUESTER], organization=make_org())
    theirs = [_tell(alice, "alice's"), _tell_group(group, "the desk's")]
    client = api_as(outsider)
    status, body = client.post("notifications/read", {"ids": [n.pk for n in theirs]})
    assert (status, body) == (200, {"updated": 0})
    assert client.post("notifications/read", {"ids": [10**12]}) == (200, {"updated": 0})
    assert client.get("notifications")[1]["count"] == 0
    assert client.post(f"notifications/{theirs[1].pk}/read")[0] == 404
    assert queries.unread_count(alice) == 2 and queries.unread_count(bob) == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "ids"),
        ({"ids": [1], "all": True}, "all"),
        ({"all": False}, "all"),
        ({"all": "yes"}, "all"),
        ({"all": None}, "all"),
        ({"ids": None}, "ids"),
        ({"ids": "1,2"}, "ids"),
        ({"ids": [0]}, "ids.0"),
        ({"ids": ["1"]}, "ids"),
        ({"ids": list(range(1, 202))}, "ids"),
        ({"ids": [1], "every": True}, "every"),
    ],
)
def test_bad_input_is_refused_naming_the_field(team, api_as, payload, field):
    alice, _, group = team
    _tell_group(group, "ours")
    status, body = api_as(alice).post("notifications/read", payload)
    assert status == 422, body
    assert body["error"]["code"] in {"invalid", "validation_error"}
    assert field in body["error"]["fields"], body
    assert queries.unread_count(alice) == 1


def test_a_read_token_cannot_mark(team, api_as):
    alice, _, group = team
    _tell_group(group, "ours")
    status, body = api_as(alice, scope="read").post("notifications/read", {"all": True})
    assert (status, body["error"]["code"]) == (403, "forbidden")
    assert queries.unread_count(alice) == 1


def test_mark_one_group_notification_through_the_old_endpoint(team, api_as):
    alice, bob, group = team
    shared = _tell_group(group, "ours")
    status, body = api_as(alice).post(f"notifications/{shared.pk}/read")
    assert status == 200
    assert (body["id"], body["is_read"]) == (shared.pk, True) and body["read_at"]
    assert queries.unread_count(bob) == 1
    status, body = api_as(alice).post("notifications/read-all")
    assert (status, body) == (200, {"updated": 0})
