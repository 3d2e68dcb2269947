"""Badges and queue rows of incidents: Python tags rather than includes because a queue page
shows fifty rows (template lookups and includes cost ~0.5 ms a row; building the rows in one
call costs a few microseconds each). Everything shown is escaped."""

from __future__ import annotations

from html import escape as escape_text

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from steward.core.templatetags.steward_ui import sort_header
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


@register.simple_tag(takes_context=True)
def number_header_with_pick_all(context, label: str, pick_all: str) -> str:
    """The Number column's sort header with the "select every incident on this page" box
    before it (hidden until JavaScript runs: steward.js ticks the page's boxes)."""
    header = sort_header(context, "number", label)
    box = format_html(
        '<input type="checkbox" class="pick" data-pick-all hidden aria-label="{}"> ', pick_all
    )
    return mark_safe(header.replace('<a class="sort', box + '<a class="sort', 1))


def _duration(seconds: float) -> str:
    """A span of time as a queue cell wants it: "2 d 4 h", "3 h 20 min", "12 min"."""
    minutes = max(0, int(seconds) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}


#: A running clock due within this many seconds is shown as close (orange).
SLA_CLOSE_SECONDS = 3600


def _sla_html(row, now, when) -> str:
    """The SLA cell of a queue row: the resolution clock's due time and the time left (wall
    clock while it runs; working time while it is paused), in words, not by colour alone."""
    state = row.sla_state
    if state is None:
        return '<span class="muted">—</span>'
    if state == "met":
        return f'<span class="badge badge--green">{escape_text(_("Met"))}</span>'
    if state == "paused":
        left = _("%(time)s left") % {"time": _duration(row.sla_left or 0)}
        return (
            f'<span class="badge badge--grey">{escape_text(_("Paused"))}</span>'
            f'<span class="cell-note">{escape_text(left)}</span>'
        )
    if row.sla_due is None:
        return '<span class="muted">—</span>'
    seconds = (row.sla_due - now).total_seconds()
    if seconds <= 0 or state == "breached":
        note = _("overdue by %(time)s") % {"time": _duration(-seconds)}
        badge = f'<span class="badge badge--red">{escape_text(_("Breached"))}</span> '
        return f'{badge}{when(row.sla_due)}<span class="cell-note">{escape_text(note)}</span>'
    note = escape_text(_("%(time)s left") % {"time": _duration(seconds)})
    if seconds <= SLA_CLOSE_SECONDS:
        note = f'<span class="badge badge--orange">{note}</span>'
    return f'{when(row.sla_due)}<span class="cell-note">{note}</span>'


@register.simple_tag
def incident_rows(incidents, audience: str = REQUESTER, now=None) -> str:
    """The rows of a queue (see _incident_results.html for the columns): ``QueueRow`` values,
    each with ``pending`` (its pending handover or None) and ``overdue`` (past its target).
    The columns are the audience's (``audiences.LIST_FIELDS``): a requester's rows have no
    owning group, handover or assignee; each cell carries ``data-field``. Staff rows also
    have a selection box for bulk actions (its value the incident's id and the version read),
    the major-incident badge and the resolution clock's due time (``now``: the page's time).
    Labels, month names and the link pattern are looked up once per page, not once per row;
    every value shown is escaped (with the standard library's ``html.escape``, which Django's
    ``escape`` wraps: the values are plain strings, and the wrapper's laziness checks cost more
    than the escaping on a page of fifty rows)."""
    months = {n: escape_text(str(name).title()) for n, name in MONTHS_3.items()}
    zone = timezone.get_current_timezone()
    today = timezone.localdate(timezone=zone)
    now = now or timezone.now()

    def when(value):
        return _when(value, months, zone, today)

    # translated once per page (the labels are lazy)
    priorities = {p: str(label) for p, label in PRIORITY_LABELS.items()}
    statuses = {st: str(label) for st, label in STATUS_LABELS.items()}
    url = reverse("incidents:detail", args=["NUMBER"]).replace("NUMBER", "{}")
    pending_label, past_target = _("handover pending → %(group)s"), escape_text(_("past target"))
    major = f'<span class="badge badge--major">{escape_text(_("Major incident"))}</span>'
    late = escape_text(_("Update overdue"))
    next_update = escape_text(_("Next update %(when)s"))
    select_label = _("Select %(number)s")
    rows = []
    for i in incidents:
        service = ""
        if i.service_name:
            service = f'<span class="cell-note">{escape_text(i.service_name)}</span>'

        number = escape_text(i.number)
        href = escape_text(url.format(i.number))
        staff = audience == STAFF
        pick = ""
        if staff:
            label = escape_text(select_label % {"number": i.number})
            pick = (
                f'<input type="checkbox" class="pick" name="pick" form="bulk-form" '
                f'value="{int(i.id)}:{int(i.version)}" aria-label="{label}"> '
            )
        badges = ""
        if staff and i.is_major:
            due = ""
            if i.update_overdue:
                due = f' <span class="badge badge--red" data-major="update_overdue">{late}</span>'
            elif i.update_due is not None:
                due = (
                    f' <span class="cell-note">{next_update % {"when": when(i.update_due)}}</span>'
                )
            badges = f'<span class="cell-badges">{major}{due}</span>'
        head = (
            f'<tr><td class="nowrap" data-field="number">{pick}<a href="{href}">{number}</a></td>'
            f'<td class="cell-title" data-field="title service">{escape_text(i.title)}{service}'
            f'{badges}</td><td data-field="priority">{_priority_html(i.priority, priorities)}</td>'
            f'<td data-field="status">{_status_html(i.status, statuses)}</td>'
        )
        updated = (
            f'<td class="nowrap" data-field="updated_at">'
            f"{_when(i.updated_at, months, zone, today)}</td></tr>"
        )
        if not staff:
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
            f'<td class="nowrap" data-field="assignee">{assignee}</td>'
            f'<td class="cell-sla">{_sla_html(i, now, when)}</td>' + updated
        )
    return mark_safe("\n".join(rows))
