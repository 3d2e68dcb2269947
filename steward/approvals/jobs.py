"""Background jobs of approvals (Huey): reminders and escalation of steps that wait.

Periodic and idempotent: a step is reminded when its ``remind_at`` has passed (which then
moves on) and escalated once (``escalated_at``); running twice in a row does nothing more.
"""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from steward.approvals.choices import State
from steward.approvals.models import ApprovalRequest
from steward.approvals.operations import reminders


def remind_and_escalate(now=None) -> dict:
    """Remind and escalate what is due at ``now``; ``{"reminded": steps, "escalated": steps}``."""
    now = now or timezone.now()
    due = ApprovalRequest.objects.filter(state=State.PENDING)
    reminded = escalated = 0
    for request in due.filter(remind_at__lte=now).order_by("remind_at", "id"):
        reminded += reminders.remind(request, now)
    for request in due.filter(escalate_at__lte=now, escalated_at=None).order_by("id"):
        escalated += reminders.escalate(request, now)
    return {"reminded": reminded, "escalated": escalated}


@db_periodic_task(crontab(minute="*/15"))
def remind_and_escalate_task():
    remind_and_escalate()
