"""Enumerations of the notifications app, as string-valued choices."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailStatus(models.TextChoices):
    """Where an outbound email is on its way out.

    ``pending`` waits for its ``next_attempt_at``; ``sending`` is claimed by one worker until
    ``claimed_until``; ``sent`` and ``failed`` are final.
    """

    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
