"""``python manage.py ingest_mail --mailbox NAME < message.eml``: one message from an MTA's
pipe (Postfix ``pipe``, Exim ``transport``), received and processed like a polled one.

Exit status 0 when the message was kept (whatever became of it: a quarantined message is kept
too, and an MTA that retried would only deliver it again); 75 (EX_TEMPFAIL) when it could not
be stored, so the MTA keeps it and tries later; 64 (EX_USAGE) for an unknown mailbox."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from steward.mailbox.models import Mailbox
from steward.mailbox.operations import intake

EX_USAGE = 64
EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "Receive one message (RFC 5322 bytes on standard input) into a mailbox."

    def add_arguments(self, parser):
        parser.add_argument("--mailbox", required=True, help="The mailbox's name")

    def handle(self, *args, **options):
        mailbox = Mailbox.objects.filter(name=options["mailbox"]).first()
        if mailbox is None:
            self.stderr.write(f"No mailbox named {options['mailbox']!r}.")
            sys.exit(EX_USAGE)
        raw = sys.stdin.buffer.read()
        if not raw.strip():
            self.stderr.write("Nothing on standard input.")
            sys.exit(EX_USAGE)
        try:
            row = intake.ingest(mailbox, raw, source="pipe")
        except Exception as exc:  # storage or database down: the MTA keeps the message
            self.stderr.write(f"Could not store the message: {exc}")
            sys.exit(EX_TEMPFAIL)
        self.stdout.write(f"{row.status} {row.outcome or ''} {row.record_label or ''}".strip())
