"""The headers of Steward's mail: how mail clients thread it, and how robots leave it alone.

- ``Message-ID`` fixed when the row is written (retries reuse it);
- ``In-Reply-To`` and ``References`` name the record's thread root
  (``<incidents.incident.42@domain>``), so every mail about one ticket is one thread in the
  reader's client, and a reply names a Message-ID the intake knows;
- ``Auto-Submitted`` (RFC 3834) on automatic mail, so out-of-office responders stay silent;
- ``X-Loop`` with Steward's loop id, so Steward never acts on its own mail coming back;
- ``Reply-To``: the mailbox that reads replies (asked of ``reply_to_hook``, which the mailbox
  app sets; notifications knows nothing of mailboxes).
Django refuses a header value with a line break (``BadHeaderError``): nothing can be injected.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

#: (record_type, record_id) -> the address replies should go to, or "". Set by the mailbox app.
reply_to_hook: Callable[[str, str], str] | None = None


def domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("<> ") or "steward.localhost"


def thread_root(record_type: str, record_id: str) -> str:
    return f"<{record_type}.{record_id}@{domain()}>"


def for_row(row) -> dict[str, str]:
    headers = {"Message-ID": row.message_id}
    if settings.STEWARD_MAIL_LOOP_ID:
        headers["X-Loop"] = settings.STEWARD_MAIL_LOOP_ID
    if row.auto_submitted:
        headers["Auto-Submitted"] = row.auto_submitted
    if row.in_reply_to:
        headers["In-Reply-To"] = row.in_reply_to
        headers["References"] = row.in_reply_to
    if row.record_type and row.record_id:
        root = thread_root(row.record_type, row.record_id)
        headers.setdefault("In-Reply-To", root)
        headers["References"] = root
        if reply_to_hook is not None:
            address = reply_to_hook(row.record_type, row.record_id)
            if address:
                headers["Reply-To"] = address
    return headers


def subject(row) -> str:
    """The subject with the record's token: its number in brackets where the subject names
    it ("Reply on [INC0001234]: …"), else in front. The intake threads a reply by it when
    the client dropped In-Reply-To."""
    label = row.record_label
    if not label or f"[{label}]" in row.subject:
        return row.subject
    if label in row.subject:
        return row.subject.replace(label, f"[{label}]", 1)
    return f"[{label}] {row.subject}"
