"""The mail practice's ownership gap: mail waiting in quarantine for more than a day. Somebody
wrote to the desk and nobody has looked at why their message was set aside; the
administrators retry or discard it."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.mailbox.choices import MailMessageStatus
from steward.mailbox.models import InboundMessage
from steward.ownership import gaps
from steward.ownership.choices import Severity

#: how long a message may wait in quarantine before it is a gap
WAIT = dt.timedelta(days=1)
#: the gap list names at most this many messages (the quarantine page lists them all)
LIMIT = 50


def quarantine_waiting() -> list[dict]:
    since = timezone.now() - WAIT
    rows = InboundMessage.objects.filter(
        status=MailMessageStatus.QUARANTINED, received_at__lt=since
    ).order_by("received_at", "id")[:LIMIT]
    return [
        gaps.gap(
            "mail_quarantined",
            "mail_message",
            message,
            _("a message from %(sender)s has waited in quarantine since %(day)s: %(reason)s")
            % {
                "sender": message.from_address or _("an unknown sender"),
                "day": timezone.localtime(message.received_at).date().isoformat(),
                "reason": message.reason[:200],
            },
            gaps.ADMINS,
            reverse("mailbox:message", args=[message.pk]),
            severity=Severity.WARNING,
        )
        for message in rows
    ]


GAP_PROVIDERS = (
    gaps.GapProvider(
        "mail_quarantined",
        gettext_lazy("Mail waiting in quarantine"),
        quarantine_waiting,
        order=95,
        collect_for=gaps.for_admins(quarantine_waiting),
    ),
)
