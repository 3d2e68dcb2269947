"""The problems' demo step: replayed through the operations on the simulated clock after the
incidents' history (here a small one of our own), with a past; loading it twice changes
nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from steward.core import clock
from steward.core.models import JournalEntry
from steward.incidents import operations as incident_ops
from steward.people import demo as people_demo
from steward.people.models import User
from steward.problems import demo
from steward.problems.choices import Status
from steward.problems.models import Problem, WorkaroundUse
from steward.services import demo as services_demo
from steward.services.models import Service

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(db):
    people_demo.load(io.StringIO())
    services_demo.load(io.StringIO())
    caller = User.objects.get(username="sanne.visser")
    now = timezone.now()
    with clock.simulated(now - dt.timedelta(days=40)):
        for n, (service, days) in enumerate(
            [
                ("Online Banking", 35),
                ("Online Banking", 30),
                ("Remote Access (VPN)", 28),
                ("Remote Access (VPN)", 1),
                ("Email and Calendar", 5),
            ]
        ):
            clock.set(now - dt.timedelta(days=days))
            incident_ops.open_incident(
                None,
                title=f"Demo incident {n}",
                caller=caller,
                impact=3,
                urgency=3,
                service=Service.objects.get(name=service),
            )


def test_the_demo_tells_three_stories_with_a_past_once(history):
    out = io.StringIO()
    demo.load(out)
    assert "problems: 3 demo problems" in out.getvalue()
    fixed, known, new = Problem.objects.order_by("id")
    assert fixed.status == Status.RESOLVED and fixed.fix_description
    assert known.known_error and known.status == Status.FIX_IN_PROGRESS
    assert new.owner is None and new.status == Status.NEW
    assert WorkaroundUse.objects.filter(problem=known).count() == 1
    first = JournalEntry.objects.for_record(fixed).order_by("id").first()
    assert timezone.now() - first.at > dt.timedelta(days=20)
    count = JournalEntry.objects.count()
    demo.load(io.StringIO())
    assert Problem.objects.count() == 3 and JournalEntry.objects.count() == count
