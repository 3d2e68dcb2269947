"""Domain operations of the slm app: the only code that writes calendars, SLA definitions and
SLA clocks. Each runs in one transaction and writes the journal."""

from steward.slm.operations.calendars import create_calendar, import_holidays, update_calendar
from steward.slm.operations.clocks import check_clocks, start_ola, stop_ola, track
from steward.slm.operations.definitions import (
    assign_calendar,
    create_definition,
    set_calendar,
    set_ola,
    sign_off,
    update_definition,
)

__all__ = [
    "assign_calendar",
    "check_clocks",
    "create_calendar",
    "create_definition",
    "import_holidays",
    "set_calendar",
    "set_ola",
    "sign_off",
    "start_ola",
    "stop_ola",
    "track",
    "update_calendar",
    "update_definition",
]
