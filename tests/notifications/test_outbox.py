"""The outbox against a real SMTP server: transactional writes, retries, exactly-once delivery."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from steward.notifications import delivery
from steward.notifications import operations as ops
from steward.notifications.choices import EmailStatus
from steward.notifications.delivery import Outcome
from steward.notifications.models import Notification, OutboundEmail
from steward.people import operations as people_ops
from tests.threads import run_in_threads


def test_notify_is_written_in_the_transaction_of_the_change_that_causes_it(
    make_user, django_capture_on_commit_callbacks
):
    # given an agent who creates a group and tells its manager, in one transaction
    actor, manager = make_user(), make_user()
    # when
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        group = people_ops.create_group(None, name="Service Desk", manager=manager)
        ops.notify(
            actor,
            [manager],
            subject="You manage Service Desk",
            body="Welcome.",
            link="/groups/1",
            record=group,
        )
    # then the notification and the email exist, and one delivery waits for the commit
    note = Notification.objects.get()
    assert (note.recipient, note.record_type, note.record_id) == (
        manager,
        "people.supportgroup",
        str(group.pk),
    )
    assert OutboundEmail.objects.get().to_address == manager.email
    assert len(callbacks) == 1


def test_a_rolled_back_change_leaves_neither_notification_nor_email(
    make_user, smtp, django_capture_on_commit_callbacks
):
    actor, manager = make_user(), make_user()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        people_ops.create_group(None, name="Service Desk", manager=manager)
        ops.notify(actor, [manager], subject="You manage Service Desk", body="Welcome.")
        raise RuntimeError("the change fails after notify")
    assert not Notification.objects.exists()
    assert not OutboundEmail.objects.exists()
    assert callbacks == []
    assert smtp.messages == []


def test_email_is_delivered_to_the_smtp_server_when_the_change_commits(
    make_user, smtp, django_capture_on_commit_callbacks
):
    actor, alice = make_user(), make_user("alice", email="alice@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        sent = ops.notify(actor, [alice], subject="INC0000001 assigned to you", body="Please look.")
    assert smtp.recipients == [["alice@example.org"]]
    message = smtp.messages[0]
    row = OutboundEmail.objects.get(pk=sent.emails[0].pk)
    assert message["Subject"] == "INC0000001 assigned to you"
    assert message["Message-ID"] == row.message_id
    parts = {p.get_content_type(): p for p in message.walk() if not p.is_multipart()}
    assert parts["text/plain"].get_payload(decode=True).decode().strip() == "Please look."
    assert "<p>Please look.</p>" in parts["text/html"].get_payload(decode=True).decode()
    assert (row.status, row.attempts, row.last_error) == (EmailStatus.SENT, 0, "")
    assert row.sent_at is not None


def test_mail_written_while_smtp_is_down_is_delivered_once_when_it_is_back(
    make_user, smtp, django_capture_on_commit_callbacks
):
    # given the SMTP server is down
    actor, alice = make_user(), make_user("alice", email="alice@example.org")
    smtp.stop()
    # when a change notifies alice: the on-commit delivery fails without raising into the caller
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        sent = ops.notify(actor, [alice], subject="Handover waiting", body="Accept it.")
    # then nothing is lost: the row waits with one attempt and a backoff
    row = OutboundEmail.objects.get(pk=sent.emails[0].pk)
    assert (row.status, row.attempts) == (EmailStatus.PENDING, 1)
    assert "Connection" in row.last_error
    assert (
        before + timedelta(seconds=30)
        <= row.next_attempt_at
        <= timezone.now() + timedelta(seconds=30)
    )
    assert Notification.objects.filter(recipient=alice).count() == 1
    # and the worker does not retry before the backoff has passed
    assert delivery.deliver_due()["retry"] == 0
    row.refresh_from_db()
    assert row.attempts == 1

    # when SMTP is back (a new server on the same port) and the backoff has passed
    smtp.start()
    later = row.next_attempt_at + timedelta(seconds=1)
    counts = delivery.deliver_due(now=later)
    # then the message is delivered exactly once, with the Message-ID it was created with
    assert counts["sent"] == 1
    assert smtp.recipients == [["alice@example.org"]]
    assert smtp.messages[0]["Message-ID"] == row.message_id
    row.refresh_from_db()
    assert (row.status, row.attempts) == (EmailStatus.SENT, 1)
    # and running the worker again sends nothing more
    assert delivery.deliver_due(now=later + timedelta(hours=2))["sent"] == 0
    assert delivery.deliver(row.pk, now=later + timedelta(hours=2)) is Outcome.SKIPPED
    assert len(smtp.messages) == 1


@pytest.mark.parametrize(
    ("attempts", "seconds"),
    [(1, 30), (2, 60), (3, 120), (4, 240), (7, 1920), (8, 3600), (20, 3600)],
)
def test_backoff_doubles_from_the_base_and_is_capped_at_one_hour(settings, attempts, seconds):
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    assert delivery.backoff(attempts) == timedelta(seconds=seconds)


def test_an_email_that_fails_every_attempt_ends_failed_and_stays_visible(
    make_user, smtp, settings, admin_user
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    smtp.stop()
    row = ops.send_email("ops@example.org", "Nightly report", "Attached.")
    now = timezone.now()
    outcomes = []
    for _ in range(3):
        outcomes.append(delivery.deliver(row.pk, now=now))
        row.refresh_from_db()
        now = row.next_attempt_at
    assert outcomes == [Outcome.RETRY, Outcome.RETRY, Outcome.FAILED]
    assert (row.status, row.attempts) == (EmailStatus.FAILED, 3)
    assert row.last_error
    # a failed email is never picked up again, and administrators can find it
    assert delivery.deliver_due(now=now + timedelta(days=1))["sent"] == 0
    failed = OutboundEmail.objects.for_user(admin_user).filter(status=EmailStatus.FAILED)
    assert list(failed) == [row]


def test_each_failed_attempt_waits_twice_as_long(make_user, smtp):
    smtp.stop()
    row = ops.send_email("ops@example.org", "Report", "Body")
    now = timezone.now()
    waits = []
    for _ in range(3):
        delivery.deliver(row.pk, now=now)
        row.refresh_from_db()
        after = timezone.now()
        waits.append(round((row.next_attempt_at - after).total_seconds() / 30))
        now = row.next_attempt_at
    assert waits == [1, 2, 4]


def test_a_claimed_email_is_not_sent_by_another_worker_until_its_lease_expires(smtp, db):
    row = ops.send_email("ops@example.org", "Report", "Body")
    now = timezone.now()
    # another worker holds the row
    assert delivery.claim(row.pk, now) is not None
    assert delivery.deliver(row.pk, now=now) is Outcome.SKIPPED
    assert delivery.deliver_due(now=now)["sent"] == 0
    assert smtp.messages == []
    # that worker died: once its lease has run out the row is claimed again and sent once
    counts = delivery.deliver_due(now=now + delivery.lease() + timedelta(seconds=1))
    assert counts["sent"] == 1
    assert len(smtp.messages) == 1


def test_a_refused_recipient_is_retried_and_the_round_goes_on(smtp, db):
    smtp.handler.reject.add("gone@example.org")
    refused = ops.send_email("gone@example.org", "One", "Body")
    fine = ops.send_email("ops@example.org", "Two", "Body")
    counts = delivery.deliver_due()
    assert (counts["retry"], counts["sent"]) == (1, 1)
    refused.refresh_from_db()
    assert (refused.status, refused.attempts) == (EmailStatus.PENDING, 1)
    assert "SMTPRecipientsRefused" in refused.last_error
    assert smtp.recipients == [[fine.to_address]]


def test_a_round_stops_when_the_server_is_unreachable(smtp, db):
    smtp.stop()
    rows = [ops.send_email(f"user{i}@example.org", f"Mail {i}", "Body") for i in range(3)]
    counts = delivery.deliver_due()
    assert (counts["retry"], counts["sent"]) == (1, 0)
    attempts = sorted(
        OutboundEmail.objects.filter(pk__in=[r.pk for r in rows]).values_list("attempts", flat=True)
    )
    assert attempts == [0, 0, 1]
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {EmailStatus.PENDING}


@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_the_same_email_at_once_send_it_once(smtp, make_user):
    # given a pending email (its first, on-commit attempt found SMTP down)
    smtp.stop()
    row = ops.send_email("ops@example.org", "Once only", "Body")
    row.refresh_from_db()
    assert row.status == EmailStatus.PENDING
    smtp.start()
    due = row.next_attempt_at + timedelta(seconds=1)
    # when two workers deliver it at the same moment
    start = threading.Barrier(2)
    outcomes = []

    def worker():
        start.wait()
        outcomes.append(delivery.deliver(row.pk, now=due))

    assert run_in_threads(worker, 2) == []
    # then exactly one of them sent it
    assert sorted(outcomes) == sorted([Outcome.SENT, Outcome.SKIPPED])
    assert len(smtp.messages) == 1
    row.refresh_from_db()
    assert row.status == EmailStatus.SENT


def test_a_notification_to_a_group_is_one_delivery_task_that_sends_every_members_mail(
    make_user, smtp, django_capture_on_commit_callbacks
):
    from steward.people import operations as people_ops

    members = people_ops.bulk_create_users(
        None, [{"username": f"m{i}", "email": f"m{i}@example.org"} for i in range(30)]
    )
    group = people_ops.create_group(None, name="Thirty", members=members)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        sent = ops.notify(make_user(), group=group, subject="INC0000002 for your group", body=".")
    assert len(callbacks) == 1  # one task for the notification, not one per member
    assert len(sent.emails) == 30
    assert sorted(r[0] for r in smtp.recipients) == sorted(m.email for m in members)
    statuses = OutboundEmail.objects.filter(pk__in=[e.pk for e in sent.emails])
    assert set(statuses.values_list("status", flat=True)) == {EmailStatus.SENT}
