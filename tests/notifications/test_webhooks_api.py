"""``/api/v1/webhooks`` for scripts: the secret once, bad input named, private targets
refused for anyone but an administrator who allows them, the delivery log."""

from __future__ import annotations

import pytest

from steward.notifications.models import Webhook, WebhookDelivery
from steward.people.choices import Role

PUBLIC = "https://93.184.215.14/hooks"  # a global address: no lookup needed


def test_create_returns_the_secret_once_and_reads_never_again(api_as, admin_user):
    api = api_as(admin_user)
    status, data = api.post("webhooks", {"name": "CMDB", "url": PUBLIC, "events": ["incident.*"]})
    assert status == 201, data
    assert len(data["secret"]) >= 32 and data["secret_set"]
    status, again = api.get(f"webhooks/{data['id']}")
    assert status == 200 and again["secret"] is None and again["secret_set"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "url": "ftp://93.184.215.14/", "events": ["*"]}, "url"),
        ({"name": "x", "url": "http://127.0.0.1:8080/", "events": ["*"]}, "url"),
        ({"name": "x", "url": "http://169.254.169.254/", "events": ["*"]}, "url"),
        ({"name": "x", "url": "http://user:pw@93.184.215.14/", "events": ["*"]}, "url"),
        ({"name": "x", "url": PUBLIC, "events": []}, "events"),
        ({"name": "x", "url": PUBLIC, "events": ["not an event"]}, "events"),
        ({"name": "x", "url": PUBLIC, "events": ["*"], "secret": "short"}, "secret"),
        ({"name": "", "url": PUBLIC, "events": ["*"]}, "name"),
        ({"name": "x", "url": PUBLIC, "events": ["*"], "extra": 1}, "extra"),
    ],
)
def test_bad_webhook_input_is_refused_naming_the_field(api_as, admin_user, body, field):
    status, data = api_as(admin_user).post("webhooks", body)
    assert status in (400, 422), data
    assert {field, f"body.{field}"} & set(data["error"]["fields"]), data
    assert not Webhook.objects.exists()


def test_an_administrator_may_allow_a_private_target_and_it_is_journaled(api_as, admin_user):
    from steward.core.models import JournalEntry

    status, data = api_as(admin_user).post(
        "webhooks",
        {
            "name": "local",
            "url": "http://127.0.0.1:9/x",
            "events": ["*"],
            "allow_private_target": True,
        },
    )
    assert status == 201, data
    entry = JournalEntry.objects.get(record_type="notifications.webhook", action="created")
    assert entry.changes["allow_private_target"] == [None, True]


def test_nobody_else_manages_webhooks(api_as, make_user, admin_user):
    created = api_as(admin_user).post("webhooks", {"name": "x", "url": PUBLIC, "events": ["*"]})[1]
    for roles in ([Role.AGENT], [Role.REQUESTER], [Role.CHANGE_MANAGER]):
        api = api_as(make_user(roles=roles))
        assert api.get("webhooks")[0] == 403
        assert api.post("webhooks", {"name": "y", "url": PUBLIC, "events": ["*"],
                                      "allow_private_target": True})[0] == 403  # fmt: skip
        assert api.get(f"webhooks/{created['id']}/deliveries")[0] == 403
    assert Webhook.objects.count() == 1


def test_a_test_delivery_is_logged_with_its_outcome(api_as, admin_user):
    api = api_as(admin_user)
    hook = api.post("webhooks", {"name": "x", "url": PUBLIC, "events": ["*"]})[1]
    status, delivery = api.post(f"webhooks/{hook['id']}/test")
    assert status == 202 and delivery["event"] == "ping"
    status, log = api.get(f"webhooks/{hook['id']}/deliveries")
    assert status == 200
    pings = [d for d in log["items"] if d["event"] == "ping"]
    assert [d["id"] for d in pings] == [delivery["id"]]
    assert WebhookDelivery.objects.filter(event="ping").count() == 1


def test_a_stale_update_is_a_conflict(api_as, admin_user):
    api = api_as(admin_user)
    hook = api.post("webhooks", {"name": "x", "url": PUBLIC, "events": ["*"]})[1]
    assert api.patch(f"webhooks/{hook['id']}", {"version": 1, "name": "y"})[0] == 200
    status, _data = api.patch(f"webhooks/{hook['id']}", {"version": 1, "name": "z"})
    assert status == 409
    assert Webhook.objects.get().name == "y"
