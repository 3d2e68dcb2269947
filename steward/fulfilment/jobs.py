"""Background jobs of the fulfilment app (Huey). Both are idempotent and sleep while the
practice is switched off (they catch up when it is switched on)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from steward.core.practices import is_enabled
from steward.fulfilment import operations as ops


@db_periodic_task(crontab(minute="*/5"))
def run_recurring_requests() -> int:
    """Raise the orders of the recurring requests that fell due (one per planned run)."""
    if not is_enabled("fulfilment"):
        return 0
    return len(ops.run_recurring())


@db_periodic_task(crontab(minute="*/15"))
def close_fulfilled_items() -> int:
    """Close the items fulfilled more than five days ago."""
    if not is_enabled("fulfilment"):
        return 0
    return ops.close_fulfilled()
