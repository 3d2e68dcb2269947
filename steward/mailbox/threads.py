"""Which ticket a message answers: its In-Reply-To and References against the Message-IDs
Steward sent (the outbox) and received (the intake), then the ticket token in its subject."""

from __future__ import annotations

from steward.mailbox import targets
from steward.mailbox.models import InboundMessage
from steward.mailbox.parsing import ParsedMail
from steward.notifications.models import OutboundEmail


def thread_of(parsed: ParsedMail):
    """``(target, instance)`` or None."""
    ids = parsed.thread_ids
    if ids:
        known = {}
        for mid, rtype, rid in (
            OutboundEmail.objects.filter(message_id__in=ids)
            .exclude(record_type="")
            .values_list("message_id", "record_type", "record_id")
        ):
            known.setdefault(mid, (rtype, rid))
        for mid, rtype, rid in (
            InboundMessage.objects.filter(message_id__in=ids)
            .exclude(record_type="")
            .values_list("message_id", "record_type", "record_id")
        ):
            known.setdefault(mid, (rtype, rid))
        for mid in ids:  # nearest first
            if mid in known:
                found = targets.from_record(*known[mid])
                if found is not None:
                    return found
    return targets.from_subject(parsed.subject)
