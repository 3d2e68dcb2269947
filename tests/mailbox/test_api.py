"""The mail API: administrators only, secrets never read back, bad input named, the
quarantine worked from a script."""

from __future__ import annotations

import pytest

from steward.mailbox.choices import MailMessageStatus
from steward.mailbox.models import InboundMessage, Mailbox
from steward.mailbox.operations import intake
from steward.people.choices import Role
from tests.mailbox.conftest import mail


@pytest.fixture
def box(db):
    from steward.mailbox import operations as ops

    return ops.create_mailbox(None, name="desk", address="desk@bank.test", secret="hunter2")


def test_an_administrator_creates_a_mailbox_and_its_secret_is_never_returned(api_as, admin_user):
    api = api_as(admin_user)
    status, data = api.post(
        "mailboxes",
        {
            "name": "service-desk",
            "address": "servicedesk@bank.test",
            "imap_host": "imap.bank.test",
            "username": "servicedesk",
            "secret": "correct horse battery staple",
        },
    )
    assert status == 201, data
    assert data["secret_set"] is True and "secret" not in data
    assert data["imap_port"] == 993  # SSL's port when none is given
    status, listed = api.get("mailboxes")
    assert status == 200 and listed["count"] == 1
    assert "correct horse" not in str(listed)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "has space", "address": "a@b.test"}, "name"),
        ({"name": "x", "address": "not-an-address"}, "address"),
        ({"name": "x", "address": "a@b.test", "poll_seconds": 1}, "poll_seconds"),
        ({"name": "x", "address": "a@b.test", "security": "rot13"}, "security"),
        ({"name": "x", "address": "a@b.test", "imap_host": "imap.b.test"}, "username"),
        ({"name": "x", "address": "a@b.test", "default_group": 999999}, "default_group"),
        ({"name": "x", "address": "a@b.test", "unknown": 1}, "unknown"),
        ({"name": "x", "address": "a@b.test\r\nBcc: evil@x.test"}, "address"),
    ],
)
def test_bad_mailbox_input_is_refused_naming_the_field_and_nothing_is_written(
    api_as, admin_user, body, field
):
    status, data = api_as(admin_user).post("mailboxes", body)
    assert status in (400, 422), data
    assert {field, f"body.{field}"} & set(data["error"]["fields"]), data
    assert not Mailbox.objects.exists()


def test_a_stale_version_is_a_conflict_and_changes_nothing(api_as, admin_user, box):
    api = api_as(admin_user)
    assert api.patch(f"mailboxes/{box.pk}", {"version": box.version, "folder": "Support"})[0] == 200
    status, _data = api.patch(f"mailboxes/{box.pk}", {"version": box.version, "folder": "Other"})
    assert status == 409
    box.refresh_from_db()
    assert box.folder == "Support"


def test_nobody_but_an_administrator_reads_mailboxes_or_the_quarantine(
    api_as, make_user, box, make_org
):
    for roles in ([Role.AGENT], [Role.REQUESTER], [Role.GROUP_MANAGER]):
        api = api_as(make_user(roles=roles, organization=make_org()))
        assert api.get("mailboxes")[0] == 403
        assert api.get(f"mailboxes/{box.pk}")[0] == 403
        assert api.get("mail/quarantine")[0] == 403
        assert api.post("mailboxes", {"name": "x", "address": "x@y.test"})[0] == 403


def test_the_quarantine_lists_retries_and_discards(api_as, admin_user, box):
    row = intake.ingest(box, b"From: nobody\r\nSubject: x\r\n\r\nno sender address\r\n")
    assert row.status == MailMessageStatus.QUARANTINED
    api = api_as(admin_user)

    status, page = api.get("mail/quarantine")
    assert status == 200 and [m["id"] for m in page["items"]] == [row.pk]
    assert "sender" in page["items"][0]["reason"]

    status, data = api.post(f"mail/quarantine/{row.pk}/retry")
    assert status == 200 and data["status"] == "quarantined" and data["attempts"] == 2
    status, data = api.post(f"mail/quarantine/{row.pk}/discard", {"reason": "junk"})
    assert status == 200 and data["status"] == "discarded"
    status, data = api.post(f"mail/quarantine/{row.pk}/discard", {})
    assert status == 409 and "status" in data["error"]["fields"]


def test_a_processed_message_cannot_be_retried(api_as, admin_user, box, make_user):
    from steward.people import operations as people_ops

    people_ops.create_group(None, name="Service Desk")  # where new mail is routed
    make_user("anna", roles=[Role.REQUESTER], email="anna@bank.test")
    row = intake.ingest(box, mail(sender="anna@bank.test"))
    assert row.status != MailMessageStatus.QUARANTINED
    status, _data = api_as(admin_user).post(f"mail/quarantine/{row.pk}/retry")
    assert status == 409
    assert InboundMessage.objects.get().status == row.status
