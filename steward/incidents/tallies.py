"""Reading the queue tallies: active incidents per (owning group, assignee), kept by the
database (models.QueueTally, migration 0014). A queue's count is the sum of a few rows.

They count every incident, so they answer for readers who may see every incident (IT staff);
:func:`answers_for` says whether they do for a user.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Count, IntegerField, Sum, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from steward.incidents.models import Incident, QueueTally

#: ``assignee_id`` of the unassigned incidents' rows
UNASSIGNED = 0
_TABLE = QueueTally._meta.db_table


def answers_for(user) -> bool:
    """The tallies count every incident: they are a user's counts when the user sees all."""
    return not Incident.permission_filter(user, "view")


def settle() -> None:
    """Apply this transaction's pending tally changes (PostgreSQL changes the rows at commit),
    so that a read inside a transaction counts the transaction's own writes. Outside a
    transaction nothing is pending."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS incidents_queue_tally IMMEDIATE")
            cursor.execute("SET CONSTRAINTS incidents_queue_tally DEFERRED")


def _sum(where: str, params: list) -> RawSQL:
    # the table name is the model's; the values are parameters
    sql = f"SELECT COALESCE(SUM(active_count), 0) FROM {_TABLE} WHERE {where}"  # noqa: S608
    return RawSQL(sql, params)  # noqa: S611


def in_groups(group_ids: list[int], unassigned: bool = False):
    """Active incidents owned by any of the groups (an expression for an annotation); with
    ``unassigned``, only those nobody is assigned to."""
    if not group_ids:
        return Value(0, output_field=IntegerField())
    where = f"group_id IN ({', '.join(['%s'] * len(group_ids))})"
    params = list(group_ids)
    if unassigned:
        where += " AND assignee_id = %s"
        params.append(UNASSIGNED)
    return _sum(where, params)


def assigned_to(user_id: int):
    """Active incidents assigned to the user, in any group."""
    return _sum("assignee_id = %s", [user_id])


def total(**filters) -> int:
    """The sum of the rows matching ``filters`` (e.g. ``group_id__in=[...]``), read now."""
    settle()
    result = QueueTally.objects.filter(**filters).aggregate(n=Coalesce(Sum("active_count"), 0))
    return result["n"]


def differences() -> dict[tuple[int, int], tuple[int, int]]:
    """Rows whose tally is not what a count of the incidents gives: ``{(group, assignee):
    (tallied, counted)}``; empty when the tallies are right (read-only)."""
    settle()
    counted: dict[tuple[int, int], int] = {}
    rows = (
        Incident.objects.active()
        .order_by()
        .values_list("owning_group_id", "assignee_id")
        .annotate(n=Count("pk"))
    )
    for group, assignee, n in rows:
        key = (group, assignee or UNASSIGNED)
        counted[key] = counted.get(key, 0) + n
    tallied = {
        (group, assignee): n
        for group, assignee, n in QueueTally.objects.values_list(
            "group_id", "assignee_id", "active_count"
        )
    }
    return {
        key: (tallied.get(key, 0), counted.get(key, 0))
        for key in tallied.keys() | counted.keys()
        if tallied.get(key, 0) != counted.get(key, 0)
    }
