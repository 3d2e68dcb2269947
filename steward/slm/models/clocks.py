"""SLA and OLA clocks on tickets, and each clock's ledger."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from steward.services.models import Service
from steward.slm.models.sla import Metric, OlaDefinition, SlaDefinition


class ClockState(models.TextChoices):
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    MET = "met", _("Met")
    BREACHED = "breached", _("Breached")
    CANCELLED = "cancelled", _("Cancelled")


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
