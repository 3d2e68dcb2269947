"""The approvals tables: a step of approval asked on a record, the people asked and their
decisions, and delegations while someone is away.

Approvals know nothing of the records they are asked on: a record is named by its type
(``app_label.model``) and id, and the practice that owns it registers an
:class:`~steward.approvals.registry.ApprovalSubject` saying how to find, label and link it, who
may never approve it and what happens when a round is decided.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from steward.approvals.choices import Decision, Kind, Mode, State
from steward.core.models import VersionedModel
from steward.core.permissions import RestrictedQuerySet

User = settings.AUTH_USER_MODEL


def active_delegators(user, now=None) -> models.QuerySet:
    """The ids of the people ``user`` stands in for right now (their active delegations)."""
    now = now or timezone.now()
    return Delegation.objects.filter(
        delegate_id=user.pk, starts_at__lte=now, ends_at__gt=now, user__is_active=True
    ).values("user_id")


def asked_or_decided(user) -> Q:
    """The approval requests ``user`` is asked on or may decide (named, group member, role
    holder, or the active delegate of such a person), whatever their state."""
    from steward.people.models import User as Person
    from steward.people.models import UserRole

    people = Q(pk=user.pk) | Q(pk__in=active_delegators(user))
    ids = Person.objects.filter(people, is_active=True)
    named = Approver.objects.filter(user__in=ids.values("pk")).values("request_id")
    decided = Approver.objects.filter(decided_by_id=user.pk).values("request_id")
    groups = Person.support_groups.through.objects.filter(user__in=ids.values("pk")).values(
        "supportgroup_id"
    )
    roles = UserRole.objects.filter(user__in=ids.values("pk")).values("role")
    return (
        Q(pk__in=named)
        | Q(pk__in=decided)
        | Q(group_id__in=groups)
        | (~Q(role="") & Q(role__in=roles))
    )


class ApprovalRequest(VersionedModel):
    """One step of approval asked on one record, in one round.

    A practice asks for a round of steps (``operations.request_approval``); the steps of a
    round run in sequence: the first is ``pending``, the rest ``waiting`` until the one before
    is approved. ``mode`` any: ``quorum`` approvals decide the step; ``all``: every person
    asked. One rejection rejects the step and ends the round. Who may decide: the people named
    in its :class:`Approver` rows, any active member of ``group``, any active holder of
    ``role``, and the active delegates of those — never a person the subject excludes.
    """

    subject_type = models.CharField(max_length=64, help_text="app_label.model of the record")
    subject_id = models.BigIntegerField()
    subject_label = models.CharField(max_length=200, help_text="The record's name when asked")
    round = models.PositiveIntegerField(default=1)
    step = models.PositiveIntegerField(default=1)
    name = models.CharField(max_length=120, help_text="What people call the step: Line manager")
    mode = models.CharField(max_length=8, choices=Mode.choices, default=Mode.ANY)
    quorum = models.PositiveIntegerField(default=1, help_text="Approvals needed (mode any)")
    group = models.ForeignKey(
        "people.SupportGroup",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Any active member may decide",
    )
    role = models.CharField(max_length=32, blank=True, help_text="Any active holder may decide")
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    requested_at = models.DateTimeField(help_text="When the step was opened (asked)")
    decided_at = models.DateTimeField(null=True, blank=True)
    remind_at = models.DateTimeField(null=True, blank=True)
    escalate_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveIntegerField(default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalate_to = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    #: The people the subject excluded when the step opened (its requester...): a snapshot
    #: that keeps them out of ``queries.awaiting`` in SQL; ``decide`` asks the subject afresh.
    excluded_users = models.ManyToManyField(User, blank=True, related_name="+")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["subject_type", "subject_id", "round", "step"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "round", "step"],
                name="approvals_one_step_per_round",
            ),
            models.CheckConstraint(condition=Q(round__gte=1), name="approvals_round_positive"),
            models.CheckConstraint(condition=Q(step__gte=1), name="approvals_step_positive"),
            models.CheckConstraint(condition=Q(quorum__gte=1), name="approvals_quorum_positive"),
            models.CheckConstraint(
                condition=Q(mode__in=[m.value for m in Mode]), name="approvals_mode_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in State]), name="approvals_state_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="approvals_subject"),
            models.Index(fields=["state", "remind_at"], name="approvals_remind"),
            models.Index(fields=["state", "escalate_at"], name="approvals_escalate"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_label}: {self.name}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("approvals:detail", args=[self.pk])

    @classmethod
    def permission_filter(cls, user, action):
        if action == "view":
            return Q() if user.is_it else asked_or_decided(user)
        return asked_or_decided(user)


class Approver(models.Model):
    """One person asked on a step, or one decision given.

    Named people (a user, the line manager, the service owner; with mode ``all`` every member
    of the step's group) have a ``pending`` row from the moment the step is asked; a member of
    a group or a role holder deciding a mode ``any`` step gets a row when they decide.
    ``user`` is the person asked (or who decided, for a group or role); ``decided_by`` who
    actually decided: ``user`` or, with ``on_behalf_of = user``, their delegate.
    """

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="approvers")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.USER)
    decision = models.CharField(max_length=16, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on_behalf_of = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["request", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "user"], name="approvals_one_row_per_user"),
            models.CheckConstraint(
                condition=Q(decision__in=[d.value for d in Decision]),
                name="approvals_decision_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in Kind]), name="approvals_kind_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "decision"], name="approvals_approver_user"),
            models.Index(fields=["decided_by"], name="approvals_decided_by"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.user_id} {self.decision}"


class Delegation(VersionedModel):
    """While ``user`` is away (``starts_at`` ≤ now < ``ends_at``), ``delegate`` may decide
    what ``user`` may decide (recorded as ``on_behalf_of=user``); reminders go to both."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="delegations")
    delegate = models.ForeignKey(User, on_delete=models.PROTECT, related_name="stand_ins")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(user=F("delegate")), name="approvals_delegate_not_self"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")), name="approvals_delegation_period"
            ),
        ]
        indexes = [
            models.Index(fields=["delegate", "ends_at"], name="approvals_delegate"),
            models.Index(fields=["user", "ends_at"], name="approvals_delegator"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.delegate}"

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.starts_at <= now < self.ends_at

    @classmethod
    def permission_filter(cls, user, action):
        own = Q(user_id=user.pk) | Q(delegate_id=user.pk)
        if action == "view":
            return Q() if user.is_it else own
        return Q() if user.is_admin else Q(user_id=user.pk)
