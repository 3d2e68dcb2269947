"""Badges and queue rows of incidents: Python tags rather than includes because a queue page
shows fifty rows (template lookups and includes cost ~0.5 ms a row; one format_html call is
about 20x cheaper). Everything shown is escaped by format_html."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import format_html
from django.utils.translation import gettext as _

from steward.incidents.choices import Priority, Status

register = template.Library()

PRIORITY_COLOURS = {1: "red", 2: "orange", 3: "yellow", 4: "blue"}
STATUS_COLOURS = {Status.NEW: "blue", Status.IN_PROGRESS: "green", Status.ON_HOLD: "yellow"}
PRIORITY_LABELS = dict(Priority.choices)
STATUS_LABELS = dict(Status.choices)


@register.simple_tag
def priority_badge(incident) -> str:
    p = incident.priority
    return format_html(
        '<span class="badge badge--{}" title="{}">P{}</span>',
        PRIORITY_COLOURS.get(p, "grey"),
        PRIORITY_LABELS.get(p, ""),
        p,
    )


@register.simple_tag
def status_badge(incident) -> str:
    s = incident.status
    return format_html(
        '<span class="badge badge--{}">{}</span>',
        STATUS_COLOURS.get(s, "grey"),
        STATUS_LABELS.get(s, s),
    )


def _when(value) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    # the same text as the template filter date:"j M Y, H:i", without its per-call set-up
    month = str(MONTHS_3[local.month]).title()
    return format_html(
        '<time datetime="{}">{} {} {}, {}</time>',
        local.isoformat(),
        local.day,
        month,
        local.year,
        f"{local.hour:02d}:{local.minute:02d}",
    )


@register.simple_tag
def incident_row(incident) -> str:
    """One row of a queue (see _incident_results.html for the columns). ``incident.pending`` is
    its pending handover or None; ``incident.overdue`` whether that is past its target."""
    service = (
        format_html('<span class="cell-note">{}</span>', incident.service.name)
        if incident.service_id
        else ""
    )
    pending = ""
    if incident.pending is not None:
        pending = format_html(
            ' <span class="badge badge--orange">{}</span>{}',
            _("handover pending → %(group)s") % {"group": incident.pending.to_group.name},
            format_html(' <span class="badge badge--red">{}</span>', _("past target"))
            if incident.overdue
            else "",
        )
    return format_html(
        '<tr><td class="nowrap"><a href="{}">{}</a></td><td>{}{}</td><td>{}</td><td>{}</td>'
        '<td>{}{}</td><td class="nowrap">{}</td><td class="nowrap">{}</td></tr>',
        reverse("incident_detail", args=[incident.number]),
        incident.number,
        incident.title,
        service,
        priority_badge(incident),
        status_badge(incident),
        incident.owning_group.name,
        pending,
        incident.assignee.display_name if incident.assignee_id else "—",
        _when(incident.updated_at),
    )
