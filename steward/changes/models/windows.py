"""Maintenance windows and blackout periods, and the conflicts found for a change.

A window is weekly (wall-clock hours per weekday in a named time zone: the service-level
calendar's ``hours`` format and engine, DST included) or dated (one UTC period). It applies to
the services, CIs and CI classes it names. A maintenance window says when a CI may be changed
(a CI with none may be changed any time); a blackout says when nothing in its scope may be."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from steward.changes.choices import ConflictKind, WindowKind
from steward.changes.models.changes import ChangeRequest
from steward.changes.models.common import StaffOnly
from steward.core.models import VersionedModel
from steward.core.permissions import RestrictedQuerySet
from steward.people.models import User, validate_time_zone
from steward.services.models import CIClass, ConfigurationItem, Service


class ChangeWindow(StaffOnly, VersionedModel):
    """A maintenance window or a blackout period: weekly ``hours`` in ``time_zone``, or the
    dated period ``[starts_at, ends_at)``."""

    kind = models.CharField(max_length=16, choices=WindowKind.choices)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    hours = models.JSONField(
        null=True, blank=True, help_text='Weekly: {"sat": [["22:00", "24:00"]], ...}'
    )
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    services = models.ManyToManyField(Service, blank=True, related_name="+")
    cis = models.ManyToManyField(ConfigurationItem, blank=True, related_name="+")
    ci_classes = models.ManyToManyField(CIClass, blank=True, related_name="+")
    is_active = models.BooleanField(default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in WindowKind]), name="changes_window_kind"
            ),
            models.CheckConstraint(
                condition=(
                    Q(hours__isnull=False, starts_at__isnull=True, ends_at__isnull=True)
                    | Q(hours__isnull=True, starts_at__isnull=False, ends_at__isnull=False)
                ),
                name="changes_window_weekly_or_dated",
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="changes_window_dated_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def weekly(self) -> bool:
        return self.hours is not None


class Conflict(StaffOnly, models.Model):
    """One conflict of a change's planned window, as last computed (derived data: recomputed
    whenever the change or anything it depends on moves; never edited). It names what it
    conflicts with: the other change, the CI (and the related CI one hop away), the window or
    the person."""

    change = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="conflicts")
    kind = models.CharField(max_length=32, choices=ConflictKind.choices)
    other_change = models.ForeignKey(
        ChangeRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    ci = models.ForeignKey(
        ConfigurationItem, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    related_ci = models.ForeignKey(
        ConfigurationItem, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    window = models.ForeignKey(
        ChangeWindow, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    found_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["change", "kind"], name="chg_conflict_change"),
            models.Index(fields=["other_change"], name="chg_conflict_other"),
        ]

    def __str__(self) -> str:
        return f"{self.change_id}: {self.kind}"

    @property
    def key(self) -> str:
        """What this conflict is about, stable across recomputations (an override covers
        the keys it saw)."""
        parts = [
            self.kind,
            self.other_change_id,
            self.ci_id,
            self.related_ci_id,
            self.window_id,
            self.person_id,
        ]
        return ":".join("" if p is None else str(p) for p in parts)
