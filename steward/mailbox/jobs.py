"""The worker's mail rounds: each active IMAP mailbox polled when its interval has passed."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from steward.mailbox import fetching
from steward.mailbox.models import Mailbox


def due_mailboxes(now=None) -> list[Mailbox]:
    now = now or timezone.now()
    boxes = Mailbox.objects.filter(is_active=True).exclude(imap_host="")
    return [
        m
        for m in boxes.filter(Q(last_polled_at__isnull=True) | Q(last_polled_at__lt=now))
        if m.last_polled_at is None or m.last_polled_at + timedelta(seconds=m.poll_seconds) <= now
    ]


def poll_due(now=None) -> dict[str, dict[str, int]]:
    return {m.name: fetching.poll(m) for m in due_mailboxes(now)}


@db_periodic_task(crontab(minute="*"))
def poll_mailboxes():
    poll_due()
