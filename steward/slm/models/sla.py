"""SLA and OLA definitions: the commitments, their targets and warning thresholds."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from steward.core.models import VersionedModel
from steward.core.permissions import NOTHING, RestrictedQuerySet
from steward.people.models import Organization, SupportGroup, User
from steward.services.models import Service

DEFAULT_THRESHOLDS = [50, 75, 90]


def default_thresholds() -> list[int]:
    return list(DEFAULT_THRESHOLDS)


class Metric(models.TextChoices):
    RESPONSE = "response", _("Response")
    RESOLUTION = "resolution", _("Resolution")
    HANDOVER_ACCEPTANCE = "handover_acceptance", _("Handover acceptance (OLA)")
    TIME_WITH_GROUP = "time_with_group", _("Time with group (OLA)")


OLA_METRICS = frozenset({Metric.HANDOVER_ACCEPTANCE, Metric.TIME_WITH_GROUP})


class ReopenPolicy(models.TextChoices):
    CONTINUE = "continue", _("Continue the resolution clock")
    RESTART = "restart", _("Restart the resolution clock")


class SlaDefinition(VersionedModel):
    """A service level commitment: which tickets it covers and the targets it promises.

    It applies to tickets of ``record_type`` that match every condition it sets (priority,
    service, customer organization); among the matching definitions the most specific wins:
    a service match outweighs an organization match, which outweighs a priority match, and on a
    tie the oldest definition wins. Targets are working seconds on ``calendar`` (default: the
    service's calendar, else the 24x7 one). The service owner signs it off: the commitment is a
    record of who accepted it and when. ``escalations`` say what moves the work when a clock
    reaches a threshold: hand the ticket to the service's next support line, raise its
    priority one step, or both (see :mod:`steward.slm.escalation`).
    """

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    record_type = models.CharField(max_length=32, default="incident")
    priority = models.CharField(max_length=8, blank=True, help_text="e.g. P1; empty: any")
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.PROTECT, related_name="sla_definitions"
    )
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sla_definitions",
    )
    response_seconds = models.PositiveIntegerField(null=True, blank=True)
    resolution_seconds = models.PositiveIntegerField(null=True, blank=True)
    calendar = models.ForeignKey(
        "slm.Calendar", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    thresholds = models.JSONField(default=default_thresholds, blank=True)
    pause_when_paused = models.BooleanField(
        default=True, help_text="Paused status categories (e.g. On Hold) stop the clock"
    )
    reopen_policy = models.CharField(
        max_length=10, choices=ReopenPolicy.choices, default=ReopenPolicy.CONTINUE
    )
    escalations = models.JSONField(
        default=list,
        blank=True,
        help_text='What happens at a threshold: [{"metric": "resolution", "at": 75, '
        '"hand_over": true, "raise_priority": false}, ...]; "at": 100 is the breach',
    )
    is_active = models.BooleanField(default=True)
    signed_off_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["record_type", "is_active"], name="slm_def_type_active")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("slm:sla", args=[self.pk])

    def target_for(self, metric: str) -> int | None:
        return self.response_seconds if metric == Metric.RESPONSE else self.resolution_seconds

    def escalations_for(self, metric: str) -> list[dict]:
        """The functional escalation rules of one metric's clock."""
        return [rule for rule in self.escalations or [] if rule.get("metric") == metric]

    @classmethod
    def permission_filter(cls, user, action):
        if action == "view":
            return Q() if user.is_it else NOTHING
        if action == "change":  # administrators, and the owner of the SLA's service
            return Q() if user.is_admin else Q(service__owner=user)
        return Q() if user.is_admin else NOTHING


class OlaDefinition(VersionedModel):
    """An operational level agreement of one support group: how fast it accepts handovers and
    how long it may keep a ticket before resolving it or handing it on, in working time on the
    group's calendar (else 24x7). The group manager answers for it."""

    group = models.OneToOneField(SupportGroup, on_delete=models.CASCADE, related_name="ola")
    handover_acceptance_seconds = models.PositiveIntegerField(null=True, blank=True)
    time_with_group_seconds = models.PositiveIntegerField(null=True, blank=True)
    thresholds = models.JSONField(default=default_thresholds, blank=True)
    pause_when_paused = models.BooleanField(default=True)
    is_active = models.BooleanField(default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["group__name"]
        verbose_name = "OLA definition"

    def __str__(self) -> str:
        return f"OLA {self.group}"

    @property
    def name(self) -> str:
        return str(self)

    @property
    def reopen_policy(self) -> str:
        return ReopenPolicy.CONTINUE

    def escalations_for(self, metric: str) -> list[dict]:
        """OLAs escalate to the group's manager only (no functional escalation)."""
        return []

    def target_for(self, metric: str) -> int | None:
        if metric == Metric.HANDOVER_ACCEPTANCE:
            return self.handover_acceptance_seconds
        if metric == Metric.TIME_WITH_GROUP:
            return self.time_with_group_seconds
        return None

    @classmethod
    def permission_filter(cls, user, action):
        if action == "view":
            return Q() if user.is_it else NOTHING
        return Q() if user.is_admin else Q(group__manager=user)
