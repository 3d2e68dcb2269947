"""The demo step: the last two months' reviews of the live services, sent on the 1st; the
older month acknowledged, the last one only by Online Banking's owner; idempotent."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from steward.core import clock
from steward.reviews import demo
from steward.reviews.models import ServiceReview

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 5, 20, 10, tzinfo=dt.UTC)


def test_the_demo_sends_two_months_and_acknowledges_some(world):
    with clock.simulated(NOW):
        demo.load(io.StringIO())
        demo.load(io.StringIO())  # idempotent
    rows = {
        (r.service.name, f"{r.month:%Y-%m}"): r
        for r in ServiceReview.objects.select_related("service")
    }
    assert sorted(rows) == [
        ("Online Banking", "2026-03"),
        ("Online Banking", "2026-04"),
        ("Treasury", "2026-03"),
        ("Treasury", "2026-04"),
    ]
    assert rows[("Treasury", "2026-03")].sent_at == dt.datetime(2026, 4, 1, 6, tzinfo=dt.UTC)
    assert rows[("Treasury", "2026-04")].sent_at == dt.datetime(2026, 5, 1, 6, tzinfo=dt.UTC)
    acknowledged = sorted(k for k, r in rows.items() if r.acknowledged_at)
    assert acknowledged == [
        ("Online Banking", "2026-03"),
        ("Online Banking", "2026-04"),
        ("Treasury", "2026-03"),
    ]
    assert rows[("Online Banking", "2026-04")].acknowledged_by == world["owner"]
