"""Background jobs of the satisfaction app (Huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from steward.core.practices import is_enabled
from steward.satisfaction import operations as ops


@db_periodic_task(crontab(minute="*/15"))
def offer_surveys() -> int:
    """Offer a survey for each ticket resolved or fulfilled since the last run (idempotent:
    one survey per ticket). Sleeps while the practice is off."""
    if not is_enabled("satisfaction"):
        return 0
    return ops.offer_surveys()
