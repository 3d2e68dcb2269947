"""Sending the outbox: claim a row, send it, record the outcome.

Exactly once, as far as Steward can make it: a row is claimed by one conditional UPDATE
(``pending`` → ``sending`` with a lease), so two workers never send the same row; a row stays in
the table until the mail server has accepted it, so nothing is lost while the server is down.
The one gap left is a worker that dies after the server accepted the message but before it
recorded ``sent``: the lease expires and the message goes again, with the same ``Message-ID``
so mail clients can recognise the duplicate.

These writes are the worker's bookkeeping of the outbox, the stated exception to "writes only
in operations" (docs/architecture.md): each commits on its own around the SMTP conversation,
with no actor and no journal entry; ``notify`` (an operation) puts messages in the outbox.
"""

from __future__ import annotations

import enum
import logging
import smtplib
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMultiAlternatives, get_connection
from django.db.models import Q
from django.utils import timezone

from steward.notifications import headers
from steward.notifications.choices import EmailStatus
from steward.notifications.mail_html import as_html
from steward.notifications.models import OutboundEmail

log = logging.getLogger(__name__)

#: The longest wait between two attempts.
MAX_BACKOFF = timedelta(hours=1)
ERROR_MAX = 2000


class Outcome(enum.StrEnum):
    SENT = "sent"
    RETRY = "retry"  # failed this time; pending again with a later next_attempt_at
    FAILED = "failed"  # failed its last allowed attempt
    SKIPPED = "skipped"  # not due, already sent, or claimed by another worker


def lease() -> timedelta:
    """How long a claim holds: well beyond the time one SMTP conversation can take."""
    return timedelta(seconds=max(60, 5 * (settings.EMAIL_TIMEOUT or 60)))


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: base, 2 * base, 4 * base ... up to 1 h."""
    seconds = settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** (max(attempts, 1) - 1)
    return min(timedelta(seconds=seconds), MAX_BACKOFF)


def due(now: datetime) -> Q:
    """Rows a worker may claim at ``now``: pending and due, or sending with an expired lease."""
    return Q(status=EmailStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=EmailStatus.SENDING, claimed_until__lt=now
    )


def claim(email_id: int, now: datetime, *, model=OutboundEmail) -> datetime | None:
    """Take the row for this worker; returns the lease end, or None if it is not ours to send.
    ``model``: the outbox table (``OutboundEmail``, or ``WebhookDelivery``: one engine, the
    same columns)."""
    until = now + lease()
    taken = model.objects.filter(due(now), pk=email_id).update(
        status=EmailStatus.SENDING, claimed_until=until
    )
    return until if taken == 1 else None


def _send(row: OutboundEmail, connection) -> None:
    message = EmailMultiAlternatives(
        subject=headers.subject(row),
        body=row.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.to_address],
        headers=headers.for_row(row),
        connection=connection,
    )
    message.attach_alternative(as_html(row), "text/html")
    # Opened here, send_messages leaves it open: a round of deliver_due reuses one connection.
    connection.open()
    if message.send(fail_silently=False) != 1:
        raise smtplib.SMTPException("the mail backend reported the message as not sent")


def record_failure(row, until: datetime, exc: Exception, *, permanent: bool = False) -> Outcome:
    """A failed attempt on ``row`` (an outbox row of either table): pending again after the
    backoff, or failed after the last allowed attempt (or at once when ``permanent``)."""
    attempts = row.attempts + 1
    error = f"{type(exc).__name__}: {exc}"[:ERROR_MAX]
    now = timezone.now()
    if permanent or attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        outcome, changes = Outcome.FAILED, {"status": EmailStatus.FAILED}
    else:
        outcome = Outcome.RETRY
        changes = {"status": EmailStatus.PENDING, "next_attempt_at": now + backoff(attempts)}
    mine = type(row).objects.filter(pk=row.pk, status=EmailStatus.SENDING, claimed_until=until)
    if not mine.update(attempts=attempts, last_error=error, claimed_until=None, **changes):
        log.warning(
            "outbox: lost the lease on %s %s before recording its failure",
            type(row).__name__,
            row.pk,
        )
    log.warning(
        "outbox: %s %s attempt %s failed (%s): %s",
        type(row).__name__,
        row.pk,
        attempts,
        outcome,
        error,
    )
    return outcome


def record_sent(row, until: datetime, **fields) -> bool:
    """The row was delivered; False when its lease had run out (another worker may send it)."""
    mine = type(row).objects.filter(pk=row.pk, status=EmailStatus.SENDING, claimed_until=until)
    done = mine.update(
        status=EmailStatus.SENT, sent_at=timezone.now(), claimed_until=None, last_error="", **fields
    )
    if not done:
        log.warning("outbox: %s %s was sent after its lease ran out", type(row).__name__, row.pk)
    return bool(done)


def _close(connection) -> None:
    try:
        connection.close()
    except Exception:  # closing a broken connection may fail; nothing is left to do
        log.debug("outbox: closing the mail connection failed", exc_info=True)


def unreachable(exc: Exception) -> bool:
    """Whether ``exc`` says the mail server cannot be reached (rather than refused a message)."""
    if isinstance(exc, smtplib.SMTPConnectError | smtplib.SMTPServerDisconnected):
        return True
    return isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)


def attempt(
    email_id: int, *, now: datetime | None = None, connection=None
) -> tuple[Outcome, Exception | None]:
    """One delivery attempt of one row; never raises for a sending failure."""
    now = now or timezone.now()
    until = claim(email_id, now)
    if until is None:
        return Outcome.SKIPPED, None
    row = OutboundEmail.objects.get(pk=email_id)
    own = connection is None
    connection = connection or get_connection(fail_silently=False)
    try:
        _send(row, connection)
    except BadHeaderError as exc:  # a line break in a header: no retry can send it safely
        return record_failure(row, until, exc, permanent=True), exc
    except Exception as exc:  # any failure to send is recorded and retried, never raised
        return record_failure(row, until, exc), exc
    finally:
        if own:
            _close(connection)
    record_sent(row, until)
    return Outcome.SENT, None


def deliver(email_id: int, *, now: datetime | None = None, connection=None) -> Outcome:
    """Send one outbound email if it is due and no other worker holds it."""
    return attempt(email_id, now=now, connection=connection)[0]


def deliver_due(limit: int = 100, *, now: datetime | None = None) -> dict[str, int]:
    """Send up to ``limit`` due rows over one connection; returns the count of each outcome.

    A round stops early when the mail server cannot be reached: the rest stay pending, without
    an attempt counted against them, for the next round.
    """
    now = now or timezone.now()
    ids = list(
        OutboundEmail.objects.filter(due(now))
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    return deliver_many(ids, now=now)


def deliver_many(ids: list[int], *, now: datetime | None = None) -> dict[str, int]:
    """Send the rows ``ids`` that are due and unclaimed, in order, over one connection;
    returns the count of each outcome. Stops early when the mail server cannot be reached."""
    now = now or timezone.now()
    counts = {outcome.value: 0 for outcome in Outcome}
    if not ids:
        return counts
    connection = get_connection(fail_silently=False)
    try:
        for pk in ids:
            outcome, exc = attempt(pk, now=now, connection=connection)
            counts[outcome.value] += 1
            if exc is not None and unreachable(exc):
                break
    finally:
        _close(connection)
    return counts
