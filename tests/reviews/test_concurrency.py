"""Two schedule runs at once (two workers) send each review once."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.core import clock
from steward.notifications.models import Notification
from steward.reviews import operations as ops
from steward.reviews.models import ServiceReview
from tests.threads import run_in_threads


@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_send_each_review_once(world):
    with clock.simulated(dt.datetime(2026, 4, 1, 6, tzinfo=dt.UTC)):
        errors = run_in_threads(ops.send_monthly, 4)
    assert errors == []
    assert ServiceReview.objects.count() == 2  # Online Banking and Treasury, March
    assert ServiceReview.objects.filter(sent_at__isnull=True).count() == 0
    sent = Notification.objects.filter(record_type="reviews.servicereview")
    assert sent.count() == 2
