"""The change calendar, read side: the changes planned in a period, with their conflicts, for
the calendar page (month, week, list), ``GET /api/v1/changes/calendar`` and the iCalendar feed.

A change is on the calendar from ``[from, to)`` when its planned window overlaps that period
(half-open on both sides, as conflicts are) and it is not cancelled. Only IT staff see changes:
everyone else gets an empty calendar, never an error that would tell them one exists. The
feed's times are UTC (``...Z``), so Outlook and Thunderbird show each reader's own zone."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import icalendar
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.changes.choices import ChangeType, Risk, Status
from steward.changes.models import ChangeRequest, Conflict

#: At most this many changes in one calendar answer (a month of a large estate fits).
LIMIT = 2_000
#: The columns a calendar entry shows (page, API and feed), its people's names included.
_PERSON = ("username", "first_name", "last_name")
SHOWN = (
    "number",
    "title",
    "type",
    "status",
    "risk",
    "planned_start",
    "planned_end",
    "conflicts_overridden",
    "version",
    "updated_at",
    "owning_group__name",
    *(f"owner__{f}" for f in _PERSON),
    *(f"implementer__{f}" for f in _PERSON),
)
#: Statuses whose window is settled (the feed says CONFIRMED; earlier ones are TENTATIVE).
SETTLED = frozenset({Status.SCHEDULED, Status.IMPLEMENT, Status.REVIEW, Status.CLOSED})


@dataclass
class Entry:
    """One change on the calendar and the state of its conflicts."""

    change: CalendarChange
    conflicts: int = 0
    blocking: int = 0
    kinds: list[str] = field(default_factory=list)


def changes(
    user,
    start: dt.datetime,
    end: dt.datetime,
    *,
    service=None,
    group=None,
    ci=None,
    counted: bool = True,
):
    """The changes ``user`` sees whose planned window overlaps ``[start, end)``, earliest
    first, with ``conflict_count`` unless ``counted`` is false; ``service``, ``group``
    (owning) and ``ci`` narrow them (ids or rows)."""
    qs = ChangeRequest.objects.for_user(user, "view").filter(
        planned_start__lt=end, planned_end__gt=start
    )
    qs = qs.exclude(status=Status.CANCELLED)
    if service is not None:
        qs = qs.filter(
            id__in=ChangeRequest.services.through.objects.filter(service=service).values(
                "changerequest_id"
            )
        )
    if group is not None:
        qs = qs.filter(owning_group=group)
    if ci is not None:
        qs = qs.filter(
            id__in=ChangeRequest.cis.through.objects.filter(configurationitem=ci).values(
                "changerequest_id"
            )
        )
    # the API's page of changes carries a count: a correlated subquery on the conflicts'
    # (change, kind) index, not a GROUP BY over every column of the change. A whole month
    # (``entries``) reads its conflicts in one statement instead: the subquery per row took
    # PostgreSQL's estimate over its JIT threshold (benchmarks/RESULTS.md)
    count = (
        Conflict.objects.filter(change=OuterRef("pk"))
        .order_by()
        .values("change")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = qs.select_related("owning_group", "owner", "implementer").only(*SHOWN)
    if counted:
        qs = qs.annotate(conflict_count=Coalesce(Subquery(count), 0))
    return qs.order_by("planned_start", "id")


@dataclass(slots=True, eq=False)
class Named:
    """A group or a person as a calendar entry names them."""

    pk: int
    name: str

    @property
    def display_name(self) -> str:
        return self.name

    def __str__(self) -> str:
        return self.name


@dataclass(slots=True, eq=False)
class CalendarChange:
    """A change as the calendar shows it (the page and the feed), read as values: building
    2,000 changes with their group and people as models was most of a month's time
    (benchmarks/RESULTS.md, change_conflicts.py)."""

    pk: int
    number: str
    title: str
    type: str
    status: str
    risk: str
    planned_start: dt.datetime
    planned_end: dt.datetime
    version: int
    updated_at: dt.datetime | None
    owning_group: Named
    implementer: Named | None
    conflict_count: int
    url: str
    blocking: int = 0

    @property
    def implementer_id(self) -> int | None:
        return self.implementer.pk if self.implementer is not None else None

    def get_absolute_url(self) -> str:
        return self.url

    def get_status_display(self) -> str:
        return str(Status(self.status).label)

    def get_type_display(self) -> str:
        return str(ChangeType(self.type).label)

    def get_risk_display(self) -> str:
        return str(Risk(self.risk).label)


_COLUMNS = (
    "pk",
    "number",
    "title",
    "type",
    "status",
    "risk",
    "planned_start",
    "planned_end",
    "version",
    "updated_at",
    "owning_group_id",
    "owning_group__name",
    "implementer_id",
    "implementer__username",
    "implementer__first_name",
    "implementer__last_name",
    "conflicts_overridden",
)


def _person(pk, username, first, last) -> Named | None:
    if pk is None:
        return None
    return Named(pk, f"{first} {last}".strip() or username)


def entries(user, start: dt.datetime, end: dt.datetime, **filters) -> list[Entry]:
    """:func:`changes` as :class:`Entry` rows (at most :data:`LIMIT`) of
    :class:`CalendarChange`, each with how many conflicts it has, how many of them block
    scheduling (not covered by an override) and their kinds. Two queries whatever the number
    of changes."""
    # no count per change here: a month's conflicts are read in one statement below (a
    # correlated count per row made PostgreSQL's estimate cross its JIT threshold)
    rows = list(changes(user, start, end, counted=False, **filters).values_list(*_COLUMNS)[:LIMIT])
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    if rows:
        columns = ("kind", "other_change_id", "ci_id", "related_ci_id", "window_id", "person_id")
        stored = Conflict.objects.filter(change_id__in=[row[0] for row in rows]).order_by("id")
        for change_id, *parts in stored.values_list("change_id", *columns):
            # Conflict.key, without building a model per row
            key = ":".join("" if p is None else str(p) for p in parts)
            found[change_id].append((parts[0], key))
    # one reverse() for the lot: the number is the only part that differs
    url = reverse("changes:detail", args=["CHG0"]).removesuffix("CHG0/")
    groups: dict[int, Named] = {}
    people: dict[int, Named | None] = {}
    result = []
    for (
        pk,
        number,
        title,
        type_,
        status,
        risk,
        planned_start,
        planned_end,
        version,
        updated_at,
        group_id,
        group_name,
        implementer_id,
        *implementer,
        overridden,
    ) in rows:
        covered = frozenset(overridden or ())
        own = found.get(pk, ())
        if group_id not in groups:
            groups[group_id] = Named(group_id, group_name)
        if implementer_id not in people:
            people[implementer_id] = _person(implementer_id, *implementer)
        change = CalendarChange(
            pk,
            number,
            title,
            type_,
            status,
            risk,
            planned_start,
            planned_end,
            version,
            updated_at,
            groups[group_id],
            people[implementer_id],
            len(own),
            f"{url}{number}/",
        )
        result.append(
            Entry(
                change=change,
                conflicts=len(own),
                blocking=sum(1 for _kind, key in own if key not in covered),
                kinds=sorted({kind for kind, _key in own}),
            )
        )
    return result


def _describe(entry: Entry) -> str:
    change = entry.change
    lines = [
        _("Status: %(status)s") % {"status": change.get_status_display()},
        _("Risk: %(risk)s") % {"risk": change.get_risk_display()},
        _("Owning group: %(group)s") % {"group": change.owning_group},
    ]
    if change.implementer_id:
        lines.append(_("Implementer: %(name)s") % {"name": change.implementer})
    if entry.blocking:
        lines.append(_("Conflicts blocking scheduling: %(count)s") % {"count": entry.blocking})
    elif entry.conflicts:
        lines.append(_("Conflicts (overridden): %(count)s") % {"count": entry.conflicts})
    return "\n".join(lines)


def ics(user, start: dt.datetime, end: dt.datetime, *, base_url: str = "", **filters) -> bytes:
    """The iCalendar (RFC 5545) body of the changes ``user`` sees in ``[start, end)``: one
    VEVENT per change, its UID stable across edits and its SEQUENCE the change's version,
    so a client updates the event in place when the change moves. ``base_url``
    (``https://steward.example.org``) makes each event link to its change page."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Steward//Change calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("Steward changes"))
    stamp = timezone.now()
    for entry in entries(user, start, end, **filters):
        change = entry.change
        event = icalendar.Event()
        event.add("uid", f"change-{change.pk}@steward")
        event.add("dtstamp", stamp)
        event.add("dtstart", change.planned_start.astimezone(dt.UTC))
        event.add("dtend", change.planned_end.astimezone(dt.UTC))
        event.add("summary", f"{change.number} {change.title}")
        event.add("description", _describe(entry))
        event.add("sequence", change.version)
        event.add("status", "CONFIRMED" if change.status in SETTLED else "TENTATIVE")
        event.add("categories", [change.get_type_display()])
        if change.updated_at:
            event.add("last-modified", change.updated_at.astimezone(dt.UTC))
        if base_url:
            event.add("url", base_url.rstrip("/") + change.get_absolute_url())
        cal.add_component(event)
    return cal.to_ical()
