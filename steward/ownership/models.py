"""Processes, their activities and the RACI matrix that says who does what in each activity."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from steward.core.models import VersionedModel
from steward.core.permissions import NOTHING, RestrictedQuerySet
from steward.ownership.choices import Letter, PartyKind
from steward.people.choices import Role
from steward.people.models import SupportGroup, User


def _editable_processes(user) -> Q:
    """Admins edit every process; a process owner edits their own."""
    if user.is_admin:
        return Q()
    return Q(owner=user)


class Process(VersionedModel):
    """A practice Steward runs (incident, change, ...) with one accountable process owner.

    ``owner`` is nullable in the database only because the default processes are seeded before
    anyone exists; the operations require an active owner on every write, and a process without
    one is an ownership gap.
    """

    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_processes",
        help_text="The process owner: accountable for the process as a whole",
    )
    managers = models.ManyToManyField(User, blank=True, related_name="managed_processes")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def permission_filter(cls, user, action):
        if not user.is_it:
            return NOTHING
        return Q() if action == "view" else _editable_processes(user)


class Activity(models.Model):
    """One step of a process (incident: log, categorize, ...), in the order they happen."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="activities")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["process", "order", "id"]
        verbose_name_plural = "activities"
        constraints = [
            models.UniqueConstraint(fields=["process", "name"], name="ownership_activity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.process.name}: {self.name}" if self.process_id else self.name

    @classmethod
    def permission_filter(cls, user, action):
        if not user.is_it:
            return NOTHING
        if action == "view" or user.is_admin:
            return Q()
        return Q(process__owner=user)


class RaciAssignment(models.Model):
    """One letter (R, A, C or I) given to one party — a role, a group or a person — on one
    activity. A role or group given A names the person who answers for it."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="assignments")
    letter = models.CharField(max_length=1, choices=Letter.choices)
    role = models.CharField(max_length=32, choices=Role.choices, blank=True)
    group = models.ForeignKey(
        SupportGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="raci_rows"
    )
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="raci_rows"
    )
    accountable_person = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="raci_accountable_rows",
        help_text="For a role or group given A: the one person who answers for it",
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["activity", "letter", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(letter__in=[c.value for c in Letter]), name="ownership_raci_letter"
            ),
            models.CheckConstraint(
                condition=(
                    (~Q(role="") & Q(group__isnull=True) & Q(user__isnull=True))
                    | (Q(role="") & Q(group__isnull=False) & Q(user__isnull=True))
                    | (Q(role="") & Q(group__isnull=True) & Q(user__isnull=False))
                ),
                name="ownership_raci_one_party",
            ),
            models.CheckConstraint(
                condition=Q(accountable_person__isnull=True)
                | (Q(letter=Letter.ACCOUNTABLE) & Q(user__isnull=True)),
                name="ownership_raci_accountable_person_only_for_a",
            ),
            models.UniqueConstraint(
                fields=["activity", "letter", "role"],
                condition=~Q(role=""),
                name="ownership_raci_role_once",
            ),
            models.UniqueConstraint(
                fields=["activity", "letter", "group"],
                condition=Q(group__isnull=False),
                name="ownership_raci_group_once",
            ),
            models.UniqueConstraint(
                fields=["activity", "letter", "user"],
                condition=Q(user__isnull=False),
                name="ownership_raci_user_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.letter}: {self.party_name}"

    @property
    def party_kind(self) -> str:
        if self.role:
            return PartyKind.ROLE
        return PartyKind.GROUP if self.group_id else PartyKind.USER

    @property
    def party_id(self) -> str | int:
        return self.role or self.group_id or self.user_id

    @property
    def party_key(self) -> tuple[str, str | int]:
        return (self.party_kind, self.party_id)

    @property
    def party_name(self) -> str:
        if self.role:
            return str(Role(self.role).label)
        return str(self.group if self.group_id else self.user)

    @classmethod
    def permission_filter(cls, user, action):
        if not user.is_it:
            return NOTHING
        if action == "view" or user.is_admin:
            return Q()
        return Q(activity__process__owner=user)
