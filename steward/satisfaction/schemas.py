"""The satisfaction API's input and output schemas (names unique across apps: ``Survey…``,
``Csat…``, ``SurveyFollowUp…``).

Two audiences read surveys: the respondent (``SurveyOut``: their own survey, with the token of
its link while it is open) and IT staff (``SurveyStaffOut``: who answered what about whose
work, never a token)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema

from steward.core.api_input import Id, Moment, QuerySchema, StrictSchema
from steward.core.api_support import NamedRef
from steward.people.schemas import UserBrief
from steward.satisfaction.choices import COMMENT_MAX, SCORE_MAX, SCORE_MIN, SurveyFollowUpStatus

SurveyScore = Annotated[int, Field(ge=SCORE_MIN, le=SCORE_MAX)]
SurveyState = Literal["open", "answered", "expired"]


class SurveyOut(Schema):
    """A survey as its respondent reads it."""

    id: int
    token: str | None = Field(
        description="The credential of the survey's link (while it is open; null once answered "
        "or expired)"
    )
    url: str | None = Field(description="The answer page (while it is open)")
    record_type: str = Field(description='"incidents.incident" or "fulfilment.requesteditem"')
    record_label: str = Field(description="The ticket: its number and title")
    state: SurveyState
    sent_at: dt.datetime
    expires_at: dt.datetime
    answered_at: dt.datetime | None
    score: int | None = Field(description="1 (very dissatisfied) to 5 (very satisfied)")
    comment: str


class SurveyFollowUpBrief(Schema):
    id: int
    status: SurveyFollowUpStatus
    owner: UserBrief | None


class SurveyStaffOut(Schema):
    """A survey as IT staff read it (the results' rows)."""

    id: int
    record_type: str
    record_id: int
    record_label: str
    record_url: str = Field(description="The ticket's page (empty when its practice is off)")
    respondent: UserBrief
    organization: NamedRef | None
    service: NamedRef | None
    group: NamedRef | None
    agent: UserBrief | None
    state: SurveyState
    sent_at: dt.datetime
    expires_at: dt.datetime
    answered_at: dt.datetime | None
    score: int | None
    comment: str
    follow_up: SurveyFollowUpBrief | None


class SurveyListQuery(QuerySchema):
    mine: bool = Field(
        True,
        description="true: my open surveys with their tokens; false (IT staff): every survey, "
        "newest first (a requester: their own)",
    )
    state: SurveyState | None = Field(None, description="Only surveys in this state (mine=false)")
    service: Id | None = None
    group: Id | None = None
    agent: Id | None = None


class SurveyAnswerIn(StrictSchema):
    score: SurveyScore = Field(description="1 (very dissatisfied) to 5 (very satisfied)")
    comment: str = Field("", max_length=COMMENT_MAX)


class CsatQuery(QuerySchema):
    by: Literal["service", "group", "agent", "month"] | None = Field(
        None, description="One row per service, group, agent or UTC month; none: totals only"
    )
    from_: Moment | None = Field(
        None, alias="from", description="Start of the period (ISO 8601); default 12 months ago"
    )
    to: Moment | None = Field(
        None, description="End of the period, excluded; default the end of the current month"
    )
    service: Id | None = Field(None, description="Only the surveys about this service")
    group: Id | None = Field(None, description="Only the surveys about this group's tickets")
    agent: Id | None = Field(None, description="Only the surveys about this agent's tickets")


class CsatFiguresOut(Schema):
    sent: int = Field(description="Surveys sent in the period")
    answered: int = Field(description="Of those, answered")
    response_rate: float | None = Field(description="answered ÷ sent, in percent")
    mean_score: float | None = Field(description="The mean score of the answers (1–5)")
    csat: float | None = Field(description="Answers scoring 4 or 5 ÷ answers, in percent")
    satisfied: int = Field(description="Answers scoring 4 or 5")
    scores: list[int] = Field(description="The number of answers of each score, 1 to 5")


class CsatRowOut(CsatFiguresOut):
    key: str = Field(
        description="The service's, group's or agent's id (0: none), or the month (YYYY-MM-01)"
    )
    label: str


class CsatOut(Schema):
    from_: dt.datetime = Field(alias="from")
    to: dt.datetime
    by: str | None
    totals: CsatFiguresOut
    rows: list[CsatRowOut]


class SurveyFollowUpOut(Schema):
    id: int
    status: SurveyFollowUpStatus
    owner: UserBrief | None
    notes: str
    done_at: dt.datetime | None
    done_by: UserBrief | None
    version: int
    created_at: dt.datetime
    survey: SurveyStaffOut
    actions: list[str] = Field(description='What you may do: "close"')


class SurveyFollowUpQuery(QuerySchema):
    status: SurveyFollowUpStatus | None = Field(None, description="Only open or done follow-ups")
    mine: bool = Field(False, description="Only the follow-ups I answer for (mine, or my groups')")


class SurveyFollowUpCloseIn(StrictSchema):
    notes: str = Field(min_length=1, max_length=4000, description="What was done")
    version: int | None = Field(None, ge=1, description="The version you read (409 if stale)")
