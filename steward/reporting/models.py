"""Dashboards: a person's own page of KPI widgets, which they may share with a support group.

A :class:`Dashboard` belongs to one owner, who alone changes it; the members (and the manager)
of the group it is shared with read it. Its :class:`Widget` rows are part of it: every change
to a widget is a change to the dashboard (its ``version`` moves, its journal records it).
Written only by ``reporting.operations``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from steward.core.models import VersionedModel
from steward.core.permissions import NOTHING, RestrictedQuerySet


class WidgetKind(models.TextChoices):
    FIGURE = "figure", _("KPI figure with its trend")
    SERIES = "series", _("Time series")
    BARS = "bars", _("Bars by a dimension")
    TABLE = "table", _("Table")
    RECORDS = "records", _("List of records")


class Period(models.TextChoices):
    """Periods relative to today (UTC), whole days: the widget moves with time."""

    LAST_7 = "last_7_days", _("Last 7 days")
    LAST_30 = "last_30_days", _("Last 30 days")
    LAST_90 = "last_90_days", _("Last 90 days")
    MONTH_TO_DATE = "month_to_date", _("Month to date")
    LAST_MONTH = "last_month", _("Last month")


class Dashboard(VersionedModel):
    """A page of widgets owned by one person, optionally shared (read-only) with a group."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dashboards"
    )
    name = models.CharField(max_length=120)
    shared_with = models.ForeignKey(
        "people.SupportGroup",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Members and the manager of this group read the dashboard",
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["owner", "name"], name="reporting_dashboard_owner")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("reporting:dashboard", args=[self.pk])

    @classmethod
    def permission_filter(cls, user, action):
        # IT staff only (reporting.queries.may_read): a requester reads no dashboard
        if not user.is_it:
            return NOTHING
        if action == "view":
            return (
                Q(owner=user)
                | Q(shared_with__members=user, shared_with__is_active=True)
                | Q(shared_with__manager=user, shared_with__is_active=True)
            )
        return Q(owner=user)


class Widget(models.Model):
    """One KPI on a dashboard, drawn as ``kind``, with its own period and filters (checked as
    the KPI API checks a query: ``reporting.queries.build``)."""

    dashboard = models.ForeignKey(Dashboard, on_delete=models.CASCADE, related_name="widgets")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=16, choices=WidgetKind.choices)
    title = models.CharField(max_length=120, blank=True, help_text="Empty: the KPI's name")
    kpi = models.CharField(max_length=60, help_text="The KPI's key (core.kpis)")
    period = models.CharField(max_length=20, choices=Period.choices, default=Period.LAST_30)
    service = models.BigIntegerField(null=True, blank=True, help_text="Service id filter")
    group = models.BigIntegerField(null=True, blank=True, help_text="Support group id filter")
    priority = models.PositiveSmallIntegerField(null=True, blank=True)
    organization = models.BigIntegerField(
        null=True, blank=True, help_text="Customer organization id filter"
    )
    group_by = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in WidgetKind]), name="reporting_widget_kind"
            ),
            models.CheckConstraint(
                condition=Q(priority__isnull=True) | Q(priority__gte=1, priority__lte=5),
                name="reporting_widget_priority",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.kpi

    def filters(self) -> dict:
        """The dimension filters that are set, as ``queries.build`` takes them."""
        return {
            name: getattr(self, name)
            for name in ("service", "group", "priority", "organization")
            if getattr(self, name) is not None
        }
