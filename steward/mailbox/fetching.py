"""Reading a mailbox over IMAP (imap-tools): fetch what is unseen, hand each message to the
intake, then mark it seen. A message is marked only after it is stored, so a poll that dies
half-way fetches it again next time, and the intake's (mailbox, Message-ID) key acts once."""

from __future__ import annotations

import logging
import ssl

from django.db import transaction
from django.utils import timezone
from imap_tools import AND, MailBox, MailBoxStartTls, MailBoxUnencrypted, MailMessageFlags

from steward.mailbox.choices import MailAuthKind, MailSecurity
from steward.mailbox.models import Mailbox
from steward.mailbox.operations import intake

log = logging.getLogger(__name__)
TIMEOUT = 30


def _client(mailbox: Mailbox):
    port = mailbox.imap_port
    if mailbox.security == MailSecurity.SSL:
        context = ssl.create_default_context()
        return MailBox(mailbox.imap_host, port or 993, timeout=TIMEOUT, ssl_context=context)
    if mailbox.security == MailSecurity.STARTTLS:
        context = ssl.create_default_context()
        return MailBoxStartTls(mailbox.imap_host, port or 143, timeout=TIMEOUT, ssl_context=context)
    return MailBoxUnencrypted(mailbox.imap_host, port or 143, timeout=TIMEOUT)


def _login(client, mailbox: Mailbox):
    if mailbox.auth == MailAuthKind.OAUTH2:
        return client.xoauth2(mailbox.username, mailbox.secret, initial_folder=mailbox.folder)
    return client.login(mailbox.username, mailbox.secret, initial_folder=mailbox.folder)


def _raw(box, uid: str) -> bytes | None:
    """The message's bytes exactly as stored on the server (BODY.PEEK leaves it unseen)."""
    typ, data = box.client.uid("FETCH", uid, "(BODY.PEEK[])")
    if typ != "OK":
        return None
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            return item[1]
    return None


def poll(mailbox: Mailbox, *, limit: int = 200) -> dict[str, int]:
    """Fetch up to ``limit`` unseen messages; returns counts by what became of them."""
    counts: dict[str, int] = {}
    try:
        with _login(_client(mailbox), mailbox) as box:
            for uid in box.uids(AND(seen=False))[:limit]:
                raw = _raw(box, uid)
                if raw is None:
                    continue  # expunged meanwhile
                row = intake.ingest(mailbox, raw, source="imap")
                box.flag(uid, MailMessageFlags.SEEN, True)
                counts[row.status] = counts.get(row.status, 0) + 1
        error = ""
    except Exception as exc:  # the server's failure is the mailbox's state, shown to admins
        log.warning("mailbox %s: poll failed: %s", mailbox.name, exc)
        error = f"{type(exc).__name__}: {exc}"[:2000]
    # the poll's bookkeeping on the mailbox row (like the outbox's), not a change of its settings
    with transaction.atomic():
        Mailbox.objects.filter(pk=mailbox.pk).update(
            last_polled_at=timezone.now(), last_error=error
        )
    return counts
