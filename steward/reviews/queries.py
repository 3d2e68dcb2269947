"""Reading service reviews for the pages and the API: the service and month asked for, checked,
and the review's figures (``report.build``)."""

from __future__ import annotations

import datetime as dt

from steward.core.errors import NotFound
from steward.reviews import periods, report, rules
from steward.reviews.models import ReviewSubscription, ServiceReview
from steward.services.models import Service


def require_reader(user) -> None:
    """IT staff only; anyone else gets the 404 of an address that does not exist."""
    if not rules.may_read(user):
        raise NotFound("Service review not found.")


def target(user, service_id: int, month: str) -> tuple[Service, dt.date, ServiceReview | None]:
    """The service (404 naming ``service_id`` when unknown), the month (422 naming ``month``)
    and the review's record if it has one."""
    require_reader(user)
    service = (
        Service.objects.for_user(user, "view").select_related("owner").filter(pk=service_id).first()
    )
    if service is None:
        raise NotFound(f"Service {service_id} not found.", {"service_id": ["no such service"]})
    first = periods.parse_month(month)
    review = ServiceReview.objects.filter(service=service, month=first).first()
    return service, first, review


def subscription(service: Service) -> ReviewSubscription | None:
    return ReviewSubscription.objects.filter(service=service).first()


def build(user, service_id: int, month: str) -> dict:
    service, first, review = target(user, service_id, month)
    return report.build(service, first, review)
