"""Offering surveys (one per ticket, rate-limited per person, expiring), answering them once,
and the follow-up a low score opens for the group's manager."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from steward.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from steward.core.models import JournalEntry
from steward.notifications.models import Notification, OutboundEmail
from steward.satisfaction import operations as ops
from steward.satisfaction import tokens
from steward.satisfaction.choices import FollowUpStatus
from steward.satisfaction.models import FollowUp, Survey

pytestmark = pytest.mark.django_db

SOON = dt.timedelta(seconds=1)


def test_a_resolved_incident_gets_one_survey_with_its_dimensions(sat, resolved):
    incident = resolved()
    people = sat["people"]
    assert ops.offer_surveys(timezone.now() + SOON) == 1
    survey = Survey.objects.get()
    assert survey.record_type == "incidents.incident" and survey.record_id == incident.pk
    assert survey.record_label == f"{incident.number} Printer jams on floor 3"
    assert survey.respondent == people["requester"]
    assert survey.group == sat["group"] and survey.agent == people["fixer"]
    assert survey.service == sat["services"]["retail_live"]
    assert survey.organization == people["requester"].organization
    assert survey.expires_at - survey.sent_at == dt.timedelta(days=14)
    assert survey.answered_at is None and survey.score is None


def test_the_token_is_not_stored_only_its_digest(sat, offered):
    survey, token = offered()
    assert len(token) == tokens.LENGTH
    assert survey.token_digest == tokens.digest(token) != token
    assert token not in str(Survey.objects.filter(pk=survey.pk).values().get())


def test_the_respondent_is_told_by_email_and_in_app_with_the_link(sat, offered):
    survey, token = offered()
    path = f"/satisfaction/s/{token}/"
    note = Notification.objects.get(recipient=sat["people"]["requester"], link=path)
    assert survey.record_label in note.subject
    email = OutboundEmail.objects.get(
        recipient=sat["people"]["requester"], subject__contains="satisfied"
    )
    assert path in email.body and survey.record_label in email.subject


def test_offering_twice_sends_nothing_more(sat, resolved):
    resolved()
    now = timezone.now() + SOON
    assert ops.offer_surveys(now) == 1
    assert ops.offer_surveys(now) == 0
    assert ops.offer_surveys(now + dt.timedelta(hours=1)) == 0
    assert Survey.objects.count() == 1
    assert OutboundEmail.objects.filter(subject__contains="satisfied").count() == 1


def test_a_person_gets_at_most_one_survey_within_the_rate_limit(sat, resolved, at):
    start = timezone.now()
    with at(start):
        resolved(title="First")
        resolved(title="Second")  # the same caller, resolved the same day
        assert ops.offer_surveys(start + SOON) == 1
        assert Survey.objects.get().record_label.endswith("First")
    with at(start + dt.timedelta(days=3)):
        resolved(title="Third")
        assert ops.offer_surveys(timezone.now() + SOON) == 0  # 3 days after the last one
    with at(start + dt.timedelta(days=8)):
        resolved(title="Fourth")
        assert ops.offer_surveys(timezone.now() + SOON) == 1  # the week is over
        assert Survey.objects.order_by("-id").first().record_label.endswith("Fourth")
    assert Survey.objects.count() == 2


def test_other_people_are_not_rate_limited_by_someone_elses_survey(sat, resolved):
    resolved(sat["people"]["requester"])
    resolved(sat["people"]["neighbour"])
    assert ops.offer_surveys(timezone.now() + SOON) == 2


def test_old_resolutions_and_open_or_cancelled_incidents_get_no_survey(sat, resolved, at):
    start = timezone.now() - dt.timedelta(days=10)
    with at(start):
        resolved(title="Long ago")
    assert ops.offer_surveys(timezone.now()) == 0  # outside the job's window
    from steward.incidents import operations as incident_ops

    incident_ops.open_incident(
        sat["people"]["admin"],
        title="Still open",
        caller=sat["people"]["neighbour"],
        impact=3,
        urgency=3,
        owning_group=sat["group"],
    )
    assert ops.offer_surveys(timezone.now() + SOON) == 0
    assert not Survey.objects.exists()


def test_a_deactivated_caller_gets_no_survey(sat, resolved):
    from steward.people import operations as people_ops

    neighbour = sat["people"]["neighbour"]
    resolved(neighbour)
    people_ops.update_user(None, neighbour, version=None, is_active=False)
    assert ops.offer_surveys(timezone.now() + SOON) == 0


def test_the_job_sleeps_while_the_practice_is_off(sat, resolved):
    from steward.core.operations import set_practice_enabled
    from steward.satisfaction import jobs

    resolved()
    set_practice_enabled(sat["people"]["admin"], "satisfaction", False)
    assert jobs.offer_surveys.call_local() == 0
    set_practice_enabled(sat["people"]["admin"], "satisfaction", True)
    assert jobs.offer_surveys.call_local() == 1


# --- answering ---------------------------------------------------------------------------------


def test_a_survey_token_works_once(sat, offered):
    survey, token = offered()
    answered = ops.answer(None, token, score=5, comment="Quick and friendly.")
    assert answered.score == 5 and answered.answered_at is not None
    with pytest.raises(Conflict) as refused:
        ops.answer(None, token, score=1, comment="Changed my mind")
    assert refused.value.fields == {"token": ["already answered"]}
    survey.refresh_from_db()
    assert (survey.score, survey.comment) == (5, "Quick and friendly.")
    entry = JournalEntry.objects.get(record_type="satisfaction.survey", action="answered")
    assert entry.actor is None and entry.changes == {"score": [None, 5]}


def test_signed_in_answers_are_journaled_with_the_person(sat, offered):
    _, token = offered()
    ops.answer(sat["people"]["requester"], token, score=4)
    entry = JournalEntry.objects.get(record_type="satisfaction.survey", action="answered")
    assert entry.actor == sat["people"]["requester"]


@pytest.mark.parametrize(
    ("score", "comment", "field"),
    [
        (0, "", "score"),
        (6, "", "score"),
        (None, "", "score"),
        ("5", "", "score"),
        (True, "", "score"),
        (3, "x" * 2001, "comment"),
        (3, 12, "comment"),
    ],
)
def test_bad_answers_name_the_field_and_write_nothing(sat, offered, score, comment, field):
    survey, token = offered()
    with pytest.raises(ValidationError) as refused:
        ops.answer(None, token, score=score, comment=comment)
    assert field in refused.value.fields
    survey.refresh_from_db()
    assert survey.answered_at is None and survey.score is None


@pytest.mark.parametrize("token", ["", "short", "x" * 43, "a" * 42 + "!", "é" * 43])
def test_unknown_tokens_are_not_found(sat, offered, token):
    offered()
    with pytest.raises(NotFound):
        ops.answer(None, token, score=5)


def test_an_expired_survey_cannot_be_answered(sat, offered, at):
    survey, token = offered()
    with at(survey.expires_at + SOON), pytest.raises(Conflict) as refused:
        ops.answer(None, token, score=5)
    assert refused.value.fields == {"token": ["expired"]}


def test_a_low_score_opens_a_follow_up_for_the_groups_manager(sat, offered):
    survey, token = offered()
    mail.outbox.clear()
    ops.answer(None, token, score=2, comment="Took a week.")
    follow_up = FollowUp.objects.get(survey=survey)
    manager = sat["people"]["manager"]
    assert follow_up.owner == manager and follow_up.status == FollowUpStatus.OPEN
    note = Notification.objects.get(recipient=manager, record_type="satisfaction.followup")
    assert survey.record_label in note.subject
    assert "Took a week." in note.body


@pytest.mark.parametrize("score", [3, 4, 5])
def test_scores_of_three_and_above_open_no_follow_up(sat, offered, score):
    _, token = offered()
    ops.answer(None, token, score=score)
    assert not FollowUp.objects.exists()


def test_the_follow_up_threshold_is_a_setting(sat, offered, settings):
    settings.STEWARD_SURVEY_FOLLOW_UP_BELOW = 4
    _, token = offered()
    ops.answer(None, token, score=3)
    assert FollowUp.objects.count() == 1


# --- follow-ups --------------------------------------------------------------------------------


@pytest.fixture
def follow_up(offered):
    def make(**kwargs):
        survey, token = offered(**kwargs)
        ops.answer(None, token, score=1, comment="Nobody called back.")
        return FollowUp.objects.get(survey=survey)

    return make


def test_the_manager_closes_the_follow_up_with_notes(sat, follow_up):
    item = follow_up()
    manager = sat["people"]["manager"]
    closed = ops.close_follow_up(manager, item, notes="Called; apologised.", version=item.version)
    assert closed.status == FollowUpStatus.DONE and closed.done_by == manager
    assert closed.done_at is not None and closed.notes == "Called; apologised."
    assert JournalEntry.objects.filter(action="follow_up_done").exists()
    with pytest.raises(Conflict):
        ops.close_follow_up(manager, closed, notes="Again", version=closed.version)


def test_a_follow_up_needs_notes(sat, follow_up):
    item = follow_up()
    with pytest.raises(ValidationError) as refused:
        ops.close_follow_up(sat["people"]["manager"], item, notes="  ", version=item.version)
    assert "notes" in refused.value.fields


def test_other_staff_and_requesters_may_not_close_it(sat, follow_up):
    item = follow_up()
    with pytest.raises(PermissionDenied):
        ops.close_follow_up(sat["people"]["staff"], item, notes="Done", version=item.version)
    with pytest.raises(NotFound):
        ops.close_follow_up(sat["people"]["requester"], item, notes="Done", version=item.version)
    item.refresh_from_db()
    assert item.status == FollowUpStatus.OPEN


def test_an_administrator_may_close_it(sat, follow_up):
    item = follow_up()
    ops.close_follow_up(sat["people"]["admin"], item, notes="Handled", version=item.version)


def test_a_stale_version_is_refused(sat, follow_up):
    from steward.core.errors import StaleVersion

    item = follow_up()
    with pytest.raises(StaleVersion):
        ops.close_follow_up(sat["people"]["manager"], item, notes="x", version=item.version + 1)
    item.refresh_from_db()
    assert item.status == FollowUpStatus.OPEN


def test_a_group_without_manager_gives_an_ownerless_follow_up(sat, follow_up, make_user):
    from steward.people import operations as people_ops

    lonely = people_ops.create_group(None, name="Lonely", members=[sat["people"]["fixer"]])
    item = follow_up(group=lonely)
    assert item.owner is None
