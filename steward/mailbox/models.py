"""Mailboxes Steward reads, and every message it received from them.

A message is kept twice: its raw bytes as an ``.eml`` file (``raw_path``, written before
anything else), and a row saying what it became. The row is unique per mailbox by Message-ID, or
by the SHA-256 of the raw bytes when the message has none, so fetching a message twice (a
poll that died before marking it seen, an MTA that retried the pipe) acts once.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from steward.core.models import VersionedModel
from steward.core.permissions import NOTHING, RestrictedQuerySet
from steward.mailbox.choices import (
    MailAuthKind,
    MailMessageStatus,
    MailNewSenders,
    MailOutcome,
    MailSecurity,
)
from steward.people.models import Organization, SupportGroup
from steward.services.models import Service


class AdminOnly:
    """Rows only administrators read (they hold addresses, credentials and raw mail)."""

    @classmethod
    def permission_filter(cls, user, action):
        return Q() if user.is_admin else NOTHING


class Mailbox(AdminOnly, VersionedModel):
    """One mailbox Steward reads (over IMAP, or fed by an MTA through ``ingest_mail``)."""

    name = models.SlugField(max_length=60, unique=True, help_text="Used by `ingest_mail --mailbox`")
    address = models.EmailField(unique=True, help_text="Replies go to this address (Reply-To)")
    imap_host = models.CharField(max_length=255, blank=True)
    imap_port = models.PositiveIntegerField(null=True, blank=True)
    security = models.CharField(
        max_length=8, choices=MailSecurity.choices, default=MailSecurity.SSL
    )
    username = models.CharField(max_length=255, blank=True)
    auth = models.CharField(
        max_length=8, choices=MailAuthKind.choices, default=MailAuthKind.PASSWORD
    )
    #: the password or OAuth2 token; written, never shown or returned by the API
    secret = models.CharField(max_length=4000, blank=True)
    folder = models.CharField(max_length=255, default="INBOX")
    default_service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    default_group = models.ForeignKey(
        SupportGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    new_senders = models.CharField(
        max_length=8, choices=MailNewSenders.choices, default=MailNewSenders.REJECT
    )
    new_sender_organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The organization a sender created as a requester joins",
    )
    poll_seconds = models.PositiveIntegerField(default=60)
    #: automatic replies (refusals) to one sender per hour, at most
    auto_replies_per_hour = models.PositiveSmallIntegerField(default=3)
    is_active = models.BooleanField(default=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(poll_seconds__gte=10), name="mailbox_poll_at_least_10s"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>"


class InboundMessage(AdminOnly, models.Model):
    """One message received, stored raw first, then processed (or quarantined, or ignored)."""

    mailbox = models.ForeignKey(Mailbox, on_delete=models.PROTECT, related_name="messages")
    message_id = models.CharField(max_length=998, blank=True)
    sha256 = models.CharField(max_length=64)
    raw_path = models.CharField(max_length=300, help_text="The .eml file in the media storage")
    size = models.PositiveIntegerField()
    received_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=8, default="imap")  # imap | pipe
    from_address = models.CharField(max_length=320, blank=True)
    subject = models.CharField(max_length=998, blank=True)
    status = models.CharField(
        max_length=12, choices=MailMessageStatus.choices, default=MailMessageStatus.RECEIVED
    )
    outcome = models.CharField(max_length=16, choices=MailOutcome.choices, blank=True)
    reason = models.TextField(blank=True, help_text="Why it was quarantined or ignored")
    record_type = models.CharField(max_length=64, blank=True)
    record_id = models.CharField(max_length=64, blank=True)
    record_label = models.CharField(max_length=64, blank=True)
    #: the message's HTML, sanitized (nh3), for the sandboxed view; empty when it had none
    html = models.TextField(blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mailbox", "message_id"],
                condition=~Q(message_id=""),
                name="inbound_once_per_message_id",
            ),
            models.UniqueConstraint(
                fields=["mailbox", "sha256"],
                condition=Q(message_id=""),
                name="inbound_once_per_digest",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-received_at"], name="inbound_status"),
            models.Index(fields=["record_type", "record_id"], name="inbound_record"),
            # threading: a reply's In-Reply-To / References name an earlier message
            models.Index(fields=["message_id"], name="inbound_message_id"),
        ]

    def __str__(self) -> str:
        return f"{self.message_id or self.sha256[:12]} ({self.status})"


class AutoReply(models.Model):
    """An automatic reply Steward sent to an address (a refusal): counted per hour, so a
    loop with another robot stops after a few."""

    address = models.CharField(max_length=320)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["address", "-sent_at"], name="auto_reply_recent")]

    def __str__(self) -> str:
        return f"{self.address} at {self.sent_at:%Y-%m-%d %H:%M}"
