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
from steward.core.texts import Text
from steward.notifications.choices import EmailStatus


def new_message_id() -> str:
    """A globally unique ``Message-ID`` header value, fixed at creation so retries reuse it."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("<> ") or "steward.localhost"
    return f"<{uuid.uuid4().hex}@{domain}>"


class Notification(models.Model):
    """A message inside Steward, about one record (optional), to one user or to one support
    group (one row however many members: each member's read state is kept apart, in
    :class:`NotificationRead` and :class:`ReadMark`; see ``notifications/queries.py``).

    ``read_at`` is the read state of a row addressed to one user; a group's row leaves it empty.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        help_text="The one user it is for; empty when it is for a group.",
    )
    group = models.ForeignKey(
        "people.SupportGroup",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        help_text="The group whose current members see it; empty when it is for one user.",
    )
    excluded = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A member of the group who is not told: the one who caused it.",
    )
    subject = models.CharField(max_length=200, help_text="In the installation's language")
    body = models.TextField(blank=True)
    texts = models.JSONField(
        default=dict,
        blank=True,
        help_text="The subject and body as core.texts.Text, to be said in each reader's language",
    )
    link = models.CharField(max_length=500, blank=True, help_text="Where the user can act on it")
    record_type = models.CharField(
        max_length=64, blank=True, help_text="app_label.model of the record it is about"
    )
    record_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(fields=["group", "-created_at"], name="notification_group_inbox"),
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient__isnull=False, group__isnull=True)
                | Q(recipient__isnull=True, group__isnull=False, read_at__isnull=True),
                name="notification_one_addressee",
                violation_error_message="A notification is for one user or for one group.",
            )
        ]

    def __str__(self) -> str:
        to = f"group {self.group_id}" if self.group_id else f"user {self.recipient_id}"
        return f"{self.subject} → {to}"

    def _said(self, part: str, fallback: str) -> str:
        data = self.texts.get(part) if self.texts else None
        return Text.from_json(data).render() if data else fallback

    @property
    def subject_text(self) -> str:
        """The subject in the active language (the reader's)."""
        return self._said("subject", self.subject)

    @property
    def body_text(self) -> str:
        return self._said("body", self.body)

    @property
    def is_read(self) -> bool:
        """Read by the user it was read for: ``my_read_at`` when the row came through
        ``queries.inbox(user)``, else the row's own ``read_at`` (a user's row)."""
        return getattr(self, "my_read_at", self.read_at) is not None

    @classmethod
    def permission_filter(cls, user, action):
        from steward.notifications.queries import visible  # queries imports this module

        return visible(user)


class NotificationRead(models.Model):
    """One member has read one notification addressed to their group. Written only when they
    read it (never when the notification is created); personal state, not journaled."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "notification"], name="notification_read_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.notification_id}"


class ReadMark(models.Model):
    """ "Mark all read" for the notifications of a user's groups: every one created up to
    ``read_up_to`` counts as read by this user (one row per user, moved by each "mark all")."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    read_up_to = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user_id} read up to {self.read_up_to:%Y-%m-%d %H:%M}"


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
    #: the record the mail is about: its token goes in the subject and replies find it
    record_type = models.CharField(max_length=64, blank=True)
    record_id = models.CharField(max_length=64, blank=True)
    #: the record's number ("INC0001234"), sent in the subject as "[INC0001234]"
    record_label = models.CharField(max_length=32, blank=True)
    #: RFC 3834: "auto-generated" (a notification) or "auto-replied" (an answer to a message);
    #: empty for mail a person wrote
    auto_submitted = models.CharField(max_length=16, blank=True)
    #: the Message-ID this mail answers (an automatic reply to a received message)
    in_reply_to = models.CharField(max_length=998, blank=True)
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


class Webhook(models.Model):
    """A subscription: Steward POSTs the events it names to ``url``, signed with ``secret``.

    Deliveries go through the outbox (:class:`WebhookDelivery`), with the email's claim,
    lease, retries and backoff. After ``settings.STEWARD_WEBHOOK_DISABLE_AFTER`` deliveries in
    a row that failed every attempt, the subscription switches itself off and its owner is told.
    """

    name = models.CharField(max_length=120)
    url = models.URLField(max_length=2000)
    #: event types ("incident.created", "incident.*", "*"); see docs/webhooks.md
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=128)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(default=True)
    #: deliver to loopback, link-local or private addresses (administrators only, journaled)
    allow_private_target = models.BooleanField(default=False)
    failures_in_a_row = models.PositiveIntegerField(default=0)
    disabled_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def permission_filter(cls, user, action):
        return Q() if user.is_admin else NOTHING


class WebhookDelivery(models.Model):
    """One event on its way to one subscription: the exact body that is signed and sent,
    and the outbox's bookkeeping (the same columns as :class:`OutboundEmail`)."""

    #: No constraint in the database: an event is written in the transaction of the change that
    #: caused it, and a subscription removed meanwhile by another process must not make that
    #: change fail at commit. Removing a subscription through the ORM removes its deliveries;
    #: the sender skips a delivery whose subscription is gone.
    webhook = models.ForeignKey(
        Webhook, on_delete=models.CASCADE, related_name="deliveries", db_constraint=False
    )
    event = models.CharField(max_length=100)
    body = models.TextField(help_text="The JSON sent, byte for byte")
    status = models.CharField(
        max_length=16, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_ms = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_due"),
            models.Index(fields=["webhook", "-created_at"], name="webhook_log"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook_id} ({self.status})"

    @classmethod
    def permission_filter(cls, user, action):
        return Q() if user.is_admin else NOTHING


class MailTemplate(models.Model):
    """An administrator's words for the e-mail of one event in one language
    (``notifications.mail_templates``); without one, Steward's built-in words are sent."""

    #: a :class:`~steward.notifications.mail_templates.MailEvent` key, e.g. "incident.resolved"
    event = models.CharField(max_length=64)
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    subject = models.CharField(max_length=255)
    body = models.TextField()
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["event", "language"]
        constraints = [
            models.UniqueConstraint(fields=["event", "language"], name="mail_template_once")
        ]

    def __str__(self) -> str:
        return f"{self.event} ({self.language})"

    @classmethod
    def permission_filter(cls, user, action):
        return Q() if user.is_admin else NOTHING
