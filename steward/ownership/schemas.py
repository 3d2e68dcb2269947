"""API schemas of the ownership app."""

from __future__ import annotations

from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints

from steward.core.api_input import SINGLE_LINE, QuerySchema
from steward.core.api_support import StrictSchema
from steward.ownership.choices import Letter, PartyKind, Severity
from steward.people.choices import Role
from steward.people.schemas import GroupBrief, UserBrief, Version

Key = Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=r"^[-a-z0-9_]+$")]
Name = Annotated[str, StringConstraints(min_length=1, max_length=120), SINGLE_LINE]
Description = Annotated[str, StringConstraints(max_length=10_000)]


class ProcessBrief(Schema):
    id: int
    key: str
    name: str


class ProcessOut(Schema):
    id: int
    key: str
    name: str
    description: str
    owner: UserBrief | None
    managers: list[UserBrief]
    activity_count: int
    version: int


class ProcessCreate(StrictSchema):
    key: Key
    name: Name
    description: Description = ""
    owner: int = Field(description="The process owner: an active user's id")
    managers: list[int] = Field(default_factory=list, max_length=200)


class ProcessUpdate(StrictSchema):
    version: Version
    name: Name = None
    description: Description = None
    owner: int | None = Field(None, description="Administrators only")
    managers: list[int] = Field(None, max_length=200)


class ProcessFilters(QuerySchema):
    owner: int | None = None
    q: Annotated[str, StringConstraints(max_length=200)] | None = None


class ActivityOut(Schema):
    id: int
    name: str
    description: str
    order: int


class ActivityCreate(StrictSchema):
    version: Version = Field(description="The process's version")
    name: Name
    description: Description = ""
    order: int = Field(0, ge=0, le=32767)


class PartyOut(Schema):
    kind: PartyKind
    id: int | str = Field(description="A group or user id, or the role's key")
    name: str


class AssignmentOut(Schema):
    id: int
    letter: Letter
    party: PartyOut
    accountable_person: UserBrief | None


class ActivityRaciOut(ActivityOut):
    assignments: list[AssignmentOut]


class FindingActivity(Schema):
    id: int
    name: str


class Finding(Schema):
    activity: FindingActivity
    rule: str
    severity: Severity
    message: str


class RaciOut(Schema):
    process: ProcessBrief
    version: int = Field(description="The process's version: send it back to write the matrix")
    activities: list[ActivityRaciOut]
    findings: list[Finding]


class CellIn(StrictSchema):
    letter: Letter
    role: Role | None = None
    group: int | None = None
    user: int | None = None
    accountable_person: int | None = Field(
        None, description="For a role or group given A: the person who answers for it"
    )


class AssignmentIn(CellIn):
    activity: int


class RaciWrite(StrictSchema):
    version: Version = Field(description="The process's version")
    assignments: list[AssignmentIn] = Field(max_length=5000)


class ActivityRaciWrite(StrictSchema):
    version: Version = Field(description="The process's version")
    assignments: list[CellIn] = Field(max_length=500)


class RuleOut(Schema):
    key: str
    severity: Severity
    description: str


class ValidationOut(Schema):
    process: ProcessBrief
    valid: bool = Field(description="True when there is no error (warnings allowed)")
    errors: int
    warnings: int
    findings: list[Finding]
    rules: list[RuleOut]


class RecordRef(Schema):
    type: str = Field(description="What kind of record: service, process, activity, group, ci")
    id: int
    name: str


class FixerOut(Schema):
    kind: PartyKind
    id: int | str
    name: str


class GapOut(Schema):
    kind: str = Field(description="The kind of gap, e.g. service_owner_inactive")
    severity: Severity
    record: RecordRef
    problem: str = Field(description="What is wrong, in one sentence")
    fix_by: FixerOut = Field(description="Who should fix it: a person, a group or a role")
    link: str = Field(description="Where to fix it")


class GapKind(Schema):
    kind: str
    label: str


class GapList(Schema):
    count: int
    limit: int
    offset: int
    kinds: list[GapKind]
    items: list[GapOut]


class GapFilters(QuerySchema):
    kind: Annotated[str, StringConstraints(max_length=64)] | None = Field(
        None, description="Only gaps of this kind (e.g. raci_responsible)"
    )


class OwnedService(Schema):
    id: int
    name: str
    status: str


class ActivityRef(Schema):
    process: ProcessBrief
    activity: FindingActivity
    letter: Letter


class CiBrief(Schema):
    id: int
    name: str


class MineOut(Schema):
    services: list[OwnedService]
    processes: list[ProcessBrief]
    managed_processes: list[ProcessBrief]
    groups: list[GroupBrief]
    activities: list[ActivityRef] = Field(
        description="Activities where I am R or A, in person or as the accountable person"
    )
    cis: list[CiBrief] = Field(description="Configuration items owned by groups I manage")
    cis_count: int
    needs_me: list[GapOut] = Field(description="Gaps that I (or a role I hold) should fix")
