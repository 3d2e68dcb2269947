"""Who authorizes what: change boards (a support group marked as a change authority, with its
quorum), the authority rule per change type and risk, and the approvals given."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from steward.changes.choices import ApprovalDecision, AuthorityLevel, ChangeType, Risk
from steward.changes.models.changes import ChangeRequest
from steward.changes.models.common import StaffOnly
from steward.core.models import VersionedModel
from steward.core.permissions import RestrictedQuerySet
from steward.people.models import SupportGroup, User


class ChangeBoard(StaffOnly, VersionedModel):
    """A support group acting as a change authority (the CAB, an emergency CAB). A decision
    needs ``quorum`` approvals of its members (and the change manager's among them when
    ``change_manager_required``); one rejection rejects."""

    group = models.OneToOneField(SupportGroup, on_delete=models.PROTECT, related_name="+")
    quorum = models.PositiveSmallIntegerField(default=3)
    change_manager_required = models.BooleanField(default=True)
    meets_on = models.CharField(
        max_length=200, blank=True, help_text="When it meets, e.g. Tuesdays 14:00"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(quorum__gte=1), name="changes_quorum")]

    def __str__(self) -> str:
        return self.group.name


class AuthorityRule(StaffOnly, VersionedModel):
    """Who authorizes changes of ``type`` at ``risk`` (admin data; the data migration writes
    the defaults: low → peer review, moderate → the change manager, high → the CAB, an
    emergency → the change manager alone)."""

    type = models.CharField(max_length=16, choices=ChangeType.choices)
    risk = models.CharField(max_length=16, choices=Risk.choices)
    level = models.CharField(max_length=16, choices=AuthorityLevel.choices)
    board = models.ForeignKey(
        ChangeBoard, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["type", "risk"]
        constraints = [
            models.UniqueConstraint(fields=["type", "risk"], name="changes_authority_unique"),
            models.CheckConstraint(
                condition=~Q(level="board") | Q(board__isnull=False),
                name="changes_board_level_has_board",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} / {self.risk}: {self.level}"


class Approval(StaffOnly, models.Model):
    """One approver's decision on a change in one round of authorization."""

    change = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="approvals")
    round = models.PositiveIntegerField()
    approver = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=16, choices=AuthorityLevel.choices)
    board = models.ForeignKey(
        ChangeBoard, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(max_length=16, choices=ApprovalDecision.choices)
    comment = models.TextField(blank=True)
    decided_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["change", "round", "approver"], name="changes_one_vote_per_round"
            ),
            models.CheckConstraint(
                condition=Q(decision__in=[d.value for d in ApprovalDecision]),
                name="changes_decision_valid",
            ),
        ]
        indexes = [models.Index(fields=["approver", "-decided_at"], name="chg_approver")]

    def __str__(self) -> str:
        return f"{self.change_id} round {self.round}: {self.decision}"
