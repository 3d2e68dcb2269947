"""Badges and queue rows of incidents: Python tags rather than includes because a queue page
shows fifty rows (template lookups and includes cost ~0.5 ms a row; building the rows in one
call costs a few microseconds each). Everything shown is escaped."""

from __future__ import annotations

from html import escape as escape_text

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from steward.incidents.audiences import REQUESTER, STAFF
from steward.incidents.choices import Priority, Status

register = template.Library()

PRIORITY_COLOURS = {1: "red", 2: "orange", 3: "yellow", 4: "blue"}
STATUS_COLOURS = {Status.NEW: "blue", Status.IN_PROGRESS: "green", Status.ON_HOLD: "yellow"}
PRIORITY_LABELS = dict(Priority.choices)
STATUS_LABELS = dict(Status.choices)


def _priority_html(priority: int, labels: dict) -> str:
    colour = PRIORITY_COLOURS.get(priority, "grey")
    title = escape_text(str(labels.get(priority, "")))
    return f'<span class="badge badge--{colour}" title="{title}">P{int(priority)}</span>'


def _status_html(status: str, labels: dict) -> str:
    label = escape_text(str(labels.get(status, status)))
    return f'<span class="badge badge--{STATUS_COLOURS.get(status, "grey")}">{label}</span>'


@register.simple_tag
def priority_badge(incident) -> str:
    return mark_safe(_priority_html(incident.priority, PRIORITY_LABELS))


@register.simple_tag
def status_badge(incident) -> str:
    return mark_safe(_status_html(incident.status, STATUS_LABELS))


def _when(value, months, zone, today) -> str:
    """A <time> element as short as a queue column wants it — "14:05" today, "24 Nov" this
    year, "24 Nov 2025" before — with the whole time ("24 Nov 2026, 14:05", as the template
    filter date:"j M Y, H:i" writes it) as its title."""
    if value is None:
        return ""
    local = value.astimezone(zone)
    clock = f"{local.hour:02d}:{local.minute:02d}"
    full = f"{local.day} {months[local.month]} {local.year}, {clock}"
    if local.date() == today:
        shown = clock
    elif local.year == today.year:
        shown = f"{local.day} {months[local.month]}"
    else:
        shown = f"{local.day} {months[local.month]} {local.year}"
    return f'<time datetime="{local.isoformat()}" title="{full}">{shown}</time>'


@register.simple_tag
def incident_rows(incidents, audience: str = REQUESTER) -> str:
    """The rows of a queue (see _incident_results.html for the columns): ``QueueRow`` values,
    each with ``pending`` (its pending handover or None) and ``overdue`` (past its target).
    The columns are the audience's (``audiences.LIST_FIELDS``): a requester's rows have no
    owning group, handover or assignee; each cell carries ``data-field``.
    Labels, month names and the link pattern are looked up once per page, not once per row;
    every value shown is escaped (with the standard library's ``html.escape``, which Django's
    ``escape`` wraps: the values are plain strings, and the wrapper's laziness checks cost more
    than the escaping on a page of fifty rows)."""
    months = {n: escape_text(str(name).title()) for n, name in MONTHS_3.items()}
    zone = timezone.get_current_timezone()
    today = timezone.localdate(timezone=zone)
    # translated once per page (the labels are lazy)
    priorities = {p: str(label) for p, label in PRIORITY_LABELS.items()}
    statuses = {st: str(label) for st, label in STATUS_LABELS.items()}
    url = reverse("incidents:detail", args=["NUMBER"]).replace("NUMBER", "{}")
    pending_label, past_target = _("handover pending → %(group)s"), escape_text(_("past target"))
    rows = []
    for i in incidents:
        service = ""
        if i.service_name:
            service = f'<span class="cell-note">{escape_text(i.service_name)}</span>'

        number = escape_text(i.number)
        href = escape_text(url.format(i.number))
        head = (
            f'<tr><td class="nowrap" data-field="number"><a href="{href}">{number}</a></td>'
            f'<td class="cell-title" data-field="title service">{escape_text(i.title)}{service}'
            f'</td><td data-field="priority">{_priority_html(i.priority, priorities)}</td>'
            f'<td data-field="status">{_status_html(i.status, statuses)}</td>'
        )
        updated = (
            f'<td class="nowrap" data-field="updated_at">'
            f"{_when(i.updated_at, months, zone, today)}</td></tr>"
        )
        if audience != STAFF:
            rows.append(head + updated)
            continue
        pending = ""
        if i.pending is not None:
            label = escape_text(pending_label % {"group": i.pending.to_group_name})
            pending = f'<span class="badge badge--orange">{label}</span>'
            if i.overdue:
                pending += f' <span class="badge badge--red">{past_target}</span>'
            pending = f'<span class="cell-badges" data-field="pending_handover">{pending}</span>'
        assignee = escape_text(i.assignee_name) if i.assignee_name else "—"
        rows.append(
            head + f'<td data-field="owning_group">{escape_text(i.group_name)}{pending}</td>'
            f'<td class="nowrap" data-field="assignee">{assignee}</td>' + updated
        )
    return mark_safe("\n".join(rows))
