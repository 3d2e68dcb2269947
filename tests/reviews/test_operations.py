"""Acknowledgement, the 14-day ownership gap, the recipients' choice and the monthly schedule."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.core.errors import Conflict, PermissionDenied, StaleVersion
from steward.core.models import JournalEntry
from steward.notifications.models import Notification, OutboundEmail
from steward.ownership import gaps as ownership_gaps
from steward.people import operations as people_ops
from steward.reviews import jobs
from steward.reviews import operations as ops
from steward.reviews.models import ReviewSubscription, ServiceReview
from tests.reporting.conftest import t

pytestmark = pytest.mark.django_db

MARCH = dt.date(2026, 3, 1)


def review_gaps():
    return [g for g in ownership_gaps.collect() if g["kind"] == "service_review_unacknowledged"]


def test_the_owner_acknowledges_and_it_is_journaled(month, services):
    owner = month["owner"]
    review = ops.acknowledge(owner, services["banking"], MARCH, version=None)
    assert review.acknowledged_by == owner and review.acknowledged_at == t(4, 2, 12)
    actions = list(
        JournalEntry.objects.for_record(review).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["created", "acknowledged"]
    entry = JournalEntry.objects.for_record(review).get(action="acknowledged")
    assert entry.actor == owner
    assert entry.changes["acknowledged_at"] == [None, t(4, 2, 12).isoformat()]


def test_only_the_owner_acknowledges(month, services):
    with pytest.raises(PermissionDenied) as refused:
        ops.acknowledge(month["people"]["agent"], services["banking"], MARCH, version=None)
    assert refused.value.fields == {"service": ["you do not own this service"]}
    assert not ServiceReview.objects.exists()


def test_acknowledging_twice_is_a_conflict(month, services):
    review = ops.acknowledge(month["owner"], services["banking"], MARCH, version=None)
    with pytest.raises(Conflict) as refused:
        ops.acknowledge(month["owner"], services["banking"], MARCH, version=review.version)
    assert "acknowledged_at" in refused.value.fields


def test_a_stale_version_is_refused(month, services):
    review, _ = ops.ensure_review(None, services["banking"], MARCH)
    with pytest.raises(StaleVersion):
        ops.acknowledge(month["owner"], services["banking"], MARCH, version=review.version + 5)
    review.refresh_from_db()
    assert review.acknowledged_at is None


def test_an_unacknowledged_review_is_a_gap_after_14_days(month, services):
    clock = month["clock"]
    clock(t(4, 1, 6))
    assert ops.send_monthly() == 2  # Online Banking and Treasury (Video is not live)
    clock(t(4, 15, 5, 59))
    assert review_gaps() == []
    clock(t(4, 15, 6, 1))
    found = review_gaps()
    assert sorted(g["record"]["name"] for g in found) == [
        "Online Banking 2026-03",
        "Treasury 2026-03",
    ]
    assert found[0]["fix_by"] == {"kind": "user", "id": month["owner"].pk, "name": "Owner"}
    assert found[0]["link"] == f"/service-reviews/{services['banking'].pk}/2026-03/"
    assert ownership_gaps.collect_needing(month["owner"]) == found
    assert ownership_gaps.collect_needing(month["people"]["agent"]) == []
    ops.acknowledge(month["owner"], services["banking"], MARCH, version=None)
    assert [g["record"]["name"] for g in review_gaps()] == ["Treasury 2026-03"]


def test_the_monthly_schedule_is_idempotent(month, services):
    clock = month["clock"]
    clock(t(4, 1, 6))
    assert jobs.send_monthly_reviews.call_local() == 2
    assert jobs.send_monthly_reviews.call_local() == 0
    clock(t(4, 2, 6))
    assert ops.send_monthly() == 0
    reviews = ServiceReview.objects.order_by("service__name")
    assert [(r.service.name, r.month, r.sent_at) for r in reviews] == [
        ("Online Banking", MARCH, t(4, 1, 6)),
        ("Treasury", MARCH, t(4, 1, 6)),
    ]
    owner_notes = Notification.objects.filter(
        recipient=month["owner"], record_type="reviews.servicereview"
    )
    assert owner_notes.count() == 2
    note = owner_notes.get(link=f"/service-reviews/{services['treasury'].pk}/2026-03/")
    assert note.subject == "Service review of Treasury for 2026-03"
    assert "availability 99.19 %" in note.body and "1 major incidents" in note.body
    mails = OutboundEmail.objects.filter(
        to_address=month["owner"].email, subject__startswith="Service review"
    )
    assert mails.count() == 2


def test_the_owner_mail_is_in_the_owners_language(month, services):
    owner = month["owner"]
    owner.language = "nl"
    owner.save(update_fields=["language"])
    month["clock"](t(4, 1, 6))
    ops.send_monthly()
    mail = OutboundEmail.objects.filter(to_address=owner.email).order_by("-id").first()
    assert mail.subject == "Servicereview van Treasury over 2026-03"


def test_customers_contacts_get_the_review_when_the_owner_chooses(month, services):
    owner, corporate = month["owner"], month["orgs"]["corporate"]
    admin = month["people"]["admin"]
    people_ops.add_contact(admin, corporate, name="Cora", email="cora@corp.example", language="nl")
    people_ops.add_contact(admin, corporate, name="Carl", email="carl@corp.example")
    subscription = ops.set_subscription(
        owner, services["treasury"], send_to_customers=True, version=None
    )
    assert subscription.send_to_customers
    entry = JournalEntry.objects.for_record(subscription).get()
    assert entry.action == "subscription_changed"
    month["clock"](t(4, 1, 6))
    ops.send_monthly()
    carl = OutboundEmail.objects.get(to_address="carl@corp.example")
    assert carl.subject == "Service review of Treasury for 2026-03"
    assert "Availability: 99.19 % (1 major incident)" in carl.body
    assert "Incidents raised: 2 (previous month: 0)" in carl.body  # C and G
    cora = OutboundEmail.objects.get(to_address="cora@corp.example")
    assert "Beschikbaarheid: 99,19 %" in cora.body or "Beschikbaarheid: 99.19 %" in cora.body
    # Online Banking's customers (retail) have no subscription: nobody there is mailed
    assert OutboundEmail.objects.exclude(recipient__isnull=False).count() == 2


def test_only_the_owner_or_an_admin_chooses_the_recipients(month, services):
    with pytest.raises(PermissionDenied):
        ops.set_subscription(
            month["people"]["agent"], services["banking"], send_to_customers=True, version=None
        )
    admin_choice = ops.set_subscription(
        month["people"]["admin"], services["banking"], send_to_customers=True, version=None
    )
    with pytest.raises(StaleVersion):
        ops.set_subscription(
            month["owner"], services["banking"], send_to_customers=False, version=99
        )
    ops.set_subscription(
        month["owner"], services["banking"], send_to_customers=False, version=admin_choice.version
    )
    assert not ReviewSubscription.objects.get(service=services["banking"]).send_to_customers


def test_the_job_sleeps_while_the_practice_is_off(month, services):
    from steward.core import operations as core_ops

    core_ops.set_practice_enabled(month["people"]["admin"], "service_reviews", False)
    month["clock"](t(4, 1, 6))
    assert jobs.send_monthly_reviews.call_local() == 0
    assert not ServiceReview.objects.exists()
    core_ops.set_practice_enabled(month["people"]["admin"], "service_reviews", True)
    assert jobs.send_monthly_reviews.call_local() == 2  # catches up


def test_the_gap_is_not_collected_while_the_practice_is_off(month, services):
    from steward.core import operations as core_ops

    month["clock"](t(4, 1, 6))
    ops.send_monthly()
    month["clock"](t(4, 20, 6))
    assert len(review_gaps()) == 2
    core_ops.set_practice_enabled(month["people"]["admin"], "service_reviews", False)
    assert review_gaps() == []
