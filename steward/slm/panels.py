"""What slm adds to other apps' pages: the SLAs that apply to a service, with their sign-off;
a support group's calendar and OLA targets, with the form that changes the calendar (declared
in slm's practice, apps.py)."""

from __future__ import annotations

from django.db.models import Q

from steward.slm import rules
from steward.slm.assignment_forms import GroupCalendarForm
from steward.slm.forms import hours_from_seconds
from steward.slm.models import (
    Calendar,
    GroupCalendar,
    OlaDefinition,
    ServiceCalendar,
    SlaDefinition,
)


def service_slas(service, user) -> dict | None:
    if not user.is_it:
        return None
    definitions = list(
        SlaDefinition.objects.filter(is_active=True)
        .filter(Q(service=service) | Q(service__isnull=True))
        .select_related("organization", "signed_off_by")
        .order_by("-service_id", "priority", "name")
    )
    for d in definitions:
        d.response_hours = round((d.response_seconds or 0) / 3600, 2)
        d.resolution_hours = round((d.resolution_seconds or 0) / 3600, 2)
    link = ServiceCalendar.objects.select_related("calendar").filter(service=service).first()
    return {
        "definitions": definitions,
        "calendar": link.calendar if link else Calendar.objects.default(),
    }


#: The prefix of the group page's calendar form (the page holds the members' form too).
GROUP_PREFIX = "group-calendar"


def group_calendar(group, user) -> dict | None:
    """The calendar the group works, its OLA targets and, for an administrator or the group's
    manager, the form that points the group to another calendar."""
    if not user.is_it:
        return None
    link = GroupCalendar.objects.select_related("calendar").filter(group=group).first()
    calendar = link.calendar if link else Calendar.objects.default()
    ola = OlaDefinition.objects.filter(group=group).first()
    actions = rules.allowed_actions(user, group)
    form = None
    if "assign_calendar" in actions:
        form = GroupCalendarForm(user, prefix=GROUP_PREFIX, initial={"calendar": calendar.pk})
    return {
        "group": group,
        "calendar": calendar,
        "own_calendar": link is not None,
        "ola": ola,
        "acceptance_minutes": (
            ola.handover_acceptance_seconds // 60
            if ola and ola.handover_acceptance_seconds
            else None
        ),
        "with_group_hours": hours_from_seconds(ola.time_with_group_seconds) if ola else None,
        "may_set_ola": "set_ola" in actions,
        "form": form,
    }
