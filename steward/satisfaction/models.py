"""The satisfaction tables: one survey per resolved ticket, and the follow-up a low score opens
for the group's manager."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse

from steward.core.models import VersionedModel
from steward.core.permissions import NOTHING, RestrictedQuerySet
from steward.people.models import Organization, SupportGroup, User
from steward.satisfaction.choices import (
    SCORE_MAX,
    SCORE_MIN,
    FollowUpStatus,
    SurveyRecordType,
)
from steward.services.models import Service


class Survey(models.Model):
    """The one question asked about one resolved ticket (an incident or a requested item) of
    the person it was for: how satisfied they are (1 to 5) and a comment.

    At most one per ticket (a unique constraint: the offering job may run twice). The token of
    its link is not stored: it is derived from the ticket with the secret key (``tokens.py``)
    and only its SHA-256 is kept, to find the survey when the link is opened. The service,
    group, agent and organization are the ticket's when the survey was sent: the results are
    cut by them. Written by ``satisfaction.operations`` only."""

    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    record_type = models.CharField(max_length=40, choices=SurveyRecordType.choices)
    record_id = models.BigIntegerField()
    record_label = models.CharField(max_length=200)
    respondent = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    group = models.ForeignKey(
        SupportGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agent = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "record_id"], name="satisfaction_one_survey_per_ticket"
            ),
            models.CheckConstraint(
                condition=Q(record_type__in=[t.value for t in SurveyRecordType]),
                name="satisfaction_survey_record_type",
            ),
            models.CheckConstraint(
                condition=(Q(answered_at__isnull=True) & Q(score__isnull=True))
                | (
                    Q(answered_at__isnull=False) & Q(score__gte=SCORE_MIN) & Q(score__lte=SCORE_MAX)
                ),
                name="satisfaction_answered_has_score",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("sent_at")),
                name="satisfaction_expires_after_sent",
            ),
        ]
        indexes = [
            # a respondent's open surveys, and the rate limit (their last survey)
            models.Index(fields=["respondent", "-sent_at"], name="sat_respondent"),
            # the results of a period
            models.Index(fields=["sent_at"], name="sat_sent"),
        ]

    def __str__(self) -> str:
        return self.record_label

    def get_absolute_url(self) -> str:
        """The survey's page for IT staff (results); the respondent's page is the token's."""
        return reverse("satisfaction:survey", args=[self.pk])

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @classmethod
    def permission_filter(cls, user, action):
        """IT staff read every survey (the results); a respondent reads their own. Nobody
        changes one but the operations (the token is the credential of the answer)."""
        if action == "view":
            return Q() if user.is_it else Q(respondent_id=user.pk)
        return NOTHING


class FollowUp(VersionedModel):
    """A low score's follow-up: the group's manager (``owner``) talks to the respondent and
    writes down what was done. Opened by ``operations.answer``; closed by its owner, the
    group's manager or an administrator."""

    survey = models.OneToOneField(Survey, on_delete=models.CASCADE, related_name="follow_up")
    owner = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The group's manager when the score came in (none: the group had none)",
    )
    status = models.CharField(
        max_length=8, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    notes = models.TextField(blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in FollowUpStatus]),
                name="satisfaction_follow_up_status",
            ),
            models.CheckConstraint(
                condition=Q(status=FollowUpStatus.OPEN, done_at__isnull=True)
                | Q(status=FollowUpStatus.DONE, done_at__isnull=False),
                name="satisfaction_follow_up_done_at",
            ),
        ]
        indexes = [models.Index(fields=["status", "owner"], name="sat_follow_up_queue")]

    def __str__(self) -> str:
        return str(self.survey)

    def get_absolute_url(self) -> str:
        return reverse("satisfaction:follow_up", args=[self.pk])

    @classmethod
    def permission_filter(cls, user, action):
        """IT staff read the follow-ups; the rules (``rules.may_close_follow_up``) say who
        closes one."""
        return Q() if user.is_it else NOTHING
