"""The knowledge demo step: replayed through the operations on the simulated clock after the
incidents' history (here a small one of our own), so that the measures have a past: articles
captured, validated and published, licences, links reused, flags, coach reviews, and the
portal's readers. Loading it twice changes nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from steward.core import clock
from steward.core.models import JournalEntry
from steward.incidents import operations as incident_ops
from steward.knowledge import demo
from steward.knowledge.choices import Audience, Confidence, FlagStatus, LinkKind
from steward.knowledge.models import (
    Article,
    ArticleRating,
    CoachReview,
    Flag,
    IncidentArticle,
    Licence,
    PortalEvent,
)
from steward.people import demo as people_demo
from steward.people.models import User
from steward.services import demo as services_demo
from steward.services.models import Service

pytestmark = pytest.mark.django_db

KINDS = [
    ("Outlook keeps asking for the password", "Email and Calendar", "Credential cache reset."),
    ("VPN client cannot connect from the hotel", "Remote Access (VPN)", "Switched to TCP 443."),
    ("Printer on the third floor prints blank pages", "Workplace and Laptops", "New toner."),
    ("Customer cannot confirm payment with the app", "Online Banking", "Device binding reset."),
    ("Mailbox full warning", "Email and Calendar", "Archive policy applied."),
    ("Token for remote access expired", "Remote Access (VPN)", "Token renewed."),
]


@pytest.fixture
def history(db):
    """Three incidents of each kind, 50, 30 and 10 days ago, each solved by a desk agent."""
    people_demo.load(io.StringIO())
    services_demo.load(io.StringIO())
    caller = User.objects.get(username="johan.veenstra")
    agent = User.objects.get(username="daan.bakker")
    now = timezone.now()
    with clock.simulated(now - dt.timedelta(days=60)):
        for days in (50, 30, 10):
            for title, service, notes in KINDS:
                clock.set(now - dt.timedelta(days=days))
                incident = incident_ops.open_incident(
                    agent,
                    title=title,
                    caller=caller,
                    impact=3,
                    urgency=3,
                    service=Service.objects.get(name=service),
                )
                clock.set(now - dt.timedelta(days=days, hours=-2))
                incident_ops.transition(agent, incident, "in_progress")
                incident_ops.transition(
                    agent, incident, "resolved", resolution_code="solved", resolution_notes=notes
                )


def test_the_demo_gives_the_measures_a_past_once(history):
    out = io.StringIO()
    demo.load(out)
    assert "knowledge: 6 demo articles" in out.getvalue()
    articles = Article.objects.all()
    assert articles.count() == 6
    assert Licence.objects.filter(coach=True).exists()
    assert articles.filter(confidence=Confidence.VALIDATED).count() >= 3
    assert articles.filter(audience=Audience.PUBLIC).count() == 3
    assert articles.filter(audience=Audience.CUSTOMERS).count() == 1
    # captured from the first incident of each kind, reused by the later ones
    assert IncidentArticle.objects.filter(kind=LinkKind.CREATE).count() == 6
    assert IncidentArticle.objects.filter(kind=LinkKind.REUSE).count() == 12
    assert CoachReview.objects.exists()
    assert set(Flag.objects.values_list("status", flat=True)) == {
        FlagStatus.OPEN,
        FlagStatus.FIXED,
        FlagStatus.DISMISSED,
    }
    assert PortalEvent.objects.filter(kind="view").count() > 20
    assert ArticleRating.objects.exists()
    # every article went through versions written in the past
    first = JournalEntry.objects.for_record(articles.order_by("id").first()).order_by("id")[0]
    assert timezone.now() - first.at > dt.timedelta(days=40)
    assert all(a.revision >= 2 for a in articles)
    count = JournalEntry.objects.count()
    demo.load(io.StringIO())
    assert Article.objects.count() == 6 and JournalEntry.objects.count() == count
