"""The demo step: a handful of items in different states with a past, loaded through the
operations on the simulated clock, baselines captured from the incidents of their day;
idempotent."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from steward.core import journal
from steward.improvement import demo
from steward.improvement.choices import Outcome, Status
from steward.improvement.models import ImprovementItem
from steward.incidents import operations as incident_ops
from steward.people import operations as people_ops
from steward.people.choices import Role
from steward.services import operations as service_ops

pytestmark = pytest.mark.django_db

PEOPLE = {
    "sanne.visser": [Role.AGENT, Role.GROUP_MANAGER, Role.PROCESS_OWNER],
    "bram.hendriks": [Role.AGENT, Role.GROUP_MANAGER],
    "anouk.vanleeuwen": [Role.AGENT, Role.GROUP_MANAGER],
    "koen.vermeulen": [Role.AGENT, Role.GROUP_MANAGER],
    "tess.mulder": [Role.AGENT],
    "daan.bakker": [Role.AGENT],
    "emma.jansen": [Role.AGENT],
    "noah.peters": [Role.AGENT],
}


@pytest.fixture
def demo_world(make_user, make_org):
    retail = make_org("Retail", code="retail")
    people = {name: make_user(name, roles=roles) for name, roles in PEOPLE.items()}
    people["yvonne.smits"] = make_user("yvonne.smits", roles=[Role.REQUESTER], organization=retail)
    owner = people["sanne.visser"]
    people_ops.create_group(
        None, name="Service Desk", manager=owner, members=[owner, people["daan.bakker"]]
    )
    banking = service_ops.create_service(
        None, name="Online Banking", owner=owner, status="live", customers=[retail]
    )
    service_ops.create_service(None, name="Remote Access (VPN)", owner=owner, status="live")
    incident = incident_ops.open_incident(
        people["daan.bakker"],
        title="Core banking down",
        caller=people["yvonne.smits"],
        impact=1,
        urgency=1,
        service=banking,
    )
    incident_ops.declare_major(owner, incident, reason="Branches closed", manager=owner)
    return people, incident


def test_the_demo_tells_a_story_with_a_past(demo_world):
    people, incident = demo_world
    demo.load(io.StringIO())
    items = {i.title: i for i in ImprovementItem.objects.all()}
    assert len(items) == 6
    by_status = sorted(i.status for i in items.values())
    assert by_status == sorted(
        [
            Status.IN_PROGRESS,
            Status.BENEFITS_REVIEW,
            Status.CLOSED,
            Status.APPROVED,
            Status.CLOSED,
            Status.PROPOSED,
        ]
    )
    outcomes = {i.outcome for i in items.values() if i.status == Status.CLOSED}
    assert outcomes == {Outcome.ACHIEVED, Outcome.ABANDONED}
    now = timezone.now()
    for item in items.values():
        if item.approved_at and item.kpi_key:
            assert item.baseline_captured_at == item.approved_at < now - dt.timedelta(days=10)
            assert item.baseline_to == item.approved_at
            assert item.baseline_to - item.baseline_from == dt.timedelta(days=90)
        first = journal.history(item).first()
        assert first.action == "proposed" and first.at < now - dt.timedelta(days=5)
    raised = next(i for i in items.values() if i.source)
    assert raised.source == incident.number
    idea = next(i for i in items.values() if i.status == Status.PROPOSED)
    assert idea.proposer == people["yvonne.smits"] and idea.votes == 3
    review = next(i for i in items.values() if i.status == Status.BENEFITS_REVIEW)
    assert review.review_to is not None and review.due_notified_at is not None

    demo.load(io.StringIO())  # idempotent
    assert ImprovementItem.objects.count() == 6
