"""Service reviews: one record per service and month (what was sent, who acknowledged it), and
each service's review subscription (whether the review also goes to the customers' contacts).

The figures of a review are not stored: they are computed from the records and their journal
each time the review is read (``report.py``), so a correction to an incident shows in the
review. The record keeps what happened to the review itself.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse

from steward.core.models import VersionedModel
from steward.core.permissions import NOTHING, RestrictedQuerySet
from steward.people.models import User
from steward.services.models import Service


class ServiceReview(VersionedModel):
    """The monthly review of one service: created by the monthly schedule (or when its owner
    acknowledges a month that was never sent), sent to the owner, acknowledged by the owner.
    ``month`` is the first day of the month reviewed."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="reviews")
    month = models.DateField(help_text="The first day of the month reviewed")
    sent_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "service__name"]
        constraints = [
            models.UniqueConstraint(fields=["service", "month"], name="reviews_one_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="reviews_month_first_day"),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True, acknowledged_by__isnull=True)
                | Q(acknowledged_at__isnull=False),
                name="reviews_acknowledged_with_time",
            ),
        ]
        indexes = [
            models.Index(fields=["acknowledged_at", "sent_at"], name="reviews_unacknowledged")
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.month:%Y-%m}"

    @property
    def month_key(self) -> str:
        return f"{self.month:%Y-%m}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:detail", args=[self.service_id, self.month_key])

    @classmethod
    def permission_filter(cls, user, action):
        if not user.is_it or not user.is_active:
            return NOTHING
        if action == "view":
            return Q()
        return Q(service__owner=user)  # the owner acknowledges (rules.py)


class ReviewSubscription(VersionedModel):
    """Who receives a service's monthly review besides its owner: the owner chooses whether
    the customers' contacts get it too. A service without a row sends to its owner only."""

    service = models.OneToOneField(
        Service, on_delete=models.CASCADE, related_name="review_subscription"
    )
    send_to_customers = models.BooleanField(
        default=False, help_text="Also mail the review to the contacts of the service's customers"
    )

    objects = RestrictedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Review subscription of {self.service}"

    @classmethod
    def permission_filter(cls, user, action):
        if not user.is_it or not user.is_active:
            return NOTHING
        if action == "view" or user.is_admin:
            return Q()
        return Q(service__owner=user)
