"""API schemas of the services app: the portfolio, then the CMDB."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from steward.core.api_input import SINGLE_LINE, QuerySchema
from steward.core.api_support import StrictSchema
from steward.people.schemas import GroupBrief, UserBrief, Version
from steward.services.choices import (
    CIStatus,
    Environment,
    Lifecycle,
    RelationshipType,
    ServiceKind,
    SupportLine,
)

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


# --- CMDB ---------------------------------------------------------------------------------------

CIName = Annotated[str, StringConstraints(min_length=1, max_length=200), SINGLE_LINE]
Text = Annotated[str, StringConstraints(max_length=200)]


class CIClassOut(Schema):
    id: int
    name: str
    description: str
    attribute_schema: dict[str, Any]
    ci_count: int
    version: int


class CIClassCreate(StrictSchema):
    name: Annotated[str, StringConstraints(min_length=1, max_length=80), SINGLE_LINE]
    description: Description = ""
    attribute_schema: dict[str, Any] = Field(
        default_factory=dict, description="JSON Schema (draft 2020-12) of the CI attributes"
    )


class CIClassUpdate(StrictSchema):
    version: Version
    name: Annotated[str, StringConstraints(min_length=1, max_length=80), SINGLE_LINE] = None
    description: Description = None
    attribute_schema: dict[str, Any] = None


class CIRef(Schema):
    id: int
    name: str
    ci_class: str


class CIOut(Schema):
    id: int
    name: str
    ci_class: CIClassBrief
    status: CIStatus
    environment: Environment
    owner_group: GroupBrief | None
    description: str
    attributes: dict[str, Any]
    version: int


class CIClassBrief(Schema):
    id: int
    name: str


class CICreate(StrictSchema):
    name: CIName
    ci_class: int
    status: CIStatus = CIStatus.ACTIVE
    environment: Environment = Environment.PRODUCTION
    owner_group: int | None = None
    description: Description = ""
    attributes: dict[str, Any] = Field(default_factory=dict)


class CIUpdate(StrictSchema):
    version: Version
    name: CIName = None
    ci_class: int = None
    status: CIStatus = None
    environment: Environment = None
    owner_group: int | None = None
    description: Description = None
    attributes: dict[str, Any] = None


class CIFilters(QuerySchema):
    ci_class: int | None = None
    status: CIStatus | None = None
    environment: Environment | None = None
    owner_group: int | None = None
    no_owner_group: bool | None = Field(None, description="Only CIs without an owner group")
    service: int | None = Field(None, description="CIs that deliver this service")
    q: Text | None = Field(None, description="Text in the name")


class RelationshipOut(Schema):
    id: int
    source: CIRef
    type: RelationshipType
    target: CIRef


class RelationshipCreate(StrictSchema):
    source: int
    type: RelationshipType
    target: int


class RelationshipFilters(QuerySchema):
    ci: int | None = Field(None, description="Relationships from or to this CI")
    type: RelationshipType | None = None


class ServiceRef(Schema):
    id: int
    name: str


class ServiceCIOut(Schema):
    id: int
    service: ServiceRef
    ci: CIRef


class ServiceCICreate(StrictSchema):
    service: int
    ci: int


class ServiceCIFilters(QuerySchema):
    service: int | None = None
    ci: int | None = None


class ImpactService(Schema):
    id: int
    name: str
    status: str
    criticality: int


class PathStep(Schema):
    ci: CIRef
    relationship: RelationshipType | None = Field(
        description="How the impact reached this CI from the previous step (null for the first)"
    )


class ImpactedService(Schema):
    service: ImpactService
    owner: UserBrief
    customers: list[OrganizationBrief]
    delivered_by: CIRef = Field(description="The CI, linked to the service, that the path reaches")
    depth: int = Field(description="Relationships between the failing CI and that CI")
    path: list[PathStep]
    explanation: list[str]


class ImpactOut(Schema):
    ci: CIRef
    affected_ci_count: int = Field(description="Other CIs reached through the graph")
    count: int
    services: list[ImpactedService]


class CsvImportIn(StrictSchema):
    csv: Annotated[str, StringConstraints(min_length=1, max_length=1_000_000)] = Field(
        description="The CSV text, header first"
    )


class CsvImportOut(Schema):
    created: int
    updated: int
    unchanged: int


CIOut.model_rebuild()
