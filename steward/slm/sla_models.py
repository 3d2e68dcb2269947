"""SLA definitions, the clocks they start on tickets, and each clock's ledger.

Imported by :mod:`steward.slm.models`, so Django sees these tables as the ``slm`` app's.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from steward.core.models import VersionedModel
from steward.core.permissions import NOTHING, RestrictedQuerySet
from steward.people.models import Organization, SupportGroup, User
from steward.services.models import Service

DEFAULT_THRESHOLDS = [50, 75, 90]


def default_thresholds() -> list[int]:
    return list(DEFAULT_THRESHOLDS)


class Metric(models.TextChoices):
    RESPONSE = "response", "Response"
    RESOLUTION = "resolution", "Resolution"
    HANDOVER_ACCEPTANCE = "handover_acceptance", "Handover acceptance (OLA)"
    TIME_WITH_GROUP = "time_with_group", "Time with group (OLA)"


OLA_METRICS = frozenset({Metric.HANDOVER_ACCEPTANCE, Metric.TIME_WITH_GROUP})


class ReopenPolicy(models.TextChoices):
    CONTINUE = "continue", "Continue the resolution clock"
    RESTART = "restart", "Restart the resolution clock"


class ClockState(models.TextChoices):
    RUNNING = "running", "Running"
    PAUSED = "paused", "Paused"
    MET = "met", "Met"
    BREACHED = "breached", "Breached"
    CANCELLED = "cancelled", "Cancelled"


class SlaDefinition(VersionedModel):
    """A service level commitment: which tickets it covers and the targets it promises.

    It applies to tickets of ``record_type`` that match every condition it sets (priority,
    service, customer organization); among the matching definitions the most specific wins:
    a service match outweighs an organization match, which outweighs a priority match, and on a
    tie the oldest definition wins. Targets are working seconds on ``calendar`` (default: the
    service's calendar, else the 24x7 one). The service owner signs it off: the commitment is a
    record of who accepted it and when.
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

    def target_for(self, metric: str) -> int | None:
        return self.response_seconds if metric == Metric.RESPONSE else self.resolution_seconds

    @classmethod
    def permission_filter(cls, user, action):
        if action == "view":
            return Q() if user.is_it else NOTHING
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


class ServiceCalendar(models.Model):
    """The business calendar a service's commitments count on (kept here, not on the service,
    because calendars live in a higher layer than services)."""

    service = models.OneToOneField(Service, on_delete=models.CASCADE, related_name="slm_calendar")
    calendar = models.ForeignKey("slm.Calendar", on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.service} on {self.calendar}"


class GroupCalendar(models.Model):
    """The business calendar a support group works (its OLA targets count on it)."""

    group = models.OneToOneField(
        SupportGroup, on_delete=models.CASCADE, related_name="slm_calendar"
    )
    calendar = models.ForeignKey("slm.Calendar", on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.group} on {self.calendar}"


class UserCalendar(models.Model):
    """The business calendar a person works."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="slm_calendar")
    calendar = models.ForeignKey("slm.Calendar", on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.user} on {self.calendar}"


class SlaClock(models.Model):
    """One metric of one SLA on one ticket: the running count of working time against a target.

    ``elapsed_seconds`` counts up to ``since`` (the last event); while ``counting`` the clock
    also counts the working time after it. ``due_at`` is when the remaining target runs out if
    it keeps running; ``next_alert_at`` is when the next warning threshold (or the breach) is
    reached, so the periodic job reads only the clocks that need it.
    """

    record_type = models.CharField(max_length=32)
    record_id = models.CharField(max_length=64)
    definition = models.ForeignKey(
        SlaDefinition, null=True, blank=True, on_delete=models.PROTECT, related_name="clocks"
    )
    ola = models.ForeignKey(
        OlaDefinition, null=True, blank=True, on_delete=models.PROTECT, related_name="clocks"
    )
    metric = models.CharField(max_length=24, choices=Metric.choices)
    calendar = models.ForeignKey("slm.Calendar", on_delete=models.PROTECT, related_name="+")
    priority = models.CharField(max_length=8, blank=True)
    service = models.ForeignKey(
        Service,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The ticket's service when the clock started (for compliance reports)",
    )
    target_seconds = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    since = models.DateTimeField()
    counting = models.BooleanField(default=True)
    reason = models.CharField(max_length=200, blank=True)
    elapsed_seconds = models.PositiveIntegerField(default=0)
    paused_seconds = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=10, choices=ClockState.choices, default=ClockState.RUNNING)
    due_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    thresholds_fired = models.JSONField(default=list, blank=True)
    next_alert_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["record_type", "record_id", "metric"]
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "record_id", "definition", "metric"],
                name="slm_clock_one_per_metric",
            ),
            models.CheckConstraint(
                condition=Q(definition__isnull=False, ola__isnull=True)
                | Q(definition__isnull=True, ola__isnull=False),
                name="slm_clock_sla_or_ola",
            ),
        ]
        indexes = [
            models.Index(fields=["record_type", "record_id"], name="slm_clock_record"),
            models.Index(fields=["next_alert_at"], name="slm_clock_next_alert"),
            models.Index(fields=["metric", "stopped_at"], name="slm_clock_metric_stopped"),
        ]

    def __str__(self) -> str:
        return f"{self.record_type} {self.record_id}: {self.metric} {self.state}"

    @property
    def agreement(self) -> SlaDefinition | OlaDefinition:
        """The SLA or OLA this clock measures."""
        return self.definition if self.definition_id else self.ola


class SlaSegment(models.Model):
    """One line of a clock's ledger: a stretch of time, whether it counted, and why."""

    clock = models.ForeignKey(SlaClock, on_delete=models.CASCADE, related_name="segments")
    start = models.DateTimeField()
    end = models.DateTimeField()
    kind = models.CharField(max_length=12)  # running | not_working | paused | event
    reason = models.CharField(max_length=200, blank=True)
    counted_seconds = models.PositiveIntegerField(default=0)
    paused_working_seconds = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["clock", "id"]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M} {self.kind} {self.reason}"
