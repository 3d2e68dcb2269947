"""Enumerations of the satisfaction app, as string-valued choices.

Schema names in the API document are global: each class is named for satisfaction
(``SurveyRecordType``, ``SurveyFollowUpStatus``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyRecordType(models.TextChoices):
    """The kind of ticket a survey asks about (``app_label.model``, like the journal)."""

    INCIDENT = "incidents.incident", _("Incident")
    REQUESTED_ITEM = "fulfilment.requesteditem", _("Requested item")


class SurveyFollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


FollowUpStatus = SurveyFollowUpStatus


#: The answers of the one question, lowest first: what each score means to the respondent.
SCORES = (
    (1, _("Very dissatisfied")),
    (2, _("Dissatisfied")),
    (3, _("Neither satisfied nor dissatisfied")),
    (4, _("Satisfied")),
    (5, _("Very satisfied")),
)
SCORE_MIN, SCORE_MAX = 1, 5
#: Scores that count as satisfied in the CSAT share (the usual top-two-box).
SATISFIED_SCORES = (4, 5)
#: The longest comment a respondent may leave.
COMMENT_MAX = 2000
