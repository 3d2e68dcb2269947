"""The mail administration pages: administrators only; a message's HTML in a sandbox; the
quarantine worked from the page; a webhook's secret shown once."""

from __future__ import annotations

import pytest

from steward.mailbox import operations as ops
from steward.mailbox.choices import MailMessageStatus
from steward.mailbox.models import Mailbox
from steward.mailbox.operations import intake
from steward.notifications.models import Webhook
from steward.people.choices import Role
from tests.mailbox.conftest import mail


@pytest.fixture
def box(db):
    return ops.create_mailbox(None, name="desk", address="desk@bank.test")


@pytest.mark.parametrize("name", ["mailboxes", "mailbox_new", "messages"])
def test_only_administrators_find_the_mail_pages(client_for, make_user, box, name):
    from django.urls import reverse

    url = reverse(f"mailbox:{name}")
    for roles in ([Role.AGENT], [Role.REQUESTER]):
        assert client_for(make_user(roles=roles)).get(url).status_code == 404
    assert client_for(make_user(roles=[Role.ADMIN])).get(url).status_code == 200


def test_an_administrator_adds_a_mailbox_from_the_page(client_for, admin_user):
    client = client_for(admin_user)
    response = client.post(
        "/mail/new/",
        {
            "name": "desk",
            "address": "desk@bank.test",
            "security": "ssl",
            "auth": "password",
            "folder": "INBOX",
            "new_senders": "reject",
            "poll_seconds": 60,
            "auto_replies_per_hour": 3,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Mailbox.objects.get().address == "desk@bank.test"


def test_a_bad_mailbox_form_says_which_field_and_saves_nothing(client_for, admin_user):
    response = client_for(admin_user).post(
        "/mail/new/",
        {
            "name": "desk",
            "address": "nope",
            "security": "ssl",
            "auth": "password",
            "folder": "INBOX",
            "new_senders": "reject",
            "poll_seconds": 5,
            "auto_replies_per_hour": 3,
        },
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert "address" in form.errors and "poll_seconds" in form.errors
    assert not Mailbox.objects.exists()


def test_a_messages_html_is_served_in_a_sandbox_that_loads_nothing(client_for, admin_user, box):
    row = intake.ingest(
        box, mail(sender="x@y.test", html="<p>Hello <img src='https://t.test/p.gif'></p>")
    )
    client = client_for(admin_user)
    page = client.get(f"/mail/messages/{row.pk}/")
    assert b"sandbox" in page.content and b"<iframe" in page.content
    frame = client.get(f"/mail/messages/{row.pk}/html/")
    assert frame["Content-Security-Policy"].startswith("sandbox;")
    assert "default-src 'none'" in frame["Content-Security-Policy"]
    assert b"t.test" not in frame.content  # the tracker was stripped when received
    raw = client.get(f"/mail/messages/{row.pk}/raw/")
    assert raw["Content-Disposition"].startswith("attachment;")


def test_the_quarantine_is_worked_from_the_page(client_for, admin_user, box):
    row = intake.ingest(box, b"From: nobody\r\nSubject: x\r\n\r\nbody\r\n")
    client = client_for(admin_user)
    listing = client.get("/mail/messages/?status=quarantined")
    assert row.subject.encode() in listing.content or b"x" in listing.content
    client.post(f"/mail/messages/{row.pk}/discard/", {"reason": "junk"})
    row.refresh_from_db()
    assert row.status == MailMessageStatus.DISCARDED


def test_a_new_webhooks_secret_is_shown_once(client_for, admin_user):
    client = client_for(admin_user)
    response = client.post(
        "/notifications/webhooks/new/",
        {"name": "CMDB", "url": "https://93.184.215.14/hook", "events": "incident.*\nchange.*"},
    )
    hook = Webhook.objects.get()
    assert hook.events == ["incident.*", "change.*"]
    assert hook.secret.encode() in response.content
    assert hook.secret.encode() not in client.get(f"/notifications/webhooks/{hook.pk}/").content


def test_a_webhook_to_a_private_address_is_refused_at_the_url_field(client_for, admin_user):
    response = client_for(admin_user).post(
        "/notifications/webhooks/new/",
        {"name": "local", "url": "http://127.0.0.1:8080/", "events": "*"},
    )
    assert response.status_code == 422
    assert "url" in response.context["form"].errors
    assert not Webhook.objects.exists()
