"""The satisfaction operations: the only code that writes surveys and follow-ups.

- ``offer_surveys(now)`` (the periodic job): one survey per ticket resolved (incident) or
  fulfilled (requested item) in the last ``OFFER_WINDOW``, unless its respondent already got
  one within ``STEWARD_SURVEY_MIN_DAYS``; told by e-mail (with the link) and in-app.
- ``answer(actor, token, score=, comment=)``: once per survey (a second answer is a 409), before
  it expires; a low score opens a follow-up for the group's manager, who is told.
- ``close_follow_up(actor, follow_up, notes=, version=)``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from steward.core.operations import full_clean, require
from steward.core.site import absolute
from steward.core.texts import Text
from steward.notifications.operations import notify
from steward.people.models import SupportGroup, User
from steward.satisfaction import mail_events, rules, sources, tokens
from steward.satisfaction.choices import (
    COMMENT_MAX,
    SCORE_MAX,
    SCORE_MIN,
    FollowUpStatus,
)
from steward.satisfaction.models import FollowUp, Survey

#: How far back the job looks for tickets done since it last ran (a worker down for a day
#: catches up; a practice switched on does not survey last quarter's tickets).
OFFER_WINDOW = dt.timedelta(days=2)


def survey_days() -> int:
    return settings.STEWARD_SURVEY_DAYS


def min_days() -> int:
    return settings.STEWARD_SURVEY_MIN_DAYS


def follow_up_below() -> int:
    return settings.STEWARD_SURVEY_FOLLOW_UP_BELOW


def answer_path(token: str) -> str:
    return reverse("satisfaction:answer", args=[token])


# --- offering ----------------------------------------------------------------------------------


def _recently_surveyed(respondent_ids: set[int], now: dt.datetime) -> set[int]:
    """The respondents among ``respondent_ids`` who got a survey within the rate limit."""
    if not respondent_ids:
        return set()
    since = now - dt.timedelta(days=min_days())
    return set(
        Survey.objects.filter(respondent__in=respondent_ids, sent_at__gt=since).values_list(
            "respondent_id", flat=True
        )
    )


def _tell_respondent(survey: Survey, token: str) -> None:
    path = answer_path(token)
    subject, body = mail_events.words(survey.record_label, absolute(path), survey.expires_at)
    notify(
        None,
        [survey.respondent],
        subject=subject,
        body=body,
        link=path,
        record=survey,
        event=mail_events.OFFERED,
    )


def _offer(ticket: sources.Ticket, now: dt.datetime) -> Survey | None:
    token = tokens.token(ticket.record_type, ticket.record_id)
    survey = Survey(
        token_digest=tokens.digest(token),
        record_type=ticket.record_type,
        record_id=ticket.record_id,
        record_label=ticket.label,
        respondent=ticket.respondent,
        service_id=ticket.service_id,
        group_id=ticket.group_id,
        agent_id=ticket.agent_id,
        organization_id=ticket.organization_id,
        sent_at=now,
        expires_at=now + dt.timedelta(days=survey_days()),
    )
    try:
        with transaction.atomic():  # a second run racing this one: its row wins, this skips
            survey.save(force_insert=True)
    except IntegrityError:
        return None
    journal.record(None, survey, "sent", {"respondent": [None, ticket.respondent.username]})
    _tell_respondent(survey, token)
    return survey


@transaction.atomic
def offer_surveys(now: dt.datetime | None = None) -> int:
    """Offer a survey for each ticket done in the last ``OFFER_WINDOW`` that has none, at most
    one per respondent within ``STEWARD_SURVEY_MIN_DAYS``. Idempotent (one survey per ticket,
    a unique constraint); the number of surveys sent."""
    now = now or timezone.now()
    found = [
        t
        for t in sources.tickets(now - OFFER_WINDOW, now)
        if t.respondent is not None and t.respondent.is_active
    ]
    skip = _recently_surveyed({t.respondent.pk for t in found}, now)
    sent = 0
    for ticket in found:
        if ticket.respondent.pk in skip:
            continue
        if _offer(ticket, now) is not None:
            sent += 1
            skip.add(ticket.respondent.pk)
    return sent


# --- answering ---------------------------------------------------------------------------------


def survey_for_token(token: str) -> Survey:
    """The survey of ``token``, or 404 (a token of the wrong shape is not looked up)."""
    survey = None
    if tokens.looks_like_token(token):
        survey = (
            Survey.objects.filter(token_digest=tokens.digest(token))
            .select_related("respondent", "group", "service", "agent")
            .first()
        )
    if survey is None:
        raise NotFound(_("This survey does not exist (the link may be incomplete)."))
    return survey


def _check_answer(score, comment) -> tuple[int, str]:
    problems = {}
    if isinstance(score, bool) or not isinstance(score, int) or not SCORE_MIN <= score <= SCORE_MAX:
        problems["score"] = [
            _("Choose a score from %(low)d to %(high)d.") % {"low": SCORE_MIN, "high": SCORE_MAX}
        ]
    comment = (comment or "").strip() if isinstance(comment, str) else comment
    if not isinstance(comment, str):
        problems["comment"] = [_("must be text")]
    elif len(comment) > COMMENT_MAX:
        problems["comment"] = [
            _("at most %(max)d characters (this one has %(count)d)")
            % {"max": COMMENT_MAX, "count": len(comment)}
        ]
    if problems:
        summary = "; ".join(f"{k}: {', '.join(v)}" for k, v in problems.items())
        raise ValidationError(_("Invalid input — %(summary)s") % {"summary": summary}, problems)
    return score, comment


def _follow_up_owner(survey: Survey) -> User | None:
    group = survey.group
    if group is None:
        return None
    manager = SupportGroup.objects.filter(pk=group.pk).values_list("manager", flat=True).first()
    return User.objects.filter(pk=manager, is_active=True).first() if manager else None


def _open_follow_up(actor, survey: Survey) -> FollowUp:
    follow_up = FollowUp.objects.create(survey=survey, owner=_follow_up_owner(survey))
    journal.record(
        actor,
        survey,
        "follow_up_opened",
        {"owner": [None, follow_up.owner.username if follow_up.owner else None]},
    )
    if follow_up.owner is not None:
        notify(
            actor,
            [follow_up.owner],
            subject=Text(
                gettext_noop("Low satisfaction score on %(label)s: please follow up"),
                label=survey.record_label,
            ),
            body=Text(
                gettext_noop(
                    "%(respondent)s gave %(label)s a score of %(score)s out of 5. Talk to them "
                    "and write down what was done.\n\nTheir comment: %(comment)s"
                ),
                respondent=survey.respondent.get_full_name() or survey.respondent.username,
                label=survey.record_label,
                score=survey.score,
                comment=survey.comment or "—",
            ),
            link=follow_up.get_absolute_url(),
            record=follow_up,
            include_actor=True,
        )
    return follow_up


@transaction.atomic
def answer(actor, token: str, *, score, comment: str = "") -> Survey:
    """Answer the survey of ``token`` (``actor``: who is signed in, or None from the e-mail's
    link: the token is the credential). Once: a second answer is refused (409), as is an
    expired survey; the answer is checked first (422 naming ``score`` or ``comment``)."""
    survey = survey_for_token(token)
    score, comment = _check_answer(score, comment)
    now = timezone.now()
    if survey.answered_at is not None:
        raise Conflict(
            _("This survey was already answered. Thank you!"),
            {"token": [_("already answered")]},
        )
    if survey.expires_at <= now:
        raise Conflict(
            _("This survey has expired: its link worked until %(date)s.")
            % {"date": formats.date_format(timezone.localtime(survey.expires_at), "DATE_FORMAT")},
            {"token": [_("expired")]},
        )
    # one conditional UPDATE: of two answers sent at once, exactly one is written
    written = Survey.objects.filter(pk=survey.pk, answered_at__isnull=True).update(
        answered_at=now, score=score, comment=comment
    )
    if not written:
        raise Conflict(
            _("This survey was already answered. Thank you!"),
            {"token": [_("already answered")]},
        )
    survey.answered_at, survey.score, survey.comment = now, score, comment
    who = actor if getattr(actor, "is_authenticated", False) else None
    journal.record(who, survey, "answered", {"score": [None, score]}, comment)
    if score < follow_up_below():
        _open_follow_up(who, survey)
    return survey


# --- follow-ups --------------------------------------------------------------------------------


@transaction.atomic
def close_follow_up(actor, follow_up: FollowUp, *, notes: str, version: int | None) -> FollowUp:
    """Write down what was done and close the follow-up (its owner, the group's manager or an
    administrator)."""
    require(actor, "view", follow_up)
    if follow_up.status != FollowUpStatus.OPEN:
        raise Conflict(_("This follow-up is already done."), {"status": [_("already done")]})
    if not rules.may_close_follow_up(actor, follow_up):
        raise PermissionDenied(
            _("Only the follow-up's owner, the group's manager or an administrator may close it."),
            {"follow_up": [_("not yours to close")]},
        )
    notes = (notes or "").strip() if isinstance(notes, str) else notes
    if not notes:
        raise ValidationError.field("notes", _("Write down what was done."))
    before = journal.snapshot(follow_up, ["status", "notes"])
    follow_up.status = FollowUpStatus.DONE
    follow_up.notes = notes
    follow_up.done_at = timezone.now()
    follow_up.done_by = actor
    full_clean(follow_up, exclude=["survey"], constraints=False)
    save_versioned(follow_up, version, ["status", "notes", "done_at", "done_by"])
    journal.record(
        actor,
        follow_up.survey,
        "follow_up_done",
        journal.diff(before, {"status": "done", "notes": notes}),
    )
    return follow_up
