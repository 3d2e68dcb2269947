"""Webhooks: every journaled change is an event; subscribers get it signed, from the outbox,
with retries; a failing receiver is switched off and its owner told; private targets refused."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from steward.core.errors import PermissionDenied, ValidationError
from steward.incidents import operations as incident_ops
from steward.incidents.choices import Level
from steward.notifications import webhook_delivery, webhooks
from steward.notifications.choices import EmailStatus
from steward.notifications.models import Notification, Webhook, WebhookDelivery
from steward.notifications.operations import webhooks as ops
from steward.people.choices import Role

SECRET = "s3cret-for-the-receiver-0123456789"


class Receiver:
    """An HTTP receiver written for the test: it checks each request's signature like a
    subscriber's code would, and answers ``status``."""

    def __init__(self):
        self.received: list[dict] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append(
                    {
                        "body": json.loads(body),
                        "event": self.headers["X-Steward-Event"],
                        "verified": webhooks.verify(
                            SECRET, body, self.headers[webhooks.SIGNATURE_HEADER]
                        ),
                    }
                )
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/steward"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def hook(admin_user, receiver, settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    return ops.create_webhook(
        admin_user,
        name="CMDB sync",
        url=receiver.url,
        events=["incident.*"],
        secret=SECRET,
        allow_private_target=True,  # the receiver is on loopback: an administrator allowed it
    )


def test_an_event_reaches_the_subscriber_signed_after_the_change_commits(
    hook, receiver, make_user, django_capture_on_commit_callbacks
):
    from steward.people import operations as people_ops

    caller = make_user("caller", roles=[Role.REQUESTER])
    group = people_ops.create_group(None, name="Storage")
    with django_capture_on_commit_callbacks(execute=True):
        incident = incident_ops.open_incident(
            None,
            title="Disk full",
            caller=caller,
            impact=Level.LOW,
            urgency=Level.LOW,
            owning_group=group,
        )

    assert [r["event"] for r in receiver.received] == ["incident.created"]
    got = receiver.received[0]
    assert got["verified"] is True
    assert got["body"]["record"] == {
        "type": "incidents.incident",
        "id": str(incident.pk),
        "label": str(incident),
    }
    row = WebhookDelivery.objects.get()
    assert (row.status, row.response_status) == (EmailStatus.SENT, 200)
    assert row.response_ms is not None


def test_a_receiver_rejects_a_stale_or_forged_signature():
    body = b'{"event":"ping"}'
    header = webhooks.sign(SECRET, body, at=1_000_000)
    assert webhooks.verify(SECRET, body, header, now=1_000_000 + 299)
    assert not webhooks.verify(SECRET, body, header, now=1_000_000 + 301)  # older than 5 min
    assert not webhooks.verify("another-secret-0123456789", body, header, now=1_000_000)
    assert not webhooks.verify(SECRET, body + b" ", header, now=1_000_000)


def test_events_the_subscription_does_not_name_are_not_sent(hook, admin_user, make_org):
    make_org("Retail")  # an organization's creation is "organization.created"
    assert not WebhookDelivery.objects.exists()


def test_a_webhook_to_loopback_is_refused_without_the_administrators_allowance(admin_user):
    for url in ("http://127.0.0.1:9/x", "http://localhost/x", "http://10.1.2.3/x",
                "http://169.254.169.254/latest/meta-data", "http://[::1]/x"):  # fmt: skip
        with pytest.raises(ValidationError) as refused:
            ops.create_webhook(admin_user, name="x", url=url, events=["*"])
        assert "url" in refused.value.fields
    assert not Webhook.objects.exists()


def test_only_an_administrator_manages_webhooks_and_allows_private_targets(make_user):
    agent = make_user("agent", roles=[Role.AGENT])
    with pytest.raises(PermissionDenied):
        ops.create_webhook(
            agent, name="x", url="http://127.0.0.1/x", events=["*"], allow_private_target=True
        )
    assert not Webhook.objects.exists()


def test_a_target_that_became_private_is_refused_at_delivery_too(
    hook, admin_user, django_capture_on_commit_callbacks, receiver
):
    Webhook.objects.filter(pk=hook.pk).update(allow_private_target=False)  # as if changed in SQL
    row = ops.test_webhook(admin_user, Webhook.objects.get(pk=hook.pk))
    assert webhook_delivery.attempt(row.pk) == webhook_delivery.Outcome.FAILED
    assert receiver.received == []
    assert "loopback" in WebhookDelivery.objects.get(pk=row.pk).last_error


def test_a_failing_receiver_is_retried_with_backoff_then_switched_off_and_its_owner_told(
    hook, receiver, admin_user, settings
):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    settings.STEWARD_WEBHOOK_DISABLE_AFTER = 2
    receiver.status = 500
    rows = [
        WebhookDelivery.objects.create(webhook=hook, event="incident.updated", body="{}")
        for _ in range(2)
    ]
    now = timezone.now()
    for row in rows:
        assert webhook_delivery.attempt(row.pk, now=now) == webhook_delivery.Outcome.RETRY
    row = WebhookDelivery.objects.get(pk=rows[0].pk)
    assert row.response_status == 500
    assert row.next_attempt_at >= now + timedelta(seconds=30)
    assert webhook_delivery.deliver_due(now=now)["retry"] == 0  # not before its backoff
    later = now + timedelta(minutes=5)
    assert webhook_delivery.deliver_due(now=later)["failed"] == 2

    hook.refresh_from_db()
    assert hook.is_active is False
    assert "2 deliveries in a row failed" in hook.disabled_reason
    told = Notification.objects.get(recipient=admin_user)
    assert hook.name in told.subject


def test_a_test_delivery_reaches_the_receiver(
    hook, receiver, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ops.test_webhook(admin_user, hook)
    assert [r["event"] for r in receiver.received] == ["ping"]
    assert receiver.received[0]["verified"]


def test_a_subscription_removed_in_another_process_does_not_break_the_next_change(
    hook, admin_user, make_user
):
    from steward.notifications.operations import webhooks as webhook_ops

    webhook_ops._active()  # this process has the subscription in its list
    Webhook.objects.filter(pk=hook.pk).delete()  # removed elsewhere, the list not yet renewed
    make_user("after", roles=[Role.AGENT])  # any journaled change is an event
    assert not WebhookDelivery.objects.exists()
