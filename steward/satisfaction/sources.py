"""The tickets a survey is offered for: incidents resolved, and requested items fulfilled
(when the requests practice is on). Each source gives, for a window of time, the tickets that
reached the end of their work in it and have no survey yet, with what the survey keeps of
them (respondent, label, service, group, agent, organization)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.urls import reverse

from steward.core.practices import is_enabled
from steward.satisfaction.choices import SurveyRecordType
from steward.satisfaction.models import Survey


@dataclass(frozen=True)
class Ticket:
    """What a survey keeps of its ticket."""

    record_type: str
    record_id: int
    label: str
    respondent: object  # people.User
    service_id: int | None
    group_id: int | None
    agent_id: int | None
    organization_id: int | None
    done_at: dt.datetime


@dataclass(frozen=True)
class Source:
    record_type: str
    practice: str
    tickets: Callable[[dt.datetime, dt.datetime], Iterator[Ticket]]


def _without_survey(queryset, record_type: str):
    surveyed = Survey.objects.filter(record_type=record_type, record_id=OuterRef("pk"))
    return queryset.exclude(Exists(surveyed))


def _incidents(since: dt.datetime, until: dt.datetime) -> Iterator[Ticket]:
    from steward.incidents.choices import Status
    from steward.incidents.models import Incident

    rows = _without_survey(
        Incident.objects.filter(
            status__in=[Status.RESOLVED, Status.CLOSED],
            resolved_at__gt=since,
            resolved_at__lte=until,
        ),
        SurveyRecordType.INCIDENT,
    ).select_related("caller")
    for i in rows.order_by("resolved_at", "id"):
        yield Ticket(
            SurveyRecordType.INCIDENT,
            i.pk,
            f"{i.number} {i.title}"[:200],
            i.caller,
            i.service_id,
            i.owning_group_id,
            i.assignee_id,
            i.organization_id,
            i.resolved_at,
        )


def _requested_items(since: dt.datetime, until: dt.datetime) -> Iterator[Ticket]:
    from steward.fulfilment.choices import ItemStatus
    from steward.fulfilment.models import RequestedItem

    done = [ItemStatus.FULFILLED, ItemStatus.CLOSED]
    rows = _without_survey(
        RequestedItem.objects.filter(
            status__in=done, fulfilled_at__gt=since, fulfilled_at__lte=until
        ),
        SurveyRecordType.REQUESTED_ITEM,
    ).select_related("requested_for", "catalog_item")
    for item in rows.order_by("fulfilled_at", "id"):
        yield Ticket(
            SurveyRecordType.REQUESTED_ITEM,
            item.pk,
            f"{item.number} {item.catalog_item.name}"[:200],
            item.requested_for,
            item.service_id,
            item.owning_group_id,
            item.assignee_id,
            item.organization_id,
            item.fulfilled_at,
        )


SOURCES = (
    Source(SurveyRecordType.INCIDENT, "incidents", _incidents),
    Source(SurveyRecordType.REQUESTED_ITEM, "fulfilment", _requested_items),
)


def _available(source: Source) -> bool:
    return is_enabled(source.practice)


def tickets(since: dt.datetime, until: dt.datetime) -> list[Ticket]:
    """The tickets done in ``(since, until]`` without a survey, of the practices that are on,
    in the order they were done."""
    found = []
    for source in SOURCES:
        if _available(source):
            found.extend(source.tickets(since, until))
    return sorted(found, key=lambda t: (t.done_at, t.record_type, t.record_id))


def ticket_url(record_type: str, label: str) -> str:
    """The staff page of a survey's ticket, from the number its label starts with (numbers
    never change; no query): "" when its practice is off."""
    number = (label or "").split(" ", 1)[0]
    if not number:
        return ""
    if record_type == SurveyRecordType.INCIDENT and is_enabled("incidents"):
        return reverse("incidents:detail", args=[number])
    if record_type == SurveyRecordType.REQUESTED_ITEM and is_enabled("fulfilment"):
        return reverse("requests:detail", args=[number])
    return ""
