"""API schemas of the services app."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from steward.core.api_input import SINGLE_LINE, QuerySchema
from steward.core.api_support import StrictSchema
from steward.people.schemas import UserBrief, Version
from steward.services.choices import Lifecycle, ServiceKind, SupportLine

ServiceName = Annotated[str, StringConstraints(min_length=1, max_length=120), SINGLE_LINE]
Description = Annotated[str, StringConstraints(max_length=10_000)]
CriticalityValue = Literal[1, 2, 3, 4]


class OrganizationBrief(Schema):
    id: int
    name: str


class GroupRef(Schema):
    id: int
    name: str


class SupportOut(Schema):
    first: list[GroupRef]
    second: list[GroupRef]
    third: list[GroupRef]


class ServiceRefOut(Schema):
    id: int
    name: str


class ServiceOut(Schema):
    id: int
    name: str
    description: str
    kind: ServiceKind
    owner: UserBrief
    owner_accepted_at: datetime | None = Field(
        description="When the owner signed up; empty: not yet"
    )
    pending_owner: UserBrief | None = Field(description="Proposed owner waiting to accept")
    criticality: CriticalityValue
    status: Lifecycle
    review_date: date | None
    customers: list[OrganizationBrief]
    support: SupportOut
    depends_on: list[ServiceRefOut]
    version: int


class ServiceCreate(StrictSchema):
    name: ServiceName
    description: Description = ""
    kind: ServiceKind = ServiceKind.BUSINESS
    review_date: date | None = None
    owner: int = Field(description="The accountable service owner: an active user's id")
    criticality: CriticalityValue = 3
    status: Lifecycle = Lifecycle.PIPELINE
    customers: list[int] = Field(default_factory=list, max_length=1000)


class ServiceUpdate(StrictSchema):
    version: Version
    name: ServiceName = None
    description: Description = None
    kind: ServiceKind = None
    review_date: date | None = None
    owner: int = Field(
        None, description="Proposes a new owner; the current one stays until they accept"
    )
    criticality: CriticalityValue = None
    status: Lifecycle = None
    customers: list[int] = Field(None, max_length=1000)


class ServiceFilters(QuerySchema):
    status: Lifecycle | None = None
    owner: int | None = None
    customer: int | None = Field(None, description="Services that serve this organization")
    criticality: CriticalityValue | None = None
    q: Annotated[str, StringConstraints(max_length=200)] | None = None


class SupportIn(StrictSchema):
    line: SupportLine
    groups: list[int] = Field(max_length=50)


class DependenciesIn(StrictSchema):
    depends_on: list[int] = Field(max_length=200)


class DeclineIn(StrictSchema):
    reason: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
