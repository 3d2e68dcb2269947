"""Demo service reviews: the last two months' reviews of the live demo services, sent on the
1st as the monthly job would have; the older month acknowledged by every owner but one (a
deliberate ownership gap), the last month acknowledged once."""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext

from steward.core import clock
from steward.reviews import operations as ops
from steward.reviews import periods
from steward.reviews.models import ServiceReview
from steward.services.models import Service

#: The services whose reviews the demo leaves as they are (the rest are acknowledged).
UNACKNOWLEDGED_OLDER = "Payments Processing"
ACKNOWLEDGED_LAST = "Online Banking"


def _at(first: dt.date, day: int, hour: int) -> dt.datetime:
    return dt.datetime.combine(first.replace(day=day), dt.time(hour), tzinfo=dt.UTC)


def load(stdout, quiet: bool = False) -> None:
    if ServiceReview.objects.exists() or not Service.objects.exists():
        return
    now = clock.now()
    last = periods.previous_month(periods.current_month(now))
    older = periods.previous_month(last)
    context = nullcontext() if clock.is_simulated() else clock.simulated(_at(last, 1, 6))
    with context:
        for first in (older, last):
            sending = _at(periods.next_month(first), 1, 6)
            clock.set(sending)
            ops.send_monthly(sending)
            for review in ServiceReview.objects.filter(month=first).select_related(
                "service__owner"
            ):
                name = review.service.name
                if (first == older and name != UNACKNOWLEDGED_OLDER) or (
                    first == last and name == ACKNOWLEDGED_LAST
                ):
                    moment = min(sending + dt.timedelta(days=2, hours=3), now)
                    clock.set(moment)
                    ops.acknowledge(
                        review.service.owner, review.service, first, version=review.version
                    )
        clock.set(now)
    if not quiet:
        count = ServiceReview.objects.count()
        stdout.write(f"service reviews: {count} reviews over the last two months\n")
