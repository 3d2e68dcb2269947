"""API schemas for SLA definitions and clocks."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from steward.core.api_input import SINGLE_LINE
from steward.core.api_support import StrictSchema
from steward.people.schemas import UserBrief, Version
from steward.slm.models import ClockState, Metric, ReopenPolicy

Name = Annotated[str, StringConstraints(min_length=1, max_length=120), SINGLE_LINE]
Priority = Annotated[str, StringConstraints(max_length=8, pattern=r"^(P[1-9])?$")]
RecordType = Annotated[str, StringConstraints(min_length=1, max_length=32, pattern=r"^[a-z_]+$")]
Seconds = Annotated[int, Field(gt=0, le=10 * 366 * 24 * 3600)]
Thresholds = Annotated[list[Annotated[int, Field(gt=0, lt=100)]], Field(max_length=10)]


class EscalationOut(Schema):
    metric: Literal["response", "resolution"]
    at: int = Field(description="Percentage of the target; 100 is the breach")
    hand_over: bool = Field(description="Hand the ticket to the service's next support line")
    raise_priority: bool = Field(description="Raise the ticket's priority one step")


class EscalationIn(StrictSchema):
    """What happens when the metric's clock reaches ``at`` percent of its target (100: the
    breach): a handover to the service's next support line, a priority one step higher, or
    both. Each rule fires once per clock."""

    metric: Literal["response", "resolution"]
    at: Annotated[int, Field(ge=1, le=100, description="Percentage of the target; 100: breach")]
    hand_over: bool = False
    raise_priority: bool = False


Escalations = Annotated[list[EscalationIn], Field(max_length=10)]


class SlaDefinitionOut(Schema):
    id: int
    name: str
    description: str
    record_type: str
    priority: str
    service: int | None
    organization: int | None
    response_seconds: int | None
    resolution_seconds: int | None
    calendar: int | None
    thresholds: list[int]
    pause_when_paused: bool
    reopen_policy: ReopenPolicy
    escalations: list[EscalationOut]
    is_active: bool
    signed_off_by: UserBrief | None
    signed_off_at: datetime | None
    version: int


class SlaDefinitionCreate(StrictSchema):
    name: Name
    description: Annotated[str, StringConstraints(max_length=10_000)] = ""
    record_type: RecordType = "incident"
    priority: Priority = ""
    service: int | None = None
    organization: int | None = None
    response_seconds: Seconds | None = None
    resolution_seconds: Seconds | None = None
    calendar: int | None = Field(None, description="Default: the service's, else 24x7")
    thresholds: Thresholds = Field(default_factory=lambda: [50, 75, 90])
    pause_when_paused: bool = True
    reopen_policy: ReopenPolicy = ReopenPolicy.CONTINUE
    escalations: Escalations = Field(default_factory=list)
    is_active: bool = True


class SlaDefinitionUpdate(StrictSchema):
    version: Version
    name: Name = None
    description: Annotated[str, StringConstraints(max_length=10_000)] = None
    priority: Priority = None
    service: int | None = None
    organization: int | None = None
    response_seconds: Seconds | None = None
    resolution_seconds: Seconds | None = None
    calendar: int | None = None
    thresholds: Thresholds = None
    pause_when_paused: bool = None
    reopen_policy: ReopenPolicy = None
    escalations: Escalations = None
    is_active: bool = None


class SignOffIn(StrictSchema):
    """Optional: the version of the SLA the signer read; when given and stale, the sign-off
    is refused with 409 and nothing is written (the page always sends it)."""

    version: Version | None = None


class SegmentOut(Schema):
    start: datetime
    end: datetime | None = Field(
        description="null on the last entry while the clock runs or is paused: the open "
        "stretch since the last event, counted up to the moment of the read"
    )
    kind: str = Field(description="running | not_working | paused | event")
    reason: str
    counted_seconds: int
    paused_working_seconds: int
    explanation: str


class SlaClockOut(Schema):
    id: int
    definition: str
    metric: Metric
    state: ClockState
    priority: str
    calendar: str
    target_seconds: int
    started_at: datetime
    elapsed_seconds: int = Field(
        description="Working seconds counted at the moment of the read (the ledger's "
        "counted_seconds add up to it)"
    )
    paused_seconds: int = Field(description="Working seconds spent paused, at the read")
    due_at: datetime | None
    breached_at: datetime | None
    stopped_at: datetime | None
    ledger: list[SegmentOut]


class ComplianceRow(Schema):
    key: str
    label: str
    met: int
    breached: int
    total: int
    met_percent: float
    median_hours: float = Field(description="Median working hours to resolve")
    p90_hours: float = Field(description="90th percentile of working hours to resolve")


class ComplianceOut(Schema):
    group_by: str
    since: datetime | None
    until: datetime | None
    rows: list[ComplianceRow]


class OlaOut(Schema):
    group: int
    group_name: str
    handover_acceptance_seconds: int | None
    time_with_group_seconds: int | None
    thresholds: list[int]
    pause_when_paused: bool
    is_active: bool
    version: int


class OlaIn(StrictSchema):
    handover_acceptance_seconds: Seconds | None = None
    time_with_group_seconds: Seconds | None = None
    thresholds: Thresholds = Field(default_factory=lambda: [50, 75, 90])
    pause_when_paused: bool = True
    is_active: bool = True
