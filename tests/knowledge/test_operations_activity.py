"""Flags (to the owner's queue, with a notification), links to incidents (reuse or create,
decided by the timestamps), ratings, coach reviews and portal events."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.core import clock
from steward.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from steward.core.models import JournalEntry
from steward.knowledge import lists
from steward.knowledge import operations as ops
from steward.knowledge.choices import Audience, Confidence
from steward.knowledge.models import (
    ArticleRating,
    CoachReview,
    Flag,
    IncidentArticle,
    PortalEvent,
)
from steward.notifications.models import Notification

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def actions(record):
    return list(
        JournalEntry.objects.filter(
            record_type=record._meta.label_lower, record_id=str(record.pk)
        ).values_list("action", flat=True)
    )


def test_flag_goes_to_the_owner_queue_with_a_notification(kb, make_article):
    people = kb["people"]
    article = make_article(
        people["agent"], confidence=Confidence.VALIDATED, audience=Audience.PUBLIC
    )
    flag = ops.flag_article(people["requester"], article, reason="outdated", comment="v6 now")
    assert (flag.status, flag.raised_by, flag.comment) == ("open", people["requester"], "v6 now")
    told = Notification.objects.get(recipient=people["agent"], record_id=str(article.pk))
    assert article.number in told.subject
    assert "flagged" in actions(article)
    # the owner's flagged queue shows it; a Candidate elsewhere does not see it there
    assert list(lists.filtered(people["agent"], type("F", (), {"queue": "flagged"}))) == [article]
    assert lists.queue_counts(people["agent"])["flagged"] == 1
    assert lists.queue_counts(people["contributor"])["flagged"] == 1  # Contributor of its domain
    assert lists.queue_counts(people["candidate"])["flagged"] == 0


def test_flag_reason_is_checked(kb, make_article):
    article = make_article()
    with pytest.raises(ValidationError) as refused:
        ops.flag_article(kb["people"]["agent"], article, reason="boring")
    assert "reason" in refused.value.fields
    assert not Flag.objects.exists()


def test_resolve_flag_once(kb, make_article):
    people = kb["people"]
    article = make_article(people["agent"])
    flag = ops.flag_article(people["candidate"], article, reason="wrong")
    with pytest.raises(ValidationError) as refused:
        ops.resolve_flag(people["agent"], flag, status="open")
    assert "status" in refused.value.fields
    resolved = ops.resolve_flag(people["agent"], flag, status="fixed", resolution="Corrected")
    assert (resolved.status, resolved.resolved_by) == ("fixed", people["agent"])
    assert resolved.resolved_at is not None
    assert "flag_resolved" in actions(article)
    # the person who raised it is told
    assert Notification.objects.filter(recipient=people["candidate"]).exists()
    with pytest.raises(Conflict):
        ops.resolve_flag(people["agent"], flag, status="dismissed")


def test_link_is_reuse_when_the_article_existed_before_the_incident(
    kb, make_article, open_incident
):
    agent = kb["people"]["agent"]
    with clock.simulated(START):
        article = make_article()
        clock.set(START + dt.timedelta(hours=1))
        incident = open_incident()
        link = ops.link_article(agent, incident, article)
    assert link.kind == "reuse"
    assert link.linked_by == agent and link.linked_at == START + dt.timedelta(hours=1)
    assert "article_linked" in actions(incident) and "article_linked" in actions(article)


def test_link_is_create_when_the_article_was_written_after_the_incident(
    kb, make_article, open_incident
):
    agent = kb["people"]["agent"]
    with clock.simulated(START):
        incident = open_incident()
        clock.set(START + dt.timedelta(minutes=30))
        article = make_article()
        link = ops.link_article(agent, incident, article)
    assert link.kind == "create"


def test_the_at_argument_decides_too(kb, make_article, open_incident):
    incident = open_incident()
    before = make_article(at=incident.created_at - dt.timedelta(days=3))
    after = make_article(at=incident.created_at + dt.timedelta(minutes=1))
    agent = kb["people"]["agent"]
    assert ops.link_article(agent, incident, before).kind == "reuse"
    assert ops.link_article(agent, incident, after).kind == "create"


def test_link_is_idempotent_and_unlink_removes_it(kb, make_article, open_incident):
    agent = kb["people"]["agent"]
    article, incident = make_article(), open_incident()
    first = ops.link_article(agent, incident, article)
    count = JournalEntry.objects.count()
    assert ops.link_article(agent, incident, article) == first
    assert JournalEntry.objects.count() == count  # nothing written the second time
    ops.unlink_article(agent, incident, article)
    assert not IncidentArticle.objects.exists()
    assert "article_unlinked" in actions(incident)
    with pytest.raises(NotFound):
        ops.unlink_article(agent, incident, article)


def test_requesters_do_not_link(kb, make_article, open_incident):
    article = make_article(confidence=Confidence.VALIDATED, audience=Audience.PUBLIC)
    with pytest.raises(PermissionDenied):
        ops.link_article(kb["people"]["requester"], open_incident(), article)


def test_rating_again_replaces_the_first(kb, make_article):
    requester = kb["people"]["requester"]
    article = make_article(confidence=Confidence.VALIDATED, audience=Audience.PUBLIC)
    ops.rate_article(requester, article, helped=False)
    ops.rate_article(requester, article, helped=True, comment="worked")
    [rating] = ArticleRating.objects.all()
    assert (rating.helped, rating.comment) == (True, "worked")
    with pytest.raises(ValidationError) as refused:
        ops.rate_article(requester, article, helped="yes")
    assert "helped" in refused.value.fields


def test_review_records_defects_at_the_current_revision(kb, make_article):
    people = kb["people"]
    article = make_article(people["agent"])
    ops.update_article(people["agent"], article, version=article.version, keywords="vpn")
    assert list(lists.filtered(people["coach"], type("F", (), {"queue": "coach"}))) == [article]
    review = ops.review_article(
        people["coach"],
        article,
        defects=["title", "links"],
        comment="Say it as the customer does",
        recommendation="contributor",
    )
    assert (review.revision, review.author, review.defects) == (
        2,
        people["agent"],
        ["title", "links"],
    )
    assert "reviewed" in actions(article)
    # reviewed at its current revision: off the coach's queue until edited again
    assert not lists.filtered(people["coach"], type("F", (), {"queue": "coach"})).exists()
    with pytest.raises(ValidationError) as refused:
        ops.review_article(people["coach"], article, defects=["pretty"])
    assert "defects" in refused.value.fields
    with pytest.raises(ValidationError) as refused:
        ops.review_article(people["coach"], article, defects=[], recommendation="fire")
    assert "recommendation" in refused.value.fields
    assert CoachReview.objects.count() == 1


def test_coach_queue_leaves_out_contributors_articles(kb, make_article):
    people = kb["people"]
    make_article(people["contributor"])  # a Contributor's article needs no coaching
    assert not lists.filtered(people["coach"], type("F", (), {"queue": "coach"})).exists()
    assert lists.queue_counts(people["coach"])["coach"] == 0
    assert lists.queue_counts(people["candidate"])["coach"] == 0


def test_portal_events_are_requesters_only_and_not_journaled(kb, make_article):
    people = kb["people"]
    article = make_article(confidence=Confidence.VALIDATED, audience=Audience.PUBLIC)
    count = JournalEntry.objects.count()
    event = ops.record_portal_event(people["requester"], kind="view", article=article)
    assert event.user == people["requester"] and event.article == article
    ops.record_portal_event(people["requester"], kind="search", query="vpn drops")
    assert ops.record_portal_event(people["agent"], kind="search", query="vpn") is None
    assert PortalEvent.objects.count() == 2
    assert JournalEntry.objects.count() == count
    internal = make_article()
    with pytest.raises(NotFound):
        ops.record_portal_event(people["requester"], kind="view", article=internal)
    with pytest.raises(ValidationError):
        ops.record_portal_event(people["requester"], kind="print")
