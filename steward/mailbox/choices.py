"""The mailbox app's choices: how Steward reaches a mailbox, and what became of each message."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MailSecurity(models.TextChoices):
    SSL = "ssl", _("SSL/TLS (port 993)")
    STARTTLS = "starttls", _("STARTTLS (port 143)")
    NONE = "none", _("None (loopback and tests only)")


class MailAuthKind(models.TextChoices):
    PASSWORD = "password", _("Password")
    OAUTH2 = "oauth2", _("OAuth2 access token (XOAUTH2)")


class MailNewSenders(models.TextChoices):
    """What a message from an address no user has gets."""

    CREATE = "create", _("Create the sender as a requester")
    REJECT = "reject", _("Refuse, with a polite reply")


class MailMessageStatus(models.TextChoices):
    RECEIVED = "received", _("Received")  # stored raw, not yet processed
    PROCESSED = "processed", _("Processed")
    IGNORED = "ignored", _("Ignored")  # automatic mail (bounce, out-of-office): kept, not acted on
    QUARANTINED = "quarantined", _("Quarantined")
    DISCARDED = "discarded", _("Discarded")


class MailOutcome(models.TextChoices):
    """What a processed message did."""

    NEW_TICKET = "new_ticket", _("Opened a ticket")
    REPLY = "reply", _("Added to a ticket")
    LINKED_TICKET = "linked_ticket", _("Opened a ticket linked to another")
    REFUSED = "refused", _("Refused (unknown sender)")
    AUTOMATIC = "automatic", _("Automatic mail: no action")
