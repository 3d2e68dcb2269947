"""Domain operations of the notifications app: the only code that writes notifications and
outbound email.

Notifications and email are written in the caller's transaction, so they exist exactly when the
change that causes them commits; delivery is enqueued on commit and never runs for a change that
rolled back. Notifications are not journaled themselves: the change that causes them is.
:func:`notify` checks its input first and then writes in the caller's transaction without a
savepoint (two statements fewer per call): bad input is refused with nothing written and the
caller's transaction intact; a database failure while writing fails the caller's change.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial
from typing import NamedTuple

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone

from steward.core import journal
from steward.core.errors import NotFound, ValidationError
from steward.core.operations import require_admin
from steward.notifications import jobs
from steward.notifications.choices import EmailStatus
from steward.notifications.models import Notification, OutboundEmail

log = logging.getLogger(__name__)

SUBJECT_MAX = Notification._meta.get_field("subject").max_length


class Notified(NamedTuple):
    """What :func:`notify` wrote."""

    notifications: list[Notification]
    emails: list[OutboundEmail]


def _clean_subject(subject: str) -> str:
    """One line (no header injection), at most the column's length."""
    subject = " ".join(subject.split())
    if not subject:
        raise ValidationError.field("subject", "required")
    return subject if len(subject) <= SUBJECT_MAX else subject[: SUBJECT_MAX - 1] + "…"


def _check_link(link: str) -> str:
    """A site path (``/incidents/1``) or an http(s) URL; nothing a browser would execute."""
    if link and not (
        (link.startswith("/") and not link.startswith("//"))
        or link.startswith(("https://", "http://"))
    ):
        raise ValidationError.field("link", "must be a path starting with / or an http(s) URL")
    return link


def _deliver_on_commit(emails: Iterable[OutboundEmail]) -> None:
    # robust: a queue that is down must not fail the committed change; the periodic job
    # delivers whatever is still pending.
    for email in emails:
        transaction.on_commit(partial(jobs.deliver_email, email.pk), robust=True)


def notify(
    actor,
    recipients: Iterable,
    *,
    subject: str,
    body: str,
    link: str = "",
    record: models.Model | None = None,
    email: bool = True,
    include_actor: bool = False,
) -> Notified:
    """Tell ``recipients`` about something: one in-app notification per active recipient and,
    with ``email``, one outbound email per such recipient who has an email address.

    The actor is left out unless ``include_actor``; a recipient named twice is told once.
    """
    subject = _clean_subject(subject)
    link = _check_link(link)
    actor_id = getattr(actor, "pk", None)
    people = {}
    for user in recipients:
        if user.is_active and (include_actor or user.pk != actor_id):
            people.setdefault(user.pk, user)
    return _write(people.values(), subject, body, link, record, email)


@transaction.atomic(savepoint=False)  # inputs checked before: nothing to roll back to
def _write(people, subject: str, body: str, link: str, record, email: bool) -> Notified:
    record_type = record._meta.label_lower if record is not None else ""
    record_id = str(record.pk) if record is not None else ""
    now = timezone.now()
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            subject=subject,
            body=body,
            link=link,
            record_type=record_type,
            record_id=record_id,
            created_at=now,
        )
        for user in people
    )
    emails = []
    if email:
        emails = OutboundEmail.objects.bulk_create(
            OutboundEmail(
                to_address=user.email,
                recipient=user,
                subject=subject,
                body=body,
                created_at=now,
                next_attempt_at=now,
            )
            for user in people
            if user.email
        )
        _deliver_on_commit(emails)
    return Notified(notifications, emails)


def send_email(to: str, subject: str, body: str) -> OutboundEmail:
    """Queue system mail to an address that need not belong to a user."""
    try:
        validate_email(to)
    except DjangoValidationError as exc:
        raise ValidationError.field("to", f"{to!r} is not an email address") from exc
    # one statement, in the caller's transaction (or its own)
    row = OutboundEmail.objects.create(to_address=to, subject=_clean_subject(subject), body=body)
    _deliver_on_commit([row])
    return row


@transaction.atomic
def mark_read(actor, notification: Notification) -> Notification:
    """Mark one of the actor's notifications read (again is harmless: the first time stays)."""
    mine = Notification.objects.for_user(actor, "change").filter(pk=notification.pk)
    if not mine.exists():
        raise NotFound(f"Notification {notification.pk} not found.")
    mine.filter(read_at__isnull=True).update(read_at=timezone.now())
    notification.refresh_from_db(fields=["read_at"])
    return notification


@transaction.atomic
def mark_all_read(actor) -> int:
    """Mark every unread notification of the actor read; returns how many changed."""
    return Notification.objects.for_user(actor, "change").unread().update(read_at=timezone.now())


@transaction.atomic
def requeue(actor, email: OutboundEmail) -> OutboundEmail:
    """Give a failed (or waiting) email a fresh set of attempts, starting now. Admins only."""
    require_admin(actor, "retry outbound email")
    if email.status not in (EmailStatus.FAILED, EmailStatus.PENDING):
        raise ValidationError.field(
            "status", f"only failed or pending mail can be retried, this one is {email.status}"
        )
    before = journal.snapshot(email, ["status", "attempts"])
    updated = OutboundEmail.objects.filter(pk=email.pk, status=email.status).update(
        status=EmailStatus.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        claimed_until=None,
    )
    if not updated:
        raise ValidationError.field("status", "the email changed meanwhile; reload it")
    email.refresh_from_db()
    journal.record(
        actor,
        email,
        "requeued",
        journal.diff(before, journal.snapshot(email, ["status", "attempts"])),
    )
    _deliver_on_commit([email])
    return email
