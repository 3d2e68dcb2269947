"""Read-side helpers of the satisfaction practice (the portal and the pages read these)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from steward.satisfaction import tokens
from steward.satisfaction.choices import FollowUpStatus
from steward.satisfaction.models import FollowUp, Survey


@dataclass(frozen=True)
class OpenSurvey:
    """A survey waiting for its respondent, with the token of its link."""

    survey: Survey
    token: str

    @property
    def url(self) -> str:
        from django.urls import reverse

        return reverse("satisfaction:answer", args=[self.token])


def open_surveys(user):
    """The surveys waiting for ``user`` (sent to them, not answered, not expired), newest
    first: a queryset."""
    if user is None or not user.is_authenticated:
        return Survey.objects.none()
    return Survey.objects.filter(
        respondent=user.pk, answered_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("-sent_at", "-id")


def open_surveys_with_tokens(user, limit: int | None = None) -> list[OpenSurvey]:
    """``open_surveys(user)`` with each one's token (derived again: it is not stored), for the
    portal's list and ``GET /api/v1/surveys?mine=true``."""
    rows = open_surveys(user)
    if limit is not None:
        rows = rows[:limit]
    return [OpenSurvey(s, tokens.token_of(s)) for s in rows]


def follow_ups_for(user):
    """The open follow-ups ``user`` answers for: theirs, or those of the groups they manage."""
    return (
        FollowUp.objects.for_user(user, "view")
        .filter(status=FollowUpStatus.OPEN)
        .filter(Q(owner=user.pk) | Q(survey__group__manager=user.pk))
    )
