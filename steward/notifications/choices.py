"""Enumerations of the notifications app, as string-valued choices."""

from django.db import models


class EmailStatus(models.TextChoices):
    """Where an outbound email is on its way out.

    ``pending`` waits for its ``next_attempt_at``; ``sending`` is claimed by one worker until
    ``claimed_until``; ``sent`` and ``failed`` are final.
    """

    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
