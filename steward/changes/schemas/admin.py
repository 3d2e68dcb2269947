"""API schemas of the changes app's admin data: standard change templates, maintenance windows
and blackout periods, and the risk questionnaire."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints

from steward.changes.choices import ChangeImpact, ChangeRisk
from steward.changes.schemas.common import (
    ChangeWindowKind,
    IdList,
    Instant,
    Line,
    Minutes,
    Name,
    Text,
    TimeZone,
)
from steward.core.api_input import SINGLE_LINE, Id, QuerySchema, StrictSchema
from steward.core.api_support import NamedRef
from steward.people.schemas import GroupBrief, Version

Tasks = Annotated[list[Line], Field(max_length=100, description="The steps, in order")]
Hours = Annotated[
    dict[str, list[list[str]]],
    Field(
        description='Weekly hours per weekday, keys "mon" ... "sun", each a list of '
        '["HH:MM", "HH:MM"] intervals in the window\'s time zone ("24:00" allowed as an end)',
        examples=[{"sat": [["22:00", "24:00"]], "sun": [["00:00", "06:00"]]}],
    ),
]
QuestionText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), SINGLE_LINE
]
AnswerText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), SINGLE_LINE
]
Weight = Annotated[int, Field(ge=0, le=1000)]
Order = Annotated[int, Field(ge=0, le=32_767)]


class ChangeAdminFilters(QuerySchema):
    is_active: bool | None = Field(None, description="Only the active (true) or retired (false)")


# --- standard change templates ------------------------------------------------------------------


class ChangeTemplateCreate(StrictSchema):
    name: Name
    description: Text = ""
    owning_group: Id
    services: IdList = []
    cis: IdList = []
    implementation_plan: Text
    backout_plan: Text
    test_plan: Text
    communication_plan: Text = ""
    risk: ChangeRisk = ChangeRisk.LOW
    impact: ChangeImpact = ChangeImpact.LOW
    outage_expected: bool = False
    outage_minutes: Minutes | None = None
    tasks: Tasks = []


class ChangeTemplateUpdate(StrictSchema):
    version: Version
    name: Name = None
    description: Text | None = None
    owning_group: Id = None
    services: IdList = None
    cis: IdList = None
    implementation_plan: Text = None
    backout_plan: Text = None
    test_plan: Text = None
    communication_plan: Text | None = None
    risk: ChangeRisk = None
    impact: ChangeImpact = None
    outage_expected: bool = None
    outage_minutes: Minutes | None = None
    tasks: Tasks = None
    is_active: bool = Field(None, description="false retires it: no new changes from it")


class ChangeTemplateOut(Schema):
    id: int
    name: str
    description: str
    owning_group: GroupBrief
    services: list[NamedRef]
    cis: list[NamedRef]
    implementation_plan: str
    backout_plan: str
    test_plan: str
    communication_plan: str
    risk: ChangeRisk
    impact: ChangeImpact
    outage_expected: bool
    outage_minutes: int | None
    tasks: list[str]
    is_active: bool
    created_at: datetime
    updated_at: datetime
    version: int


# --- maintenance windows and blackouts ----------------------------------------------------------


class ChangeWindowCreate(StrictSchema):
    name: Name
    description: Text = ""
    time_zone: TimeZone = Field("UTC", description="IANA time zone of the weekly hours")
    hours: Hours | None = Field(None, description="Weekly (give hours) or dated (give both times)")
    starts_at: Instant | None = None
    ends_at: Instant | None = Field(None, description="The dated period is [starts_at, ends_at)")
    services: IdList = []
    cis: IdList = []
    ci_classes: IdList = []


class ChangeWindowUpdate(StrictSchema):
    version: Version
    name: Name = None
    description: Text | None = None
    time_zone: TimeZone = None
    hours: Hours | None = None
    starts_at: Instant | None = None
    ends_at: Instant | None = None
    services: IdList = None
    cis: IdList = None
    ci_classes: IdList = None
    is_active: bool = None


class ChangeWindowOut(Schema):
    id: int
    kind: ChangeWindowKind
    name: str
    description: str
    time_zone: str
    hours: dict[str, list[list[str]]] | None
    starts_at: datetime | None
    ends_at: datetime | None
    services: list[NamedRef]
    cis: list[NamedRef]
    ci_classes: list[NamedRef]
    is_active: bool
    created_at: datetime
    updated_at: datetime
    version: int


# --- the risk questionnaire ---------------------------------------------------------------------


class ChangeRiskAnswerIn(StrictSchema):
    id: Id | None = Field(None, description="Updating: the answer kept (others are removed)")
    text: AnswerText
    value: Weight = 0
    order: Order = 100


RiskAnswers = Annotated[list[ChangeRiskAnswerIn], Field(min_length=1, max_length=50)]


class ChangeRiskQuestionCreate(StrictSchema):
    text: QuestionText
    help: Text = ""
    weight: Weight = 1
    order: Order = 100
    answers: RiskAnswers


class ChangeRiskQuestionUpdate(StrictSchema):
    version: Version
    text: QuestionText = None
    help: Text | None = None
    weight: Weight = None
    order: Order = None
    is_active: bool = None
    answers: RiskAnswers = Field(None, description="Replaces the answers (give ids to keep)")


class ChangeRiskAnswerOut(Schema):
    id: int
    text: str
    value: int
    order: int


class ChangeRiskQuestionOut(Schema):
    id: int
    text: str
    help: str
    weight: int
    order: int
    is_active: bool
    answers: list[ChangeRiskAnswerOut]
    created_at: datetime
    updated_at: datetime
    version: int
