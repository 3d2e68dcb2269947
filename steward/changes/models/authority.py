"""Who authorizes what: change boards (a support group marked as a change authority, with its
quorum) and the authority rule per change type and risk. The approvals given are the shared
approvals' (``steward.approvals``: one step per round, its approver rows the votes)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from steward.changes.choices import AuthorityLevel, ChangeType, Risk
from steward.changes.models.common import StaffOnly
from steward.core.models import VersionedModel
from steward.core.permissions import RestrictedQuerySet
from steward.people.models import SupportGroup


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
