"""Background jobs of the incidents app (Huey). All are idempotent, and all sleep while the
incidents practice is switched off (they catch up when it is switched on)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from steward.core.practices import is_enabled
from steward.incidents import operations as ops


@db_periodic_task(crontab(minute="*/15"))
def close_resolved_incidents() -> int:
    """Close incidents resolved more than STEWARD_INCIDENT_AUTO_CLOSE_DAYS days ago."""
    if not is_enabled("incidents"):
        return 0
    return ops.close_resolved(timezone.now() - timedelta(days=ops.auto_close_days()))


@db_periodic_task(crontab(minute="*"))
def notify_overdue_handovers() -> int:
    """Tell receiving groups' managers, once, about handovers past their acceptance target."""
    if not is_enabled("incidents"):
        return 0
    return ops.notify_overdue_handovers()


@db_periodic_task(crontab(minute="*"))
def notify_overdue_major_updates() -> int:
    """Tell each major-incident manager, once per overdue period, that an update is late."""
    if not is_enabled("incidents"):
        return 0
    return ops.notify_overdue_updates()
