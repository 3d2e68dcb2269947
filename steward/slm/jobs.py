"""Background jobs of the slm app; they sleep while service levels are switched off."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from steward.core.practices import is_enabled
from steward.slm.operations import check_clocks


@db_periodic_task(crontab(minute="*"))
def check_sla_clocks() -> int:
    """Every minute: fire due SLA warnings and breaches (idempotent: each fires once)."""
    if not is_enabled("service_levels"):
        return 0
    return check_clocks()
