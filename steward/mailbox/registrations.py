"""What the mailbox app contributes elsewhere (declared in apps.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from steward.core.registry import NavEntry
from steward.mailbox.models import InboundMessage, Mailbox


def _is_admin(user) -> bool:
    return user.is_authenticated and user.is_admin


ADMIN = [NavEntry("mail", _("Mail"), "mailbox:mailboxes", order=70, visible=_is_admin)]


def reply_to(record_type: str, record_id: str) -> str:
    """The address replies about a record go to: the mailbox it first came in through, else
    the first active mailbox, else none (the From address then takes the replies)."""
    first = (
        InboundMessage.objects.filter(record_type=record_type, record_id=record_id)
        .order_by("id")
        .values_list("mailbox__address", flat=True)
        .first()
    )
    if first:
        return first
    return (
        Mailbox.objects.filter(is_active=True)
        .order_by("id")
        .values_list("address", flat=True)
        .first()
        or ""
    )
