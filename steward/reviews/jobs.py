"""Background job of service reviews (Huey): the monthly review, sent to each service owner.

It runs every day at 06:00 UTC and is idempotent: on the 1st it creates and sends last
month's review of every live service; on the other days it sends only what a failure held
back. It sleeps while the practice is switched off (and catches up when it is switched on).
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from steward.core.practices import is_enabled
from steward.reviews import operations as ops


@db_periodic_task(crontab(hour="6", minute="0"))
def send_monthly_reviews() -> int:
    if not is_enabled("service_reviews"):
        return 0
    return ops.send_monthly()
