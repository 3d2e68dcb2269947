"""Background jobs of the slm app."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from steward.slm.operations import check_clocks


@db_periodic_task(crontab(minute="*"))
def check_sla_clocks() -> int:
    """Every minute: fire due SLA warnings and breaches (idempotent: each fires once)."""
    return check_clocks()
