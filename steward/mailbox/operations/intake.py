"""Receiving mail: store the raw message first, then decide what it becomes.

``receive`` writes the ``.eml`` file and its row (committed on its own: from here on nothing is
lost); ``process`` reads it and, in one transaction, adds it to the ticket it answers or opens
one, through the incidents' own operations. A message that cannot be read, or whose processing
fails, is quarantined with the reason; an administrator retries or discards it. Automatic mail
(bounces, out-of-office, lists: RFC 3834) is kept and marked ignored: it never opens, reopens
or answers a ticket, and nothing answers it.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta
from email.parser import BytesHeaderParser
from email.policy import compat32

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.core import journal
from steward.core.errors import Conflict, DomainError
from steward.core.operations import require_admin
from steward.mailbox import parsing, targets, threads
from steward.mailbox.choices import MailMessageStatus, MailNewSenders, MailOutcome
from steward.mailbox.models import AutoReply, InboundMessage, Mailbox
from steward.notifications import operations as notifications
from steward.people import operations as people_ops
from steward.people.choices import Role
from steward.people.models import User

log = logging.getLogger(__name__)


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _header_id(raw: bytes) -> str:
    """The Message-ID, read from the header block alone with the plain (compat32) parser: the
    duplicate check runs for every fetch, and needs one header, not the message's structure."""
    ends = [i for i in (raw.find(b"\r\n\r\n"), raw.find(b"\n\n")) if i >= 0]
    block = raw[: min(ends) + 2] if ends else raw
    try:
        headers = BytesHeaderParser(policy=compat32).parsebytes(block)
        return (parsing.message_ids(headers.get("Message-ID")) or [""])[0]
    except Exception:  # a header block the parser cannot read: identified by its digest
        return ""


def _existing(mailbox: Mailbox, message_id: str, sha: str) -> InboundMessage | None:
    rows = InboundMessage.objects.filter(mailbox=mailbox)
    if message_id:
        return rows.filter(message_id=message_id).first()
    return rows.filter(message_id="", sha256=sha).first()


def receive(mailbox: Mailbox, raw: bytes, *, source: str = "imap") -> tuple[InboundMessage, bool]:
    """Keep ``raw``: its file, then its row. ``(row, created)``; a message this mailbox already
    has (the same Message-ID, or the same bytes when it has none) is not kept twice."""
    sha = _digest(raw)
    message_id = _header_id(raw)[:998]
    found = _existing(mailbox, message_id, sha)
    if found is not None:
        return found, False
    now = timezone.now()
    path = default_storage.save(
        f"mail/{mailbox.name}/{now:%Y/%m}/{sha}.eml", ContentFile(raw, name=f"{sha}.eml")
    )
    try:
        with transaction.atomic():
            row = InboundMessage.objects.create(
                mailbox=mailbox,
                message_id=message_id,
                sha256=sha,
                raw_path=path,
                size=len(raw),
                received_at=now,
                source=source,
            )
    except IntegrityError:
        # another fetch of the same message got there first: keep theirs
        default_storage.delete(path)
        found = _existing(mailbox, message_id, sha)
        if found is None:
            raise
        return found, False
    return row, True


def ingest(mailbox: Mailbox, raw: bytes, *, source: str = "imap") -> InboundMessage:
    """Receive and process one message (the IMAP poll and ``ingest_mail`` call this)."""
    row, created = receive(mailbox, raw, source=source)
    if created or row.status == MailMessageStatus.RECEIVED:
        row = process(row)
    return row


def _raw(message: InboundMessage) -> bytes:
    with default_storage.open(message.raw_path, "rb") as handle:
        return handle.read()


def _mark(message: InboundMessage, status: str, **fields) -> InboundMessage:
    fields.setdefault("processed_at", timezone.now())
    InboundMessage.objects.filter(pk=message.pk).update(status=status, **fields)
    for name, value in {"status": status, **fields}.items():
        setattr(message, name, value)
    return message


def process(message: InboundMessage) -> InboundMessage:
    """Decide what ``message`` becomes; never raises for a bad message (it is quarantined)."""
    try:
        raw = _raw(message)
    except OSError as exc:
        return _quarantine(message, f"the stored message cannot be read ({exc})")
    limit = settings.STEWARD_MAIL_MAX_BYTES
    if len(raw) > limit:
        return _quarantine(message, f"larger than {limit} bytes (STEWARD_MAIL_MAX_BYTES)")
    try:
        parsed = parsing.parse(
            raw,
            loop_id=loop_id(),
            authserv_ids=tuple(settings.STEWARD_MAIL_AUTHSERV_IDS),
        )
    except parsing.Unreadable as exc:
        return _quarantine(message, str(exc))
    try:
        with transaction.atomic():
            current = InboundMessage.objects.select_for_update().get(pk=message.pk)
            if current.status != MailMessageStatus.RECEIVED:
                return current  # another worker processed it meanwhile
            if InboundMessage.mailbox.is_cached(message):  # the caller's: not read again
                current.mailbox = message.mailbox
            return _act(current, parsed)
    except DomainError as exc:
        return _quarantine(message, f"{type(exc).__name__}: {exc}", parsed)
    except Exception as exc:  # a bug must not lose the message: it waits in quarantine
        log.exception("mailbox: processing message %s failed", message.pk)
        return _quarantine(message, f"processing failed ({type(exc).__name__}: {exc})", parsed)


def _quarantine(message, reason: str, parsed: parsing.ParsedMail | None = None):
    fields = {"reason": reason[:2000], "attempts": message.attempts + 1}
    if parsed is not None:
        fields |= {
            "from_address": parsed.from_address[:320],
            "subject": parsed.subject,
            "html": parsed.html,
        }
    log.warning("mailbox: message %s quarantined: %s", message.pk, reason)
    return _mark(message, MailMessageStatus.QUARANTINED, **fields)


def _act(message: InboundMessage, parsed: parsing.ParsedMail) -> InboundMessage:
    mailbox = message.mailbox
    seen = {
        "from_address": parsed.from_address[:320],
        "subject": parsed.subject,
        "html": parsed.html,
    }
    if parsed.automatic:
        return _mark(
            message,
            MailMessageStatus.IGNORED,
            outcome=MailOutcome.AUTOMATIC,
            reason=parsed.automatic,
            **seen,
        )
    if parsed.authentication == "fail":
        return _quarantine(
            message,
            "the sender's domain says this message is not from it (SPF/DKIM/DMARC failed)",
            parsed,
        )
    user = User.objects.with_email(parsed.from_address).filter(is_active=True).first()
    found = threads.thread_of(parsed)
    if user is None:
        if mailbox.new_senders != MailNewSenders.CREATE:
            _refuse(mailbox, parsed)
            return _mark(
                message,
                MailMessageStatus.PROCESSED,
                outcome=MailOutcome.REFUSED,
                reason="the sender is not a user and the mailbox does not create requesters",
                **seen,
            )
        user = _new_requester(mailbox, parsed)
    body = parsed.text or parsed.subject or "(empty message)"
    if found is not None and found[0].participant(user, found[1]):
        target, record = found
        target.reply(user, record, body)
        outcome = MailOutcome.REPLY
    else:
        target = targets.INCIDENTS
        if found is not None:
            # an answer from someone outside the ticket: a ticket of its own, which says so
            body = _(
                "%(body)s\n\n(Sent as a reply to %(number)s, whose participants do not include "
                "%(address)s: opened as a new incident instead.)"
            ) % {"body": body, "number": found[0].label(found[1]), "address": parsed.from_address}
        record = target.open_new(mailbox, user, parsed.subject, body)
        outcome = MailOutcome.NEW_TICKET if found is None else MailOutcome.LINKED_TICKET
    refused = _attach(target, user, record, parsed)
    return _mark(
        message,
        MailMessageStatus.PROCESSED,
        outcome=outcome,
        record_type=target.record_type,
        record_id=str(record.pk),
        record_label=target.label(record),
        reason="; ".join(refused),
        **seen,
    )


def _attach(target, user, record, parsed) -> list[str]:
    """Each attachment through the ticket's attachment rules; a refused one is noted."""
    refused = []
    for part in parsed.attachments:
        upload = SimpleUploadedFile(part.name, part.data, content_type=part.content_type)
        try:
            with transaction.atomic():
                target.attach(user, record, upload)
        except DomainError as exc:
            refused.append(f"{part.name}: {exc}")
    return refused


def _new_requester(mailbox: Mailbox, parsed: parsing.ParsedMail) -> User:
    first, _sep, last = parsed.from_name.partition(" ")
    username = parsed.from_address[:150]
    if User.objects.filter(username=username).exists():
        username = f"{username[:140]}-{_digest(username.encode())[:8]}"
    return people_ops.create_user(
        None,
        username=username,
        email=parsed.from_address,
        first_name=first[:150],
        last_name=last[:150],
        organization=mailbox.new_sender_organization,
        roles=[Role.REQUESTER],
    )


def loop_id() -> str:
    """What Steward writes in the X-Loop header of its own mail (and recognises)."""
    return settings.STEWARD_MAIL_LOOP_ID


def may_auto_reply(mailbox: Mailbox, parsed: parsing.ParsedMail) -> bool:
    if parsed.automatic or parsed.auto_reply_suppressed:
        return False
    since = timezone.now() - timedelta(hours=1)
    sent = AutoReply.objects.filter(address=parsed.from_address, sent_at__gte=since).count()
    return sent < mailbox.auto_replies_per_hour


def _refuse(mailbox: Mailbox, parsed: parsing.ParsedMail) -> None:
    """A polite answer to an unknown sender, unless that could start a loop."""
    if not may_auto_reply(mailbox, parsed):
        return
    AutoReply.objects.create(address=parsed.from_address)
    notifications.send_email(
        parsed.from_address,
        _("Re: %(subject)s") % {"subject": parsed.subject or _("your message")},
        _(
            "Thank you for your message to %(address)s. It was not registered: this address "
            "accepts mail only from people who have an account with the service desk. Please "
            "contact the service desk by phone or through its portal."
        )
        % {"address": mailbox.address},
        automatic=True,
        in_reply_to=parsed.message_id,
    )


# --- the quarantine ------------------------------------------------------------------------------


def retry(actor, message: InboundMessage) -> InboundMessage:
    """Process a quarantined message again (after a fix, or a user was created)."""
    require_admin(actor, gettext_lazy("retry quarantined mail"))
    with transaction.atomic():
        current = InboundMessage.objects.select_for_update().get(pk=message.pk)
        if current.status != MailMessageStatus.QUARANTINED:
            raise Conflict(
                _("Only a quarantined message can be retried."),
                {"status": [_("the message is %(status)s") % {"status": current.status}]},
            )
        InboundMessage.objects.filter(pk=message.pk).update(status=MailMessageStatus.RECEIVED)
        current.status = MailMessageStatus.RECEIVED
        journal.record(actor, current, "retried", {"status": ["quarantined", "received"]})
    return process(current)


@transaction.atomic
def discard(actor, message: InboundMessage, *, reason: str = "") -> InboundMessage:
    """Give up on a quarantined message; its raw file stays (nothing received is deleted)."""
    require_admin(actor, gettext_lazy("discard quarantined mail"))
    current = InboundMessage.objects.select_for_update().get(pk=message.pk)
    if current.status != MailMessageStatus.QUARANTINED:
        raise Conflict(
            _("Only a quarantined message can be discarded."),
            {"status": [_("the message is %(status)s") % {"status": current.status}]},
        )
    _mark(current, MailMessageStatus.DISCARDED)
    journal.record(actor, current, "discarded", {"status": ["quarantined", "discarded"]}, reason)
    return current
