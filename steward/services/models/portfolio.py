"""The service portfolio: services, their owners, support lines, dependencies and ownership
proposals."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse

from steward.core.models import VersionedModel
from steward.core.permissions import NOTHING, RestrictedQuerySet
from steward.people.models import Organization, SupportGroup, User
from steward.services.choices import (
    Criticality,
    Lifecycle,
    OwnershipStatus,
    ServiceKind,
    SupportLine,
)


class Service(VersionedModel):
    """An IT service with exactly one accountable service owner."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="owned_services")
    criticality = models.PositiveSmallIntegerField(
        choices=Criticality.choices, default=Criticality.MEDIUM
    )
    status = models.CharField(max_length=16, choices=Lifecycle.choices, default=Lifecycle.PIPELINE)
    customers = models.ManyToManyField(Organization, blank=True, related_name="services")
    kind = models.CharField(
        max_length=12, choices=ServiceKind.choices, default=ServiceKind.BUSINESS
    )
    review_date = models.DateField(
        null=True, blank=True, help_text="When the owner next reviews the service"
    )
    owner_accepted_at = models.DateTimeField(
        null=True, blank=True, help_text="When the current owner accepted ownership"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(criticality__gte=1, criticality__lte=4), name="services_criticality_1_4"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[c.value for c in Lifecycle]), name="services_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["status", "name"], name="services_status_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("services:detail", args=[self.pk])

    @classmethod
    def permission_filter(cls, user, action):
        if action == "view":
            if user.is_it:
                return Q()
            if user.organization_id:
                return Q(status=Lifecycle.LIVE, customers=user.organization_id)
            return NOTHING
        # Administrators change every service; a service owner changes their own (rules.py).
        if user.is_admin:
            return Q()
        return Q(owner=user) if user.is_it and user.is_active else NOTHING


class ServiceSupport(models.Model):
    """A support group that supports a service at one line (first, second, third)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="support")
    group = models.ForeignKey(SupportGroup, on_delete=models.PROTECT, related_name="supported")
    line = models.CharField(max_length=8, choices=SupportLine.choices)

    class Meta:
        ordering = ["service", "line", "group__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "line", "group"], name="services_support_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} ({self.line} line) for {self.service}"


class ServiceDependency(models.Model):
    """The service needs another service to work (a business service on technical ones)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="dependencies")
    depends_on = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="dependents")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["service", "depends_on"], name="services_dependency_unique"
            ),
            models.CheckConstraint(
                condition=~Q(service=models.F("depends_on")), name="services_dependency_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} depends on {self.depends_on}"


class OwnershipProposal(models.Model):
    """A proposed service owner. Ownership is a commitment the new owner signs up for: until
    they accept, the current owner stays accountable. One pending proposal per service."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="ownership_proposals"
    )
    proposed_owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    proposed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10, choices=OwnershipStatus.choices, default=OwnershipStatus.PENDING
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-proposed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["service"], condition=Q(status="pending"), name="services_one_pending_owner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposed_owner} for {self.service}: {self.status}"
