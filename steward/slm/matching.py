"""Which SLA definition covers a ticket: the most specific active one that matches.

A definition matches when each condition it sets (priority, service, organization) equals the
ticket's; conditions it leaves empty match anything. Specificity, highest first: a service
condition, then an organization condition, then a priority condition (compared as a tuple);
on a tie the oldest definition (lowest id) wins.
"""

from __future__ import annotations

from django.db.models import Q

from steward.slm.models import Calendar, SlaDefinition


def match_definition(
    record_type: str, *, priority: str = "", service_id=None, organization_id=None
) -> SlaDefinition | None:
    rows = (
        SlaDefinition.objects.filter(record_type=record_type, is_active=True)
        .filter(
            Q(priority="") | Q(priority=priority),
            Q(service__isnull=True) | Q(service_id=service_id),
            Q(organization__isnull=True) | Q(organization_id=organization_id),
        )
        .select_related("calendar")
    )
    best, best_key = None, None
    for d in rows:
        key = (d.service_id is not None, d.organization_id is not None, bool(d.priority), -d.pk)
        if best_key is None or key > best_key:
            best, best_key = d, key
    return best


def calendar_for(definition: SlaDefinition, service_id=None) -> Calendar:
    """The definition's calendar, else the service's, else the 24x7 one."""
    if definition.calendar_id:
        return definition.calendar
    if service_id is not None:
        from steward.slm.models import ServiceCalendar

        link = (
            ServiceCalendar.objects.select_related("calendar").filter(service_id=service_id).first()
        )
        if link:
            return link.calendar
    return Calendar.objects.default()
