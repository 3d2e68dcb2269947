"""Types every changes schema shares: text of each kind, ids, moments in bodies."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Field
from pydantic import AfterValidator, AwareDatetime, StringConstraints

from steward.changes.choices import (
    ApprovalDecision,
    AuthorityLevel,
    ConflictKind,
    RiskRuleKind,
    WindowKind,
)
from steward.core.api_input import SINGLE_LINE, Id

#: Planned windows, dated windows and follow-up dates lie in this range (PostgreSQL and the
#: calendar engine agree on it; a typo of a year is refused, not stored).
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


def _instant_in_range(value: dt.datetime) -> dt.datetime:
    if not EARLIEST <= value <= LATEST:
        raise ValueError(_("must lie between 2000-01-01 and 2100-01-01"))
    return value.astimezone(dt.UTC)


def _day_in_range(value: dt.date) -> dt.date:
    if not EARLIEST.date() <= value <= LATEST.date():
        raise ValueError(_("must lie between 2000-01-01 and 2100-01-01"))
    return value


Instant = Annotated[
    AwareDatetime,
    AfterValidator(_instant_in_range),
    Field(description="ISO 8601 with an offset, e.g. 2026-04-24T22:00:00Z (stored in UTC)"),
]
Day = Annotated[dt.date, AfterValidator(_day_in_range), Field(description="An ISO date")]
Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), SINGLE_LINE
]
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120), SINGLE_LINE
]
Text = Annotated[str, StringConstraints(max_length=20_000)]
Required = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2_000)]
Reason = Annotated[str, StringConstraints(max_length=200), SINGLE_LINE]
TimeZone = Annotated[str, StringConstraints(min_length=1, max_length=64), SINGLE_LINE]
Number = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{3}\d{1,12}$", max_length=16)]
IdList = Annotated[list[Id], Field(max_length=200)]
Minutes = Annotated[int, Field(ge=0, le=525_600, description="Minutes (at most a year)")]

#: The app's other enumerations, inline in the document (their class names, such as
#: ``WindowKind``, are not the practice's alone).
ChangeApprovalDecision = Literal[tuple(ApprovalDecision.values)]  # type: ignore[valid-type]
ChangeAuthorityLevel = Literal[tuple(AuthorityLevel.values)]  # type: ignore[valid-type]
ChangeConflictKind = Literal[tuple(ConflictKind.values)]  # type: ignore[valid-type]
ChangeRiskRuleKind = Literal[tuple(RiskRuleKind.values)]  # type: ignore[valid-type]
ChangeWindowKind = Literal[tuple(WindowKind.values)]  # type: ignore[valid-type]
