"""In-app notifications and the outbound email outbox.

Both are written by :mod:`steward.notifications.operations` in the transaction of the change
that causes them; :mod:`steward.notifications.delivery` sends the email afterwards.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from steward.core.permissions import NOTHING, RestrictedQuerySet
from steward.notifications.choices import EmailStatus


def new_message_id() -> str:
    """A globally unique ``Message-ID`` header value, fixed at creation so retries reuse it."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("<> ") or "steward.localhost"
    return f"<{uuid.uuid4().hex}@{domain}>"


class NotificationQuerySet(RestrictedQuerySet):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message to one user inside Steward, about one record (optional), read or not yet."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True, help_text="Where the user can act on it")
    record_type = models.CharField(
        max_length=64, blank=True, help_text="app_label.model of the record it is about"
    )
    record_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @classmethod
    def permission_filter(cls, user, action):
        return Q(recipient=user)


class OutboundEmail(models.Model):
    """One email in the outbox: kept until it is sent (or has failed every attempt).

    A worker claims a row by moving it from ``pending`` to ``sending`` in one conditional
    UPDATE, with a lease (``claimed_until``) after which another worker may claim it again.
    """

    to_address = models.EmailField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The user it is for; empty for system mail to an address.",
    )
    subject = models.CharField(max_length=255)
    body = models.TextField()
    message_id = models.CharField(
        max_length=255, unique=True, default=new_message_id, editable=False
    )
    status = models.CharField(
        max_length=16, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "outbound email"
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_address} ({self.status})"

    @classmethod
    def permission_filter(cls, user, action):
        return Q() if user.is_admin else NOTHING
