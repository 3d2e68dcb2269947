"""Fulfilment tasks (TASK): the work that delivers a requested item, generated from the catalog
item's task templates once the item is approved. Tasks of one stage run in parallel; the next
stage opens when every task of the earlier one is closed. IT staff read every task; a requester
reads the tasks of the items they read (their names and states: the serializers say which
fields)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse

from steward.core.models import VersionedModel
from steward.core.permissions import NOTHING, RestrictedQuerySet
from steward.fulfilment.choices import ACTIVE_TASK_STATUSES, TaskStatus
from steward.fulfilment.models.requests import RequestedItem, requester_scope
from steward.people.models import SupportGroup, User


class FulfilmentTask(VersionedModel):
    """One task of an item's fulfilment, for one group."""

    number = models.CharField(max_length=16, unique=True, editable=False)
    item = models.ForeignKey(RequestedItem, on_delete=models.CASCADE, related_name="tasks")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    stage = models.PositiveIntegerField(default=1)
    group = models.ForeignKey(SupportGroup, on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    notes = models.TextField(blank=True, help_text="What was done (written when closing)")
    started_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    active = models.GeneratedField(
        expression=models.Case(
            models.When(status__in=sorted(ACTIVE_TASK_STATUSES), then=models.Value(True)),
            default=models.Value(False),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in TaskStatus]),
                name="fulfilment_task_status_valid",
            ),
            models.CheckConstraint(condition=Q(stage__gte=1), name="fulfilment_task_stage"),
        ]
        indexes = [
            models.Index(fields=["group", "active", "-id"], name="ful_task_group"),
            models.Index(fields=["assignee", "active", "-id"], name="ful_task_assignee"),
            models.Index(fields=["status", "-id"], name="ful_task_status"),
            models.Index(fields=["item", "stage", "id"], name="ful_task_item"),
            models.Index(fields=["updated_at", "id"], name="ful_task_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("requests:task", args=[self.number])

    @classmethod
    def permission_filter(cls, user, action):
        if action == "view":
            if user.is_it:
                return Q()
            return Q(item__in=RequestedItem.objects.filter(requester_scope(user)).values("pk"))
        return Q() if user.is_it else NOTHING
