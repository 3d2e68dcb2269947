"""What the satisfaction app contributes elsewhere (declared in apps.py): the start page's
panels (surveys waiting for me; follow-ups I answer for) and the journal's words."""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.satisfaction import queries


def my_surveys(user, limit: int):
    """The surveys waiting for me: ``(count, [(label, url, meta)])``."""
    rows = queries.open_surveys(user)
    count = rows.count()
    out = [
        (
            o.survey.record_label,
            o.url,
            _("until %(date)s")
            % {"date": formats.date_format(timezone.localtime(o.survey.expires_at), "DATE_FORMAT")},
        )
        for o in queries.open_surveys_with_tokens(user, limit)
    ]
    return count, out


def my_follow_ups(user, limit: int):
    """The follow-ups of low scores I answer for."""
    rows = queries.follow_ups_for(user).select_related("survey")
    count = rows.count()
    return count, [
        (
            f.survey.record_label,
            f.get_absolute_url(),
            _("Score %(score)s of 5") % {"score": f.survey.score},
        )
        for f in rows.order_by("id")[:limit]
    ]


JOURNAL_WORDS = {
    "sent": gettext_lazy("Survey sent"),
    "answered": gettext_lazy("Survey answered"),
    "follow_up_opened": gettext_lazy("Follow-up opened"),
    "follow_up_done": gettext_lazy("Follow-up done"),
    "respondent": gettext_lazy("Respondent"),
    "score": gettext_lazy("Score"),
    "owner": gettext_lazy("Owner"),
    "notes": gettext_lazy("Notes"),
}


def ticket_survey(record, user) -> dict | None:
    """The ticket's survey for IT staff (a card on the incident's or requested item's page),
    or nothing when none was sent."""
    if not (user.is_authenticated and user.is_it):
        return None
    from steward.satisfaction.models import FollowUp, Survey

    survey = Survey.objects.filter(
        record_type=record._meta.label_lower, record_id=record.pk
    ).first()
    if survey is None:
        return None
    return {
        "survey": survey,
        "expired": survey.answered_at is None and survey.expires_at <= timezone.now(),
        "follow_up": FollowUp.objects.filter(survey=survey).first(),
    }
