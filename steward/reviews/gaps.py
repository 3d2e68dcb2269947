"""The ownership gap of service reviews: a review sent more than 14 days ago that its owner has
not acknowledged (read through ``ownership.gaps``, declared in ``Practice(gaps=...)``)."""

from __future__ import annotations

import datetime as dt

from django.db.models.functions import Coalesce
from django.utils import timezone

from steward.ownership import gaps
from steward.ownership.choices import Severity
from steward.reviews.models import ServiceReview
from steward.reviews.operations import ACKNOWLEDGE_DAYS
from steward.services.choices import Lifecycle

KIND = "service_review_unacknowledged"


def _rows(owner=None):
    cutoff = timezone.now() - dt.timedelta(days=ACKNOWLEDGE_DAYS)
    rows = (
        ServiceReview.objects.filter(acknowledged_at__isnull=True)
        .annotate(since=Coalesce("sent_at", "created_at"))
        .filter(since__lt=cutoff)
        .exclude(service__status=Lifecycle.RETIRED)
        .select_related("service__owner")
        .order_by("since", "pk")
    )
    if owner is not None:
        rows = rows.filter(service__owner=owner)
    return rows


def _gap(review: ServiceReview) -> dict:
    owner = review.service.owner
    return gaps.gap(
        KIND,
        "service_review",
        review,
        f"the service review of {review.service.name} for {review.month_key}, sent on "
        f"{review.since:%Y-%m-%d}, has not been acknowledged by its owner in "
        f"{ACKNOWLEDGE_DAYS} days",
        gaps.person(owner) if owner.is_active else gaps.ADMINS,
        review.get_absolute_url(),
        Severity.WARNING,
    )


def unacknowledged_reviews() -> list[dict]:
    return [_gap(r) for r in _rows()]


def unacknowledged_reviews_for(user) -> list[dict]:
    if gaps.fixes_for_admins(user):
        return unacknowledged_reviews()
    return [_gap(r) for r in _rows(owner=user)]


GAP_PROVIDERS = (
    gaps.GapProvider(
        KIND,
        "Service reviews not acknowledged",
        unacknowledged_reviews,
        order=90,
        collect_for=unacknowledged_reviews_for,
    ),
)
