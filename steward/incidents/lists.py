"""The incident lists, defined once for the pages and the API: the named queues (with their
counts), the filters and the sorts. A list page, its CSV export and ``GET /api/v1/incidents``
read through these functions, so a queue or a sort means the same everywhere."""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db.models import F, IntegerField, Q, Value
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from steward.core.pagination import ExactCount, capped, count_limit
from steward.core.statements import fetch_compiled
from steward.incidents import queries, search, tallies
from steward.incidents.choices import STATUS_CATEGORY, HandoverStatus
from steward.incidents.models import Handover, Incident, MajorIncident
from steward.people.models import User

#: The agent queues and what each shows (the list page's tabs, in order).
QUEUES = {
    "my_groups": _("My groups"),
    "mine": _("My work"),
    "pending": _("Handovers to my groups"),
    "unassigned": _("Unassigned"),
    "major": _("Major incidents"),
    "all": _("All incidents"),
}


def queue_q(user, key: str) -> Q | None:
    """The condition of one queue (None: every incident the user may see). The user's groups
    are read once per request and inlined, so the planner sees the group ids and walks the
    ``inc_queue`` index in the page's order."""
    mine = queries.group_ids_of(user)
    if key == "my_groups":
        return Q(owning_group__in=mine)
    if key == "mine":
        return Q(assignee=user)
    if key == "pending":
        waiting = Handover.objects.filter(status=HandoverStatus.PENDING, to_group__in=mine)
        return Q(pk__in=waiting.values("incident_id"))
    if key == "unassigned":
        return Q(owning_group__in=mine, assignee__isnull=True)
    if key == "major":
        return Q(pk__in=MajorIncident.objects.values("incident_id"))
    return None


def reader_key(user) -> tuple:
    """What every incident statement of a user depends on: who they are, their groups and the
    rows their visibility rule lets them read (part of each compiled statement's key)."""
    return (
        user.pk,
        tuple(queries.group_ids_of(user)),
        repr(Incident.permission_filter(user, "view")),
    )


def in_queue(user, key: str, qs):
    condition = queue_q(user, key)
    return qs if condition is None else qs.filter(condition)


#: Queues whose tab shows a count. "All incidents" has none: counting every active incident of
#: the estate on each page view would cost more than the page itself.
COUNTED_QUEUES = ("my_groups", "mine", "pending", "unassigned", "major")
#: Of those, the queues whose count the tallies give (for readers who see every incident).
TALLIED_QUEUES = ("my_groups", "mine", "unassigned")


def queue_counts(user) -> dict[str, int]:
    """Active (open or on-hold) incidents in each counted queue, in one statement.

    "My groups", "My work" and "Unassigned" add up the queue tallies (tallies.py): exact, and
    as cheap at a million incidents as at ten. The handover and major-incident queues are
    small: each is counted up to one past the list count limit (core/pagination.py) from its
    own index. (For a reader who does not see every incident, the tallies do not answer: all
    five are counted that way.) The statement depends only on the user, their groups and their
    visibility rule, so it is compiled once per such key (core/statements.py): building it
    with the ORM cost more than running it."""
    tallies.settle()
    (row,) = fetch_compiled(
        ("incident_queue_counts", count_limit(), *reader_key(user)), lambda: _counts_statement(user)
    )
    exact = TALLIED_QUEUES if tallies.answers_for(user) else ()
    return {
        key: ExactCount(n) if key in exact else n
        for key, n in zip(COUNTED_QUEUES, row, strict=True)
    }


def _counts_statement(user):
    base = Incident.objects.for_user(user, "view").active()
    mine = queries.group_ids_of(user)
    tallied = (
        {
            "my_groups": tallies.in_groups(mine),
            "mine": tallies.assigned_to(user.pk),
            "unassigned": tallies.in_groups(mine, unassigned=True),
        }
        if tallies.answers_for(user)
        else {}
    )
    counts = {}
    for key in COUNTED_QUEUES:
        if key in tallied:
            counts[key] = tallied[key]
            continue
        rows = capped(in_queue(user, key, base).values("pk"))
        try:
            sql, params = rows.query.sql_with_params()
        except EmptyResultSet:  # no groups: ``IN ()``, Django knows it is empty
            counts[key] = Value(0, output_field=IntegerField())
            continue
        # the SQL is the ORM's own, its parameters bound
        counted = f"SELECT COUNT(*) FROM ({sql}) AS counted"  # noqa: S608
        counts[key] = RawSQL(counted, params)  # noqa: S611
    # one row to hang the subqueries on: the user's own
    return User.objects.filter(pk=user.pk).order_by().annotate(**counts).values_list(*counts)


#: ?sort= keys of the list page: the ORDER BY of each, ascending; the descending one is its exact
#: reverse (ties too: newest first ascending, oldest first descending), so that one index serves
#: both — read backwards. A descending sort with the newest first among ties matched no index:
#: "-status" sorted the whole estate (0.6 s at a million incidents).
SORTS = {
    "priority": ("priority", "-id"),
    "number": ("id",),
    "status": ("status", "-id"),
    "group": ("owning_group__name", "-id"),
    "updated": ("updated_at", "-id"),
    # the resolution clock's due time (an annotation: queries.with_sla_due), soonest — or most
    # overdue — first; incidents without a running clock (paused, met, no SLA) last both ways
    "due": ("sla_due", "-id"),
}

#: Sorts read from an annotation rather than a column (the query must carry it).
ANNOTATED_SORTS = {"due": "sla_due"}


def order_for(sort: str) -> tuple:
    fields = SORTS[sort.removeprefix("-")]
    if sort.startswith("-"):
        fields = tuple(f.removeprefix("-") if f.startswith("-") else f"-{f}" for f in fields)
    return tuple(_nulls_last(f) for f in fields)


def _nulls_last(field: str):
    """An annotated sort key as an expression with its empty values last (databases disagree
    on where NULL sorts); a column as it is."""
    name = field.removeprefix("-")
    if name not in ANNOTATED_SORTS.values():
        return field
    return F(name).desc(nulls_last=True) if field.startswith("-") else F(name).asc(nulls_last=True)


def clean_sort(value: str | None) -> str:
    return value if value and value.removeprefix("-") in SORTS else "priority"


#: The API's ``sort`` values (a contract) in the page's terms.
API_SORTS = {"updated_at": "updated", "-updated_at": "-updated"}


def filtered(user, f):
    """The API's list (``IncidentFilters``): every filter in SQL, ordered like the page."""
    qs = queries.incidents_for(user)
    if f.status:
        qs = qs.filter(status__in=f.status)
    if f.category:
        qs = qs.filter(status__in=[s for s, c in STATUS_CATEGORY.items() if c == f.category])
    if f.priority:
        qs = qs.filter(priority__in=f.priority)
    if f.group is not None:
        qs = qs.filter(owning_group_id=f.group)
    if f.my_groups:
        qs = in_queue(user, "my_groups", qs)
    if f.major is not None:
        qs = qs.filter(major__isnull=not f.major)
    pending = Handover.objects.filter(status=HandoverStatus.PENDING)
    if f.handover_pending is not None:
        q = Q(pk__in=pending.values("incident_id"))
        qs = qs.filter(q) if f.handover_pending else qs.exclude(q)
    if f.pending_to_group is not None:
        qs = qs.filter(pk__in=pending.filter(to_group_id=f.pending_to_group).values("incident_id"))
    if f.assignee is not None:
        qs = qs.filter(assignee_id=f.assignee)
    if f.unassigned is not None:
        qs = qs.filter(assignee__isnull=f.unassigned)
    if f.service is not None:
        qs = qs.filter(service_id=f.service)
    if f.caller is not None:
        qs = qs.filter(caller_id=f.caller)
    if f.q:
        qs = search.text_filter(qs, f.q, user)
    return qs.order_by(*order_for(API_SORTS.get(f.sort, f.sort)))
