"""The satisfaction demo step: surveys sent and answered through the operations on the
simulated clock over the incidents' past; loading it twice changes nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from steward.core import clock
from steward.satisfaction import demo
from steward.satisfaction.models import Survey

pytestmark = pytest.mark.django_db


def test_surveys_with_a_past(sat, resolved, make_user):
    now = timezone.now()
    callers = [make_user(f"caller{n}", roles=["requester"]) for n in range(6)]
    with clock.simulated(now - dt.timedelta(days=40)):
        for days in (35, 20, 5):
            for caller in callers:
                clock.set(now - dt.timedelta(days=days, hours=3))
                resolved(caller, title=f"Ticket {days} days ago")
    demo.load(io.StringIO())
    surveys = list(Survey.objects.all())
    assert len(surveys) == 18  # a week apart: nobody is rate-limited
    assert all(s.sent_at < now for s in surveys)
    answered = [s for s in surveys if s.answered_at]
    assert 0 < len(answered) < len(surveys)
    assert all(s.sent_at < s.answered_at <= s.expires_at for s in answered)
    assert min(s.sent_at for s in surveys) < now - dt.timedelta(days=30)
    demo.load(io.StringIO())
    assert Survey.objects.count() == 18
