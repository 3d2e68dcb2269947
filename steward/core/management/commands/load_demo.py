"""Load the demo organisation: each practice contributes its own idempotent demo step.

The steps run with the simulated clock (``core.clock``) starting a little over 90 days ago,
so the organisation exists before its history; the incidents step replays that history up
to now. The demo's mail goes to the outbox and is handed to Django's dummy backend (nothing
leaves the machine, nothing is printed), so the first ``make run`` ends with the
administrator's password, not with a screenful of e-mails. A step may return a message to
print last (the people step returns the credentials).
"""

from __future__ import annotations

import datetime as dt
import logging
from contextlib import contextmanager

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from huey.contrib.djhuey import HUEY

from steward.core import clock
from steward.core.registry import demo_steps

#: where the simulated clock starts: before the 90 days of history the incidents step replays
PAST = dt.timedelta(days=92)


@contextmanager
def quiet_mail():
    """The demo's mail is delivered at once, to nowhere, without a log line per message."""
    immediate, huey_log = HUEY.immediate, logging.getLogger("huey")
    level = huey_log.level
    HUEY.immediate = True
    huey_log.setLevel(logging.WARNING)
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            yield
    finally:
        HUEY.immediate = immediate
        huey_log.setLevel(level)


class Command(BaseCommand):
    help = "Create a small realistic IT organisation with 90 days of history. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="quietly do nothing when the demo data is already there",
        )

    def handle(self, once=False, **options):
        last = []
        start = (clock.now() - PAST).replace(hour=7, minute=0, second=0, microsecond=0)
        with quiet_mail(), clock.simulated(start):
            for step in demo_steps():
                with transaction.atomic():
                    message = step.load(self.stdout, quiet=once)
                if message:
                    last.append(message)
        for message in last:
            self.stdout.write(message)
