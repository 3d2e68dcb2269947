"""The simulated clock: every source of "now" gives the simulated time inside the block, and
the real time again after it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from steward.core import clock
from steward.core.models import JournalEntry
from steward.incidents import operations as ops
from steward.notifications.models import OutboundEmail
from steward.people import operations as people_ops
from steward.people.choices import Role

pytestmark = pytest.mark.django_db

PAST = dt.datetime(2025, 3, 3, 9, 30, tzinfo=dt.UTC)


def test_operations_model_defaults_and_the_database_take_the_simulated_time(make_user):
    agent = make_user("clock-agent", roles=[Role.AGENT])
    caller = make_user("clock-caller", roles=[Role.REQUESTER])
    people_ops.create_group(None, name="Service Desk", manager=agent, members=[agent])
    with clock.simulated(PAST):
        assert timezone.now() == PAST and clock.is_simulated()
        incident = ops.open_incident(
            agent, title="Printer jams", caller=caller, impact=3, urgency=3
        )
        assert incident.created_at == PAST  # auto_now_add
        mail = OutboundEmail.objects.create(to_address="x@example.org", subject="s", body="b")
        assert mail.created_at == PAST  # default=timezone.now
        clock.set(PAST + dt.timedelta(hours=2))
        ops.transition(agent, incident, "in_progress")  # updated_at = Now() in the database
    incident.refresh_from_db()
    assert incident.updated_at == PAST + dt.timedelta(hours=2)
    assert incident.created_at == PAST
    entries = JournalEntry.objects.filter(
        record_type="incidents.incident", record_id=str(incident.pk)
    ).values_list("at", flat=True)
    assert set(entries) <= {PAST, PAST + dt.timedelta(hours=2)}
    assert not clock.is_simulated()
    assert abs(timezone.now() - dt.datetime.now(dt.UTC)) < dt.timedelta(seconds=5)
    fresh = OutboundEmail.objects.create(to_address="y@example.org", subject="s", body="b")
    assert fresh.created_at > PAST + dt.timedelta(days=300)


def test_the_clock_is_real_again_after_a_failure_and_does_not_nest():
    with pytest.raises(RuntimeError), clock.simulated(PAST), clock.simulated(PAST):
        pass
    assert not clock.is_simulated()
    with pytest.raises(ValueError), clock.simulated(PAST):
        raise ValueError("boom")
    assert timezone.now() > PAST + dt.timedelta(days=300)
    with pytest.raises(RuntimeError):
        clock.set(PAST)
    with pytest.raises(ValueError), clock.simulated(dt.datetime(2025, 1, 1)):
        pass
