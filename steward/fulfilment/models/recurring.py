"""Recurring requests: an order placed on a schedule (a monthly access review) by the periodic
job ``jobs.run_recurring``. ``RecurringRun`` records each run at its planned time, unique per
(recurring, run_at): two runs of the job never raise the same order twice."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from steward.core.models import VersionedModel
from steward.core.permissions import NOTHING, RestrictedQuerySet
from steward.fulfilment.choices import Cadence
from steward.fulfilment.models.catalog import CatalogItem
from steward.fulfilment.models.requests import Request
from steward.people.models import User


class RecurringRequest(VersionedModel):
    """Order ``catalog_item`` for ``requested_for`` with ``answers`` every ``interval``
    ``cadence`` (every 1 month, every 2 weeks). ``day`` is the weekday (0 Monday … 6 Sunday)
    of a weekly cadence or the day of the month (1 to 31, the month's last day when shorter) of
    the others; empty: the day ``next_run_at`` falls on. ``next_run_at`` is the next planned
    run, shown to people; ``last_run_at`` the last one that ran."""

    name = models.CharField(max_length=200, blank=True)
    catalog_item = models.ForeignKey(CatalogItem, on_delete=models.PROTECT, related_name="+")
    requested_for = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(default=dict, blank=True)
    quantity = models.PositiveIntegerField(default=1)
    cadence = models.CharField(max_length=12, choices=Cadence.choices, default=Cadence.MONTHLY)
    interval = models.PositiveIntegerField(default=1)
    day = models.PositiveSmallIntegerField(null=True, blank=True)
    next_run_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["next_run_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cadence__in=[c.value for c in Cadence]),
                name="fulfilment_recurring_cadence_valid",
            ),
            models.CheckConstraint(
                condition=Q(interval__gte=1, interval__lte=366),
                name="fulfilment_recurring_interval",
            ),
            models.CheckConstraint(
                condition=Q(day__isnull=True) | Q(day__lte=31), name="fulfilment_recurring_day"
            ),
        ]
        indexes = [
            models.Index(fields=["is_active", "next_run_at"], name="ful_recurring_due"),
        ]

    def __str__(self) -> str:
        return self.name or f"{self.catalog_item} ({self.get_cadence_display()})"

    @classmethod
    def permission_filter(cls, user, action):
        if action == "view":
            return Q() if user.is_it else NOTHING
        if user.is_admin:
            return Q()
        return Q(created_by_id=user.pk) if user.is_it else NOTHING


class RecurringRun(models.Model):
    """One planned run of a recurring request and the order it raised."""

    recurring = models.ForeignKey(RecurringRequest, on_delete=models.CASCADE, related_name="runs")
    run_at = models.DateTimeField(help_text="The planned time of this run")
    request = models.ForeignKey(
        Request, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    error = models.TextField(blank=True, help_text="Why the run raised no order, if it failed")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-run_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recurring", "run_at"], name="fulfilment_recurring_run_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recurring_id} at {self.run_at:%Y-%m-%d %H:%M}"

    @classmethod
    def permission_filter(cls, user, action):
        return Q() if user.is_it and action == "view" else NOTHING
