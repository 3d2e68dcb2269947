"""Standard change templates: pre-authorized changes with a fixed plan, risk and tasks."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from steward.changes.choices import ChangeImpact, Risk
from steward.changes.models.common import StaffOnly
from steward.core.models import VersionedModel
from steward.core.permissions import RestrictedQuerySet
from steward.people.models import SupportGroup
from steward.services.models import ConfigurationItem, Service


class ChangeTemplate(StaffOnly, VersionedModel):
    """A standard change: authorized once, as a template, for every change made from it. A
    change from a template takes its plans, risk, impact and tasks and needs no approval. Its
    success rate over the last changes made from it is watched (``ChangeSettings``): below the
    threshold it is flagged for re-assessment."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    owning_group = models.ForeignKey(SupportGroup, on_delete=models.PROTECT, related_name="+")
    services = models.ManyToManyField(Service, blank=True, related_name="+")
    cis = models.ManyToManyField(ConfigurationItem, blank=True, related_name="+")
    implementation_plan = models.TextField()
    backout_plan = models.TextField()
    test_plan = models.TextField()
    communication_plan = models.TextField(blank=True)
    risk = models.CharField(max_length=16, choices=Risk.choices, default=Risk.LOW)
    impact = models.CharField(max_length=16, choices=ChangeImpact.choices, default="low")
    outage_expected = models.BooleanField(default=False)
    outage_minutes = models.PositiveIntegerField(null=True, blank=True)
    tasks = models.JSONField(default=list, blank=True, help_text="The steps, in order: [text]")
    is_active = models.BooleanField(default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(risk__in=[r.value for r in Risk]), name="changes_template_risk"
            ),
        ]

    def __str__(self) -> str:
        return self.name
