"""Reminders and escalation of steps that wait too long (run by ``jobs.remind_and_escalate``).

A pending step past its ``remind_at`` reminds the people who may still decide it (and their
active delegates) and moves ``remind_at`` on by ``STEWARD_APPROVAL_REMIND_DAYS`` business days;
past its ``escalate_at`` it tells, once, ``escalate_to`` — else the manager of its group, else
the line managers of the people asked. Each step is locked and re-read first, so two runs at
once (or one after the other) remind and escalate once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from steward.approvals import notices, queries, registry
from steward.approvals.calendar import add_business_days
from steward.approvals.choices import Decision, State
from steward.approvals.models import ApprovalRequest
from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.texts import Text


def _instance(request):
    subject = registry.subject(request.subject_type)
    return subject.instance(request.subject_id) if subject is not None else None


@transaction.atomic
def remind(request: ApprovalRequest, now=None) -> bool:
    """Remind a pending step's approvers if it is due; whether it was due."""
    now = now or timezone.now()
    row = (
        ApprovalRequest.objects.select_for_update(of=("self",))
        .filter(pk=request.pk, state=State.PENDING, remind_at__lte=now)
        .select_related("group")
        .first()
    )
    if row is None:
        return False
    notices.reminded(row, _instance(row), queries.excluded(row), now)
    row.reminders_sent += 1
    row.remind_at = add_business_days(now, settings.STEWARD_APPROVAL_REMIND_DAYS)
    save_versioned(row, None, ["reminders_sent", "remind_at"])
    return True


def escalation_recipients(request: ApprovalRequest) -> list:
    """Whom an overdue step is escalated to: ``escalate_to``, else its group's manager, else
    the line managers of the people still asked."""
    if request.escalate_to is not None and request.escalate_to.is_active:
        return [request.escalate_to]
    if request.group_id and request.group.manager and request.group.manager.is_active:
        return [request.group.manager]
    managers = {}
    for approver in request.approvers.filter(decision=Decision.PENDING).select_related(
        "user__line_manager"
    ):
        manager = approver.user.line_manager
        if manager is not None and manager.is_active:
            managers[manager.pk] = manager
    return list(managers.values())


@transaction.atomic
def escalate(request: ApprovalRequest, now=None) -> bool:
    """Escalate an overdue pending step once; whether it was escalated now."""
    now = now or timezone.now()
    row = (
        ApprovalRequest.objects.select_for_update(of=("self",))
        .filter(pk=request.pk, state=State.PENDING, escalate_at__lte=now, escalated_at=None)
        .select_related("group__manager", "escalate_to")
        .first()
    )
    if row is None:
        return False
    recipients = escalation_recipients(row)
    notices.escalated(row, recipients, settings.STEWARD_APPROVAL_ESCALATE_DAYS)
    row.escalated_at = now
    save_versioned(row, None, ["escalated_at"])
    instance = _instance(row)
    if instance is not None:
        journal.record(
            None,
            instance,
            "approval_escalated",
            {"approval_step": [None, row.name], "escalated_to": [None, recipients]},
            Text(gettext_noop("overdue approval")),
        )
    return True
