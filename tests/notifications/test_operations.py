"""Who is notified, what is refused, reading, retrying, and the jobs that deliver."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from steward.core.errors import NotFound, PermissionDenied, ValidationError
from steward.core.models import JournalEntry
from steward.notifications import jobs
from steward.notifications import operations as ops
from steward.notifications.choices import EmailStatus
from steward.notifications.models import Notification, OutboundEmail
from steward.people import operations as people_ops


def test_notify_skips_the_actor_inactive_users_and_repeats(make_user):
    actor, alice, bob, gone = make_user(), make_user(), make_user(), make_user()
    people_ops.update_user(None, gone, version=None, is_active=False)
    sent = ops.notify(actor, [actor, alice, bob, alice, gone], subject="Hello", body="")
    assert sorted(n.recipient.pk for n in sent.notifications) == sorted([alice.pk, bob.pk])
    assert sorted(e.to_address for e in sent.emails) == sorted([alice.email, bob.email])


def test_notify_can_include_the_actor_and_skip_email(make_user):
    actor = make_user()
    sent = ops.notify(actor, [actor], subject="Reminder", body="", include_actor=True, email=False)
    assert [n.recipient for n in sent.notifications] == [actor]
    assert sent.emails == []
    assert not OutboundEmail.objects.exists()


def test_a_user_without_an_email_address_gets_the_in_app_notification_only(make_user):
    nomail = make_user(email="")
    sent = ops.notify(None, [nomail], subject="Hi", body="")
    assert len(sent.notifications) == 1
    assert sent.emails == []


def test_each_email_gets_its_own_message_id(make_user):
    sent = ops.notify(None, [make_user(), make_user()], subject="Hi", body="")
    ids = {e.message_id for e in OutboundEmail.objects.all()}
    assert len(ids) == len(sent.emails) == 2
    assert all(i.startswith("<") and i.endswith("@localhost>") for i in ids)


def test_a_subject_is_one_line_and_fits_its_column(make_user):
    sent = ops.notify(
        None, [make_user()], subject="Line one\r\nBcc: x@evil.test " + "x" * 300, body=""
    )
    subject = sent.notifications[0].subject
    assert "\n" not in subject and subject.startswith("Line one Bcc:")
    assert len(subject) == 200 and subject.endswith("…")


@pytest.mark.parametrize("link", ["javascript:alert(1)", "//evil.test/x", "data:text/html,x"])
def test_notify_refuses_links_a_browser_would_run_or_leave_for(make_user, link):
    with pytest.raises(ValidationError) as err:
        ops.notify(None, [make_user()], subject="Hi", body="", link=link)
    assert "link" in err.value.fields
    assert not Notification.objects.exists()


def test_notify_refuses_an_empty_subject(make_user):
    with pytest.raises(ValidationError) as err:
        ops.notify(None, [make_user()], subject="  ", body="")
    assert err.value.fields == {"subject": ["required"]}


def test_send_email_refuses_a_bad_address(db):
    with pytest.raises(ValidationError) as err:
        ops.send_email("not an address", "Hi", "Body")
    assert "to" in err.value.fields


def test_mark_read_marks_once_and_only_my_own(make_user):
    alice, bob = make_user(), make_user()
    note = ops.notify(None, [alice], subject="Hi", body="").notifications[0]
    first = ops.mark_read(alice, note).read_at
    assert first is not None
    assert ops.mark_read(alice, note).read_at == first
    with pytest.raises(NotFound):
        ops.mark_read(bob, note)


def test_mark_all_read_touches_only_my_unread(make_user):
    alice, bob = make_user(), make_user()
    ops.notify(None, [alice, bob], subject="One", body="")
    ops.notify(None, [alice], subject="Two", body="")
    assert ops.mark_all_read(alice) == 2
    assert ops.mark_all_read(alice) == 0
    assert Notification.objects.filter(recipient=bob, read_at__isnull=True).count() == 1


def test_requeue_gives_failed_mail_fresh_attempts_and_is_journaled(
    smtp, settings, admin_user, agent, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    smtp.stop()
    with django_capture_on_commit_callbacks(execute=True):
        row = ops.send_email("ops@example.org", "Report", "Body")
    row.refresh_from_db()
    assert row.status == EmailStatus.FAILED
    with pytest.raises(PermissionDenied):
        ops.requeue(agent, row)
    smtp.start()
    with django_capture_on_commit_callbacks(execute=True):
        ops.requeue(admin_user, row)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (EmailStatus.SENT, 0)
    assert len(smtp.messages) == 1
    entry = JournalEntry.objects.for_record(row).get()
    assert (entry.action, entry.actor) == ("requeued", admin_user)


def test_the_periodic_job_and_the_command_deliver_due_mail(smtp, db, capsys):
    ops.send_email("one@example.org", "One", "Body")
    assert jobs.deliver_due_emails.call_local()["sent"] == 1
    ops.send_email("two@example.org", "Two", "Body")
    call_command("deliver_outbox")
    assert "sent: 1" in capsys.readouterr().out
    assert sorted(r[0] for r in smtp.recipients) == ["one@example.org", "two@example.org"]
    assert (
        OutboundEmail.objects.filter(status=EmailStatus.SENT, sent_at__lte=timezone.now()).count()
        == 2
    )


def test_only_administrators_see_outbound_email(make_user, admin_user, agent, requester):
    row = ops.send_email("ops@example.org", "Report", "Body")
    assert list(OutboundEmail.objects.for_user(admin_user)) == [row]
    assert not OutboundEmail.objects.for_user(agent).exists()
    assert not OutboundEmail.objects.for_user(requester).exists()
