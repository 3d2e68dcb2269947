"""Read-side helpers: incident lists for the API and pages, and handover measures.

Handover measures are read from the handover rows (each row is a journaled request with its
decision): handover count, time to accept, rejections, and ping-pong — an incident coming back
to a group that handed it away, or moved more than ``PING_PONG_HANDOVERS`` times.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    Avg,
    CharField,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Cast
from django.db.models.query import QuerySet

from steward.core.models import JournalEntry
from steward.core.statements import fetch_compiled, utc
from steward.incidents import rules, sla
from steward.incidents.choices import ACTIVE_STATUSES, PUBLIC_ACTIONS, HandoverStatus
from steward.incidents.models import CommunicationPlan, Handover, Incident, MajorIncident
from steward.incidents.operations.common import groups_of
from steward.people.models import SupportGroup, User
from steward.slm.models import ClockState, Metric, SlaClock

#: More accepted handovers than this is ping-pong whatever the groups.
PING_PONG_HANDOVERS = 3


def group_ids_of(user) -> list[int]:
    """Ids of the groups ``user`` is a member or the manager of, sorted: read once per request
    (kept on the user object) with a statement compiled once per user. Queues inline them, so
    the planner sees the ids and walks the queue index (a subquery made it sort)."""
    ids = getattr(user, "_incident_group_ids", None)
    if ids is None:
        rows = fetch_compiled(
            ("incident_groups_of", user.pk), lambda: groups_of(user).values_list("pk")
        )
        ids = user._incident_group_ids = sorted({pk for (pk,) in rows})
    return ids


def incidents_for(user):
    """Incidents ``user`` may see, joined to what every incident has (caller, service, group,
    assignee). Call :func:`with_relations` on the rows read to load the rest in bulk."""
    return Incident.objects.for_user(user, "view").select_related(
        "caller", "service", "owning_group", "assignee"
    )


_OPTIONAL = ("affected_ci", "category", "subcategory", "parent")


def with_relations(incidents: list[Incident]) -> list[Incident]:
    """Load what the API and the detail page show beyond the joined relations, for a whole
    page at once: the often-empty relations (CI, categories, parent — a query each only when
    a row has one), whether each incident is major, and its handovers (one query). They land
    in Django's relation caches (``incident.category`` reads it without a query), and in
    ``loaded_is_major`` and ``loaded_handovers`` (see :func:`is_major`, :func:`handovers_of`).
    Ten joins cost PostgreSQL more to plan than to run, and ``prefetch_related`` built a
    queryset per incident to hold the handovers: a fifth of an API page."""
    if not incidents:
        return incidents
    meta = Incident._meta
    for name in _OPTIONAL:
        field = meta.get_field(name)
        ids = {getattr(i, field.attname) for i in incidents} - {None}
        found = field.related_model._base_manager.in_bulk(ids) if ids else {}
        for i in incidents:
            field.set_cached_value(i, found.get(getattr(i, field.attname)))
    ids = [i.pk for i in incidents]
    majors = set(MajorIncident.objects.filter(incident_id__in=ids).values_list("incident_id"))
    handovers: dict[int, list[Handover]] = {pk: [] for pk in ids}
    for h in _with_people(list(Handover.objects.filter(incident_id__in=ids).order_by("id"))):
        handovers[h.incident_id].append(h)
    for i in incidents:
        i.loaded_is_major = (i.pk,) in majors
        i.loaded_handovers = handovers[i.pk]
    return incidents


def _with_people(handovers: list[Handover]) -> list[Handover]:
    """Groups and users of the handovers, a query each and only when there are handovers
    (``select_related`` of four relations cost 3 ms to compile, for a page that has none)."""
    if not handovers:
        return handovers
    groups = SupportGroup.objects.in_bulk(
        {h.from_group_id for h in handovers} | {h.to_group_id for h in handovers}
    )
    people = {h.requested_by_id for h in handovers} | {h.decided_by_id for h in handovers}
    users = User.objects.in_bulk(people - {None})
    for h in handovers:
        Handover.from_group.field.set_cached_value(h, groups[h.from_group_id])
        Handover.to_group.field.set_cached_value(h, groups[h.to_group_id])
        Handover.requested_by.field.set_cached_value(h, users.get(h.requested_by_id))
        Handover.decided_by.field.set_cached_value(h, users.get(h.decided_by_id))
    return handovers


def is_major(incident: Incident) -> bool:
    """Whether the incident was declared major: as :func:`with_relations` loaded it, else read."""
    loaded = getattr(incident, "loaded_is_major", None)
    if loaded is not None:
        return loaded
    return MajorIncident.objects.filter(incident_id=incident.pk).exists()


def handovers_of(incident: Incident) -> list[Handover]:
    """The incident's handovers, oldest first: as :func:`with_relations` loaded them for this
    read, else from the database now (never kept on the instance: it may outlive a change)."""
    loaded = getattr(incident, "loaded_handovers", None)
    if loaded is not None:
        return loaded
    return _with_people(list(incident.handovers.order_by("id")))


#: The columns a queue row shows (see templatetags/incident_ui.py: incident_rows). The last four
#: are annotations read in the same statement (:func:`queue_rows`): whether the incident is
#: major, and its resolution clock's due time, state and remaining working seconds.
QUEUE_ROW_FIELDS = (
    "id",
    "number",
    "title",
    "priority",
    "status",
    "updated_at",
    "service__name",
    "owning_group__name",
    "assignee_id",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
    "version",
    "is_major",
    "sla_due",
    "sla_state",
    "sla_left",
)


def _resolution_clock():
    """The incident's current SLA resolution clock (the newest one not cancelled), found by the
    clock index (record type, record id): a correlated subquery, so a queue page reads it in
    its own statement, for its fifty rows only."""
    return (
        SlaClock.objects.filter(
            record_type=sla.RECORD_TYPE,
            record_id=Cast(OuterRef("pk"), CharField()),
            metric=Metric.RESOLUTION,
            definition__isnull=False,
        )
        .exclude(state=ClockState.CANCELLED)
        .order_by("-id")
    )


def with_sla_due(qs):
    """``qs`` with ``sla_due``: when its resolution clock runs out if it keeps running (the
    breach time once breached; None when paused, stopped or without an SLA)."""
    return qs.annotate(sla_due=Subquery(_resolution_clock().values("due_at")[:1]))


def with_queue_columns(qs):
    """``qs`` with what a queue row shows beyond the incident's own columns."""
    clock = _resolution_clock()
    left = ExpressionWrapper(F("target_seconds") - F("elapsed_seconds"), IntegerField())
    return with_sla_due(qs).annotate(
        is_major=Exists(MajorIncident.objects.filter(incident_id=OuterRef("pk"))),
        sla_state=Subquery(clock.values("state")[:1]),
        sla_left=Subquery(clock.annotate(left=left).values("left")[:1]),
    )


@dataclass
class QueueRow:
    """One line of a queue: plain values, not model instances (a page of fifty is read as
    tuples, about four times cheaper than building incidents, services, groups and users)."""

    id: int
    number: str
    title: str
    priority: int
    status: str
    updated_at: datetime
    service_name: str | None
    group_name: str
    assignee_name: str | None
    version: int = 0
    is_major: bool = False
    sla_due: datetime | None = None
    sla_state: str | None = None
    sla_left: int | None = None
    pending: PendingRow | None = None
    overdue: bool = False
    #: A major incident's next stakeholder update (``major_updates_due``), and whether it is late.
    update_due: datetime | None = None
    update_overdue: bool = False


def queue_rows(user):
    """Incidents ``user`` may see, as the values a queue row shows (one query for a page;
    :func:`pending_of` reads the page's pending handovers with one more)."""
    return with_queue_columns(Incident.objects.for_user(user, "view")).values_list(
        *QUEUE_ROW_FIELDS
    )


_UPDATED_AT = QUEUE_ROW_FIELDS.index("updated_at")
_SLA_DUE = QUEUE_ROW_FIELDS.index("sla_due")


def stamp(value) -> datetime | None:
    """A time read by the driver, as the ORM would give it. SQLite returns a subquery's time as
    text (an expression has no declared type), and stored times without their zone."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return utc(value)


def as_queue_values(row: tuple) -> tuple:
    """A queue row as the driver gave it (core/statements.py), as the ORM would."""
    row = list(row)
    row[_UPDATED_AT] = stamp(row[_UPDATED_AT])
    row[_SLA_DUE] = stamp(row[_SLA_DUE])
    return tuple(row)


@dataclass(frozen=True)
class PendingRow:
    """The pending handover of a queue row: what the row shows and its due time needs."""

    pk: int
    incident_id: int
    to_group_id: int
    to_group_name: str
    created_at: datetime


#: The columns of a :class:`PendingRow`, in order.
PENDING_FIELDS = ("pk", "incident_id", "to_group_id", "to_group__name", "created_at")


def pending_of(incident_ids) -> QuerySet:
    """Pending handovers of the given incidents (ids, or a subquery of them), as values."""
    rows = Handover.objects.filter(status=HandoverStatus.PENDING, incident_id__in=incident_ids)
    return rows.values_list(*PENDING_FIELDS)


def as_pending(row: tuple) -> PendingRow:
    """A row of :func:`pending_of`, from the ORM or as the driver gave it."""
    pk, incident_id, to_group_id, name, created = row
    return PendingRow(pk, incident_id, to_group_id, name, utc(created))


def queue_page(values, pending: list[PendingRow]) -> list[QueueRow]:
    """The rows of one page from :func:`queue_rows` values, with their pending handovers."""
    rows = []
    for (
        pk,
        number,
        title,
        priority,
        status,
        updated_at,
        service,
        group,
        assignee_id,
        username,
        first,
        last,
        version,
        major,
        sla_due,
        sla_state,
        sla_left,
    ) in values:
        assignee = (f"{first} {last}".strip() or username) if assignee_id else None
        rows.append(
            QueueRow(
                pk,
                number,
                title,
                priority,
                status,
                updated_at,
                service,
                group,
                assignee,
                version=version,
                is_major=bool(major),
                sla_due=sla_due,
                sla_state=sla_state,
                sla_left=sla_left,
            )
        )
    by_incident = {h.incident_id: h for h in pending}
    for row in rows:
        row.pending = by_incident.get(row.id)
    return rows


@dataclass(frozen=True)
class HandoverMeasures:
    count: int
    rejections: int
    pending: bool
    seconds_to_accept: list[float]
    ping_pong: bool

    @property
    def mean_seconds_to_accept(self) -> float | None:
        s = self.seconds_to_accept
        return round(sum(s) / len(s), 1) if s else None


def measures(handovers) -> HandoverMeasures:
    """Measures of one incident from its handover rows (oldest first)."""
    rows = sorted(handovers, key=lambda h: h.pk)
    accepted = [h for h in rows if h.status == HandoverStatus.ACCEPTED]
    handed_away: set[int] = set()
    returned = False
    for h in sorted(accepted, key=lambda h: (h.decided_at, h.pk)):
        if h.to_group_id in handed_away:
            returned = True
        handed_away.add(h.from_group_id)
    return HandoverMeasures(
        count=len(accepted),
        rejections=sum(1 for h in rows if h.status == HandoverStatus.REJECTED),
        pending=any(h.status == HandoverStatus.PENDING for h in rows),
        seconds_to_accept=[(h.decided_at - h.created_at).total_seconds() for h in accepted],
        ping_pong=returned or len(accepted) > PING_PONG_HANDOVERS,
    )


def incident_measures(incident: Incident) -> HandoverMeasures:
    return measures(handovers_of(incident))


def pending_handover(incident: Incident) -> Handover | None:
    return next((h for h in handovers_of(incident) if h.status == HandoverStatus.PENDING), None)


def group_figures(group_ids=None) -> list[dict]:
    """Per group: handovers received (accepted / rejected / pending), mean time to accept,
    handovers sent, and incidents that ping-ponged back into the group. Four queries."""
    groups = SupportGroup.objects.order_by("name")
    if group_ids is not None:
        groups = groups.filter(pk__in=list(group_ids))
    groups = list(groups.values("pk", "name"))
    ids = [g["pk"] for g in groups]
    wait = ExpressionWrapper(F("decided_at") - F("created_at"), output_field=DurationField())
    received = {
        r["to_group"]: r
        for r in Handover.objects.filter(to_group__in=ids)
        .values("to_group")
        .annotate(
            total=Count("pk"),
            accepted=Count("pk", filter=Q(status=HandoverStatus.ACCEPTED)),
            rejected=Count("pk", filter=Q(status=HandoverStatus.REJECTED)),
            pending=Count("pk", filter=Q(status=HandoverStatus.PENDING)),
            wait=Avg(wait, filter=Q(status=HandoverStatus.ACCEPTED)),
        )
    }
    sent = dict(
        Handover.objects.filter(from_group__in=ids)
        .values("from_group")
        .annotate(n=Count("pk"))
        .values_list("from_group", "n")
    )
    earlier_away = Handover.objects.filter(
        incident=OuterRef("incident"),
        status=HandoverStatus.ACCEPTED,
        from_group=OuterRef("to_group"),
        decided_at__lt=OuterRef("decided_at"),
    )
    returns = dict(
        Handover.objects.filter(to_group__in=ids, status=HandoverStatus.ACCEPTED)
        .filter(Exists(earlier_away))
        .values("to_group")
        .annotate(n=Count("incident", distinct=True))
        .values_list("to_group", "n")
    )
    out = []
    for g in groups:
        r = received.get(g["pk"], {})
        wait_value = r.get("wait")
        out.append(
            {
                "group": {"id": g["pk"], "name": g["name"]},
                "received": r.get("total", 0),
                "accepted": r.get("accepted", 0),
                "rejected": r.get("rejected", 0),
                "pending": r.get("pending", 0),
                "sent": sent.get(g["pk"], 0),
                "mean_seconds_to_accept": (
                    round(wait_value.total_seconds(), 1) if wait_value is not None else None
                ),
                "ping_pong_incidents": returns.get(g["pk"], 0),
            }
        )
    return out


def timeline(incident: Incident, user):
    """Journal entries of the incident, oldest first; requesters see only public ones."""
    rows = JournalEntry.objects.for_record(incident).select_related("actor").order_by("id")
    if user is not None and not user.is_it:
        rows = rows.filter(action__in=PUBLIC_ACTIONS)
    return rows


def possible_major_managers():
    """The people a major incident's manager is chosen from (rules.MAJOR_MANAGER_ROLES)."""
    return (
        User.objects.filter(is_active=True, role_rows__role__in=rules.MAJOR_MANAGER_ROLES)
        .distinct()
        .order_by("username")
    )


def major_updates_due(rows: list[QueueRow], now) -> None:
    """Give each major incident among ``rows`` its next update due time and whether the update
    is late (one query for the page)."""
    majors = [r.id for r in rows if r.is_major]
    if not majors:
        return
    due = dict(
        CommunicationPlan.objects.filter(major__incident_id__in=majors).values_list(
            "major__incident_id", "next_update_due"
        )
    )
    for row in rows:
        row.update_due = due.get(row.id)
        row.update_overdue = bool(
            row.update_due is not None and row.status in ACTIVE_STATUSES and row.update_due <= now
        )
