"""The bridge from request fulfilment to service level management: every move of a requested
item is fed to its SLA clocks (``slm.operations.track``, record type
``fulfilment.requesteditem``), and a catalog item's delivery target (``target_hours``, business
hours on the service's calendar) sets the item's ``due_at`` when it is approved. Without a
target, the SLA definition's resolution clock (if one applies) gives ``due_at``.

Called from the fulfilment operations inside their transaction; slm never imports fulfilment.
"""

from __future__ import annotations

import datetime as dt

from steward.fulfilment.choices import ItemStatus, status_category
from steward.fulfilment.models import RequestedItem
from steward.slm import operations as slm
from steward.slm.calendar_math import WorkCalendar
from steward.slm.models import Calendar, ServiceCalendar, SlaClock

RECORD_TYPE = "fulfilment.requesteditem"


def feed(item: RequestedItem, *, new: bool = False, responded: bool = False) -> None:
    """Tell the SLA clocks where the item stands now (``new``: ordered in this transaction)."""
    slm.track(
        RECORD_TYPE,
        item.pk,
        category=str(status_category(item.status)),
        status=str(ItemStatus(item.status).label),
        service_id=item.service_id,
        organization_id=item.organization_id,
        responded=responded,
        new=new,
    )


def work_calendar(service_id) -> WorkCalendar:
    """The service's business calendar, else the default one, else every hour."""
    link = ServiceCalendar.objects.select_related("calendar").filter(service_id=service_id).first()
    row = link.calendar if link else Calendar.objects.filter(is_default=True).first()
    return row.as_work_calendar() if row is not None else WorkCalendar.always()


def due_for(item: RequestedItem, start: dt.datetime) -> dt.datetime | None:
    """When the item is due: ``target_hours`` business hours from ``start`` (its approval),
    else the SLA's resolution clock's due time, else none."""
    hours = item.catalog_item.target_hours
    if hours:
        return work_calendar(item.service_id).add(start, int(hours) * 3600)
    return (
        SlaClock.objects.filter(
            record_type=RECORD_TYPE, record_id=str(item.pk), metric="resolution"
        )
        .exclude(due_at=None)
        .values_list("due_at", flat=True)
        .first()
    )


def business_seconds(service_id, start: dt.datetime, end: dt.datetime) -> int:
    """Working seconds between two moments on the service's calendar (the KPIs)."""
    if end <= start:
        return 0
    return work_calendar(service_id).elapsed(start, end)


def _instance(record_id):
    return (
        RequestedItem.objects.select_related(
            "catalog_item", "owning_group__manager", "assignee", "service__owner"
        )
        .filter(pk=record_id)
        .first()
    )


def _recipients(item: RequestedItem, level: str) -> list:
    from steward.slm import records

    group = item.owning_group
    manager = group.manager if group.manager_id and group.manager.is_active else None
    if level == records.WARNING:
        if item.assignee_id:
            return [item.assignee]
        return list(group.members.filter(is_active=True))
    people = [manager] if manager else []
    if level == records.BREACH and item.service.owner.is_active:
        people.append(item.service.owner)
    return people


def tracked_type():
    """How slm reaches a requested item (declared in the practice, apps.py)."""
    from steward.slm import records

    return records.TrackedType(
        key=RECORD_TYPE,
        instance=_instance,
        label=lambda i: f"{i.number} {i.catalog_item.name}",
        link=RequestedItem.get_absolute_url,
        recipients=_recipients,
    )
