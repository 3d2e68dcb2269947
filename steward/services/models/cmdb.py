"""The CMDB: configuration item classes with an attribute schema, configuration items, their
typed relationships, and the links between services and the CIs that deliver them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse

from steward.core.models import VersionedModel
from steward.core.permissions import NOTHING, RestrictedQuerySet
from steward.people.models import SupportGroup
from steward.services.choices import CIStatus, Environment, RelationshipType


def _it_reads_admins_write(user, action):
    if action == "view":
        return Q() if user.is_it else NOTHING
    return Q() if user.is_admin else NOTHING


class CIClass(VersionedModel):
    """A kind of configuration item (server, database, ...) defined by administrators, with the
    JSON Schema that the attributes of its CIs must satisfy."""

    name = models.CharField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    attribute_schema = models.JSONField(
        default=dict, blank=True, help_text="JSON Schema (draft 2020-12) of the CI attributes"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "CI class"
        verbose_name_plural = "CI classes"

    def __str__(self) -> str:
        return self.name

    @classmethod
    def permission_filter(cls, user, action):
        return _it_reads_admins_write(user, action)


class ConfigurationItem(VersionedModel):
    """A component that delivers services: a server, a database, an application, a site...

    IT staff read every CI; administrators and the owner group (its manager and members) change it.
    """

    name = models.CharField(max_length=200)
    ci_class = models.ForeignKey(CIClass, on_delete=models.PROTECT, related_name="cis")
    status = models.CharField(max_length=16, choices=CIStatus.choices, default=CIStatus.ACTIVE)
    environment = models.CharField(
        max_length=16, choices=Environment.choices, default=Environment.PRODUCTION
    )
    owner_group = models.ForeignKey(
        SupportGroup,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_cis",
        help_text="The support group that answers for this CI",
    )
    description = models.TextField(blank=True)
    attributes = models.JSONField(default=dict, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "configuration item"
        constraints = [
            models.UniqueConstraint(fields=["ci_class", "name"], name="services_ci_class_name"),
            models.CheckConstraint(
                condition=Q(status__in=[c.value for c in CIStatus]), name="services_ci_status"
            ),
            models.CheckConstraint(
                condition=Q(environment__in=[c.value for c in Environment]),
                name="services_ci_environment",
            ),
        ]
        indexes = [
            models.Index(fields=["name"], name="services_ci_name"),
            models.Index(fields=["owner_group", "name"], name="services_ci_owner"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cmdb:detail", args=[self.pk])

    @classmethod
    def permission_filter(cls, user, action):
        if not user.is_it:
            return NOTHING
        if action == "view" or user.is_admin:
            return Q()
        return Q(owner_group__manager=user) | Q(owner_group__members=user)


class CIRelationship(models.Model):
    """A typed, directed edge: ``source <type> target``. Impact flows against it (see impact.py)."""

    source = models.ForeignKey(ConfigurationItem, on_delete=models.CASCADE, related_name="outgoing")
    target = models.ForeignKey(ConfigurationItem, on_delete=models.CASCADE, related_name="incoming")
    type = models.CharField(max_length=16, choices=RelationshipType.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = "CI relationship"
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "type"], name="services_cirel_unique"
            ),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="services_cirel_not_self"
            ),
            models.CheckConstraint(
                condition=Q(type__in=[c.value for c in RelationshipType]),
                name="services_cirel_type",
            ),
        ]
        indexes = [
            models.Index(fields=["target", "type"], name="services_cirel_target"),
            models.Index(fields=["source", "type"], name="services_cirel_source"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_type_display()} {self.target}"

    @classmethod
    def permission_filter(cls, user, action):
        if not user.is_it:
            return NOTHING
        if action == "view" or user.is_admin:
            return Q()
        return Q(source__owner_group__manager=user) | Q(source__owner_group__members=user)


class ServiceCI(models.Model):
    """The service is delivered by the CI: when the CI fails, the service is affected."""

    service = models.ForeignKey(
        "services.Service", on_delete=models.CASCADE, related_name="ci_links"
    )
    ci = models.ForeignKey(
        ConfigurationItem, on_delete=models.CASCADE, related_name="service_links"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = "service CI"
        constraints = [
            models.UniqueConstraint(fields=["service", "ci"], name="services_serviceci_unique")
        ]
        indexes = [models.Index(fields=["ci", "service"], name="services_serviceci_ci")]

    def __str__(self) -> str:
        return f"{self.service} ← {self.ci}"

    @classmethod
    def permission_filter(cls, user, action):
        if not user.is_it:
            return NOTHING
        if action == "view" or user.is_admin:
            return Q()
        return Q(service__owner=user)
