"""Mailboxes are administrators' data: created, changed and removed here, journaled (the
secret never: the journal says it changed, not what it is)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import Conflict, ValidationError
from steward.core.operations import full_clean, require_admin
from steward.mailbox.choices import MailSecurity
from steward.mailbox.models import Mailbox

FIELDS = [
    "name",
    "address",
    "imap_host",
    "imap_port",
    "security",
    "username",
    "auth",
    "folder",
    "default_service",
    "default_group",
    "new_senders",
    "new_sender_organization",
    "poll_seconds",
    "auto_replies_per_hour",
    "is_active",
]
SECRET = "secret"  # noqa: S105 (the field's name, not a password)


def _check(mailbox: Mailbox) -> None:
    if mailbox.imap_host and not mailbox.username:
        raise ValidationError.field("username", _("A mailbox read over IMAP needs a user name."))
    if mailbox.imap_host and mailbox.imap_port is None:
        mailbox.imap_port = 993 if mailbox.security == MailSecurity.SSL else 143
    full_clean(mailbox)


@transaction.atomic
def create_mailbox(actor, **fields) -> Mailbox:
    require_admin(actor, gettext_lazy("manage mailboxes"))
    unknown = set(fields) - {*FIELDS, SECRET}
    if unknown:
        raise ValidationError(
            _("Unknown fields %(fields)s") % {"fields": sorted(unknown)},
            {k: [_("unknown field")] for k in unknown},
        )
    mailbox = Mailbox(**fields)
    _check(mailbox)
    mailbox.save()
    journal.record(
        actor,
        mailbox,
        "created",
        {k: [None, v] for k, v in journal.snapshot(mailbox, FIELDS).items()},
    )
    return mailbox


@transaction.atomic
def update_mailbox(actor, mailbox: Mailbox, *, version: int | None = None, **fields) -> Mailbox:
    require_admin(actor, gettext_lazy("manage mailboxes"))
    unknown = set(fields) - {*FIELDS, SECRET}
    if unknown:
        raise ValidationError(
            _("Unknown fields %(fields)s") % {"fields": sorted(unknown)},
            {k: [_("unknown field")] for k in unknown},
        )
    before = journal.snapshot(mailbox, FIELDS)
    secret_changed = SECRET in fields and fields[SECRET] != mailbox.secret
    for name, value in fields.items():
        setattr(mailbox, name, value)
    _check(mailbox)
    save_versioned(mailbox, version, [*fields, "imap_port"])
    changes = journal.diff(before, journal.snapshot(mailbox, FIELDS))
    if secret_changed:
        changes[SECRET] = ["(hidden)", "(changed)"]
    if changes:
        journal.record(actor, mailbox, "updated", changes)
    return mailbox


@transaction.atomic
def delete_mailbox(actor, mailbox: Mailbox) -> None:
    """Only a mailbox that never received anything; otherwise switch it off."""
    require_admin(actor, gettext_lazy("manage mailboxes"))
    if mailbox.messages.exists():
        raise Conflict(
            _("%(name)s has received mail: switch it off instead, so its messages stay.")
            % {"name": mailbox.name},
            {"mailbox": [_("has received mail")]},
        )
    journal.record(actor, mailbox, "deleted", {"name": [mailbox.name, None]})
    mailbox.delete()
