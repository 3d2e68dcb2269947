"""The operations of service reviews: the only code that writes reviews and subscriptions.

Each runs in one transaction and writes the journal. Reading a review (page, JSON, PDF) writes
nothing: a review's record is created by the monthly schedule (:func:`send_monthly`), or when
its owner acknowledges a month that was never sent.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from steward.core.texts import Text
from steward.notifications import operations as notifications
from steward.people.models import OrganizationContact
from steward.reviews import periods, report, rules
from steward.reviews.models import ReviewSubscription, ServiceReview
from steward.services.choices import Lifecycle
from steward.services.models import Service

log = logging.getLogger(__name__)

#: After how many days an unacknowledged review is an ownership gap.
ACKNOWLEDGE_DAYS = 14


def _require_reader(actor) -> None:
    if not rules.may_read(actor):
        raise NotFound("Service review not found.")


@transaction.atomic
def ensure_review(actor, service: Service, first: dt.date) -> tuple[ServiceReview, bool]:
    """The review record of ``service`` for the month starting ``first``, created (and
    journaled) if it does not exist yet. Safe under concurrent creation."""
    _require_reader(actor)
    if first.day != 1:
        raise ValidationError.field("month", "must be the first day of a month")
    review, created = ServiceReview.objects.get_or_create(service=service, month=first)
    if created:
        journal.record(actor, review, "created", {"month": [None, review.month_key]})
    return review, created


@transaction.atomic
def acknowledge(actor, service: Service, first: dt.date, *, version: int | None) -> ServiceReview:
    """The service owner says they have read the review. ``version`` is the review's version
    the page showed (None when the page showed no record yet: one is created)."""
    _require_reader(actor)
    if not rules.may_acknowledge(actor, service):
        raise PermissionDenied(
            "Only the service owner acknowledges the service review.",
            {"service": ["you do not own this service"]},
        )
    review, created = ensure_review(actor, service, first)
    if not created and version is None:
        version = review.version
    review = ServiceReview.objects.select_for_update().get(pk=review.pk)
    if review.acknowledged_at is not None:
        raise Conflict(
            f"The review was already acknowledged on {review.acknowledged_at:%Y-%m-%d}.",
            {"acknowledged_at": ["already acknowledged"]},
        )
    before = journal.snapshot(review, ["acknowledged_by", "acknowledged_at"])
    review.acknowledged_by = actor
    review.acknowledged_at = timezone.now()
    expected = review.version if created else version
    save_versioned(review, expected, ["acknowledged_by", "acknowledged_at"])
    after = journal.snapshot(review, ["acknowledged_by", "acknowledged_at"])
    journal.record(actor, review, "acknowledged", journal.diff(before, after))
    return review


@transaction.atomic
def set_subscription(
    actor, service: Service, *, send_to_customers: bool, version: int | None
) -> ReviewSubscription:
    """Whether the monthly review also goes to the contacts of the service's customers (the
    owner's choice; administrators may change it too). ``version`` None: no row was shown."""
    _require_reader(actor)
    if not rules.may_change_subscription(actor, service):
        raise PermissionDenied(
            "Only the service owner chooses who receives the service review.",
            {"send_to_customers": ["you do not own this service"]},
        )
    subscription, created = ReviewSubscription.objects.get_or_create(service=service)
    if not created and version is None:
        raise ValidationError.field("version", "required: the subscription exists")
    before = {"send_to_customers": False if created else subscription.send_to_customers}
    subscription.send_to_customers = bool(send_to_customers)
    save_versioned(
        subscription, subscription.version if created else version, ["send_to_customers"]
    )
    changes = journal.diff(before, {"send_to_customers": subscription.send_to_customers})
    if changes:
        journal.record(actor, subscription, "subscription_changed", changes)
    return subscription


def send_to_customers(service: Service) -> bool:
    return ReviewSubscription.objects.filter(service=service, send_to_customers=True).exists()


def _contacts(service: Service) -> list[OrganizationContact]:
    return list(
        OrganizationContact.objects.filter(
            organization__in=service.customers.filter(is_active=True)
        ).order_by("organization__name", "email")
    )


@transaction.atomic
def send_review(review: ServiceReview) -> bool:
    """Send the review to its service's owner (in-app and mail, in their language, with the
    link to the page and its PDF) and, when the owner chose it, to the customers' contacts (a
    summary in each contact's language: they have no account to open the page). Sent once:
    the first caller claims ``sent_at`` in one conditional UPDATE; False when already sent."""
    now = timezone.now()
    claimed = ServiceReview.objects.filter(pk=review.pk, sent_at__isnull=True).update(
        sent_at=now, version=review.version + 1
    )
    if not claimed:
        return False
    review.refresh_from_db()
    service = review.service
    link = review.get_absolute_url()
    built = report.build(service, review.month, review)
    figures = {f["key"]: f for s in built["sections"] for f in s["figures"]}
    availability = built["availability"]
    params = {
        "service": service.name,
        "month": review.month_key,
        "availability": "—" if availability is None else f"{availability['percent']:.2f}",
        "raised": (figures.get("incidents_raised") or {}).get("value") or 0,
        "major": len(availability["major_incidents"]) if availability else 0,
    }
    notifications.notify(
        None,
        [service.owner],
        subject=Text(gettext_noop("Service review of %(service)s for %(month)s"), **params),
        body=Text(
            gettext_noop(
                "The review of %(service)s for %(month)s is ready: availability "
                "%(availability)s %%, %(raised)s incidents raised, %(major)s major incidents. "
                "Open it to read it (and its PDF), then acknowledge it."
            ),
            **params,
        ),
        link=link,
        record=review,
    )
    recipients = []
    if send_to_customers(service):
        for contact in _contacts(service):
            with translation.override(contact.language):
                summary = report.build(service, review.month, review)
                subject = Text(
                    gettext_noop("Service review of %(service)s for %(month)s"), **params
                ).render(contact.language)
                body = render_to_string(
                    "reviews/summary.txt", {"report": summary, "contact": contact}
                )
            notifications.send_email(contact.email, subject, body)
            recipients.append(contact.email)
    journal.record(
        None,
        review,
        "sent",
        {"sent_at": [None, now], "recipients": [None, [service.owner.username, *recipients]]},
    )
    return True


def send_monthly(now: dt.datetime | None = None) -> int:
    """Create last month's review of every live service and send it (each in its own
    transaction, so one failure does not hold back the others). Idempotent: a review is
    created once and sent once; running it again sends nothing. Returns how many were sent."""
    now = now or timezone.now()
    first = periods.previous_month(periods.current_month(now))
    sent = 0
    services = Service.objects.filter(status=Lifecycle.LIVE).select_related("owner")
    for service in services.order_by("pk"):
        try:
            review, _ = ensure_review(None, service, first)
            if review.sent_at is None and send_review(review):
                sent += 1
        except Exception:  # one service's failure must not stop the others; retried next run
            log.exception("service review of %s for %s not sent", service, first)
    return sent
