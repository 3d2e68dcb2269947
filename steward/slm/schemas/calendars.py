"""API schemas of the slm app: calendars and business-time arithmetic."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import (
    AfterValidator,
    AwareDatetime,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from steward.core.api_input import SINGLE_LINE
from steward.core.api_support import StrictSchema
from steward.people.schemas import Version
from steward.slm.validation import MAX_HOLIDAYS, MAX_YEAR, MIN_YEAR

CalendarName = Annotated[str, StringConstraints(min_length=1, max_length=120), SINGLE_LINE]
Description = Annotated[str, StringConstraints(max_length=10_000)]
TimeZone = Annotated[str, StringConstraints(min_length=1, max_length=64), SINGLE_LINE]
Country = Annotated[str, StringConstraints(max_length=8)]
Subdivision = Annotated[str, StringConstraints(max_length=16)]
Hours = Annotated[
    dict[str, list[list[str]]],
    Field(
        description='Working hours per weekday, keys "mon" ... "sun", each a list of '
        '["HH:MM", "HH:MM"] intervals in local time ("24:00" allowed as an end); '
        "a missing weekday has no working hours.",
        examples=[{"mon": [["08:00", "12:00"], ["13:00", "17:00"]], "sat": []}],
    ),
]
#: Business-time requests are limited to these years and to about ten years of target.
EARLIEST = dt.datetime(MIN_YEAR, 1, 2, tzinfo=dt.UTC)
LATEST = dt.datetime(MAX_YEAR, 1, 1, tzinfo=dt.UTC)
MAX_SECONDS = 10 * 366 * 86_400


def _in_range(value: dt.datetime) -> dt.datetime:
    if not EARLIEST <= value <= LATEST:
        raise ValueError(
            _("must lie between %(earliest)s and %(latest)s")
            % {"earliest": f"{EARLIEST:%Y-%m-%d}", "latest": f"{LATEST:%Y-%m-%d}"}
        )
    return value


Instant = Annotated[
    AwareDatetime,
    AfterValidator(_in_range),
    Field(
        description="UTC ISO 8601, e.g. 2026-04-24T13:30:00Z; a time without offset is refused; "
        f"between {EARLIEST:%Y-%m-%d} and {LATEST:%Y-%m-%d}"
    ),
]
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]
Day = Annotated[dt.date, Field(description=f"An ISO date in the years {MIN_YEAR} to {MAX_YEAR}")]


class ImportedHoliday(Schema):
    date: dt.date
    name: str


class CalendarOut(Schema):
    id: int
    name: str
    description: str
    time_zone: str
    hours: dict[str, list[list[str]]]
    is_default: bool
    holidays: list[dt.date] = Field(description="Manual holidays")
    holiday_country: str
    holiday_subdivision: str
    holiday_years: list[int]
    imported_holidays: list[ImportedHoliday]
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class CalendarCreate(StrictSchema):
    name: CalendarName
    description: Description = ""
    time_zone: TimeZone = Field(description="IANA time zone, e.g. Europe/Amsterdam")
    hours: Hours
    holidays: list[Day] = Field(
        default_factory=list, max_length=MAX_HOLIDAYS, description="Whole days off (ISO dates)"
    )
    holiday_country: Country = Field("", description="Import public holidays of this country")
    holiday_subdivision: Subdivision = ""
    holiday_years: list[Year] = Field(default_factory=list, max_length=MAX_YEAR - MIN_YEAR + 1)


class CalendarUpdate(StrictSchema):
    version: Version
    name: CalendarName = None
    description: Description | None = Field(None, description="null empties it")
    time_zone: TimeZone = None
    hours: Hours = None
    holidays: list[Day] | None = Field(
        None, max_length=MAX_HOLIDAYS, description="Replaces the manual holidays; null empties them"
    )
    holiday_country: Country | None = Field(None, description="null: no imported holidays")
    holiday_subdivision: Subdivision | None = None
    holiday_years: list[Year] | None = Field(None, max_length=MAX_YEAR - MIN_YEAR + 1)


class AddIn(StrictSchema):
    start: Instant
    seconds: int = Field(ge=0, le=MAX_SECONDS, description="Working seconds to add")


class AddOut(Schema):
    due: dt.datetime = Field(
        description="The earliest instant at which `seconds` of working "
        "time have passed since `start` (UTC)"
    )


class ElapsedIn(StrictSchema):
    start: Instant
    end: Instant

    @field_validator("end")
    @classmethod
    def _not_before_start(cls, end: dt.datetime, info: ValidationInfo) -> dt.datetime:
        start = info.data.get("start")
        if start is not None and end < start:
            raise ValueError(_("must not be before start"))
        if start is not None and (end - start).total_seconds() > MAX_SECONDS:
            raise ValueError(_("must lie within about ten years of start"))
        return end


class ElapsedOut(Schema):
    seconds: int = Field(description="Working seconds in [start, end)")


class AssignIn(StrictSchema):
    """Who works this calendar: services, support groups and people (by id)."""

    services: list[int] = Field(default_factory=list, max_length=1000)
    groups: list[int] = Field(default_factory=list, max_length=1000)
    users: list[int] = Field(default_factory=list, max_length=1000)


class AssignOut(Schema):
    calendar: int
    services: list[int]
    groups: list[int]
    users: list[int]
