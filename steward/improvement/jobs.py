"""Background jobs of the improvement register (Huey): idempotent, asleep while the practice
is switched off."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from steward.core.practices import is_enabled
from steward.improvement import operations as ops


@db_periodic_task(crontab(minute="7"))
def notify_due_improvements() -> int:
    """Tell owners, once, that their item reached its due date (the benefits review is due)."""
    if not is_enabled("improvement"):
        return 0
    return ops.notify_due()
