"""The slm app's tables, one module per subject: business calendars, SLA and OLA definitions,
which calendar each service, group and person works, and the clocks with their ledgers."""

from steward.slm.models.assignments import GroupCalendar, ServiceCalendar, UserCalendar
from steward.slm.models.calendars import (
    ALWAYS_HOURS,
    DEFAULT_CALENDAR_NAME,
    Calendar,
    CalendarHoliday,
    CalendarQuerySet,
    HolidaySource,
    validate_hours,
    validate_years,
)
from steward.slm.models.clocks import ClockState, SlaClock, SlaSegment
from steward.slm.models.sla import (
    DEFAULT_THRESHOLDS,
    OLA_METRICS,
    Metric,
    OlaDefinition,
    ReopenPolicy,
    SlaDefinition,
    default_thresholds,
)

__all__ = [
    "ALWAYS_HOURS",
    "DEFAULT_CALENDAR_NAME",
    "DEFAULT_THRESHOLDS",
    "OLA_METRICS",
    "Calendar",
    "CalendarHoliday",
    "CalendarQuerySet",
    "ClockState",
    "GroupCalendar",
    "HolidaySource",
    "Metric",
    "OlaDefinition",
    "ReopenPolicy",
    "ServiceCalendar",
    "SlaClock",
    "SlaDefinition",
    "SlaSegment",
    "UserCalendar",
    "default_thresholds",
    "validate_hours",
    "validate_years",
]
