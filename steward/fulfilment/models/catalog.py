"""The service catalog: categories and the items people order.

A catalog item belongs to a service and a category. Its order form, its approval flow and the
tasks that deliver it are data (JSON validated by ``fulfilment.form_schema``). IT staff read
every item; a requester reads (and may order) the active items whose audience is everyone, or
restricted to their organisation or to one of their groups."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse

from steward.core.models import VersionedModel
from steward.core.permissions import NOTHING, RestrictedQuerySet
from steward.fulfilment.choices import CatalogAudience
from steward.people.models import Organization, SupportGroup, User
from steward.services.models import Service


class CatalogCategory(models.Model):
    """A heading of the catalog ("Hardware", "Access"): categories nest one level or more."""

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    order = models.PositiveIntegerField(default=100)
    is_active = models.BooleanField(default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name", "id"]
        verbose_name_plural = "catalog categories"
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="fulfilment_category_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def permission_filter(cls, user, action):
        if action == "view":
            return Q() if user.is_it else Q(is_active=True)
        return Q() if user.is_admin else NOTHING


def orderable_filter(user) -> Q:
    """The catalog items a requester may read and order: active, and for everyone or for their
    organisation or one of their groups (subqueries: no duplicate rows)."""
    through_orgs = CatalogItem.organizations.through.objects
    through_groups = CatalogItem.groups.through.objects
    allowed = Q(audience=CatalogAudience.EVERYONE)
    if user.organization_id:
        allowed |= Q(
            pk__in=through_orgs.filter(organization_id=user.organization_id).values(
                "catalogitem_id"
            )
        )
    allowed |= Q(
        pk__in=through_groups.filter(supportgroup__members=user.pk).values("catalogitem_id")
    )
    return Q(is_active=True) & allowed


class CatalogItem(VersionedModel):
    """Something people order from the catalog: a laptop, access to an application, a new
    starter's accounts.

    ``form`` is the list of questions (``form_schema.FieldDef``), ``approval_flow`` the steps
    of approval (``form_schema.ApprovalStepDef``), ``task_templates`` the tasks generated once
    approved (``form_schema.TaskTemplateDef``: same stage in parallel, stages in sequence).
    ``fulfilment_group`` owns the requested items; ``target_hours`` is the delivery target in
    business hours (empty: the SLA definitions decide); ``owner`` answers for the item."""

    name = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, blank=True, help_text="One line for the catalog")
    description = models.TextField(blank=True)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(CatalogCategory, on_delete=models.PROTECT, related_name="items")
    audience = models.CharField(
        max_length=16, choices=CatalogAudience.choices, default=CatalogAudience.EVERYONE
    )
    organizations = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="+",
        help_text="Who may order it when the audience is restricted",
    )
    groups = models.ManyToManyField(
        SupportGroup,
        blank=True,
        related_name="+",
        help_text="Members of these groups may order it when the audience is restricted",
    )
    form = models.JSONField(default=list, blank=True)
    approval_flow = models.JSONField(default=list, blank=True)
    task_templates = models.JSONField(default=list, blank=True)
    fulfilment_group = models.ForeignKey(SupportGroup, on_delete=models.PROTECT, related_name="+")
    target_hours = models.PositiveIntegerField(
        null=True, blank=True, help_text="Business hours to deliver; empty: the SLA decides"
    )
    is_active = models.BooleanField(default=True)
    owner = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(audience__in=[a.value for a in CatalogAudience]),
                name="fulfilment_item_audience_valid",
            ),
            models.CheckConstraint(
                condition=Q(target_hours__isnull=True) | Q(target_hours__gte=1),
                name="fulfilment_item_target_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["is_active", "category", "name"], name="ful_item_category"),
            models.Index(fields=["service", "name"], name="ful_item_service"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("requests:catalog_item", args=[self.pk])

    @classmethod
    def permission_filter(cls, user, action):
        if action == "view":
            return Q() if user.is_it else orderable_filter(user)
        if user.is_admin:
            return Q()
        return Q(owner_id=user.pk) if user.is_it else NOTHING
