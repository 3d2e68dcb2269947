"""Upkeep of data the database derives from incidents (not business state)."""

from __future__ import annotations

import logging

from django.db import connection, transaction

from steward.core.operations import require_admin
from steward.incidents import tallies
from steward.incidents.models import QueueTally

log = logging.getLogger(__name__)


@transaction.atomic
def rebuild_queue_tallies(actor) -> int:
    """Count the active incidents of every (group, assignee) again and store the counts as the
    queue tallies, like rebuilding an index; returns how many rows were wrong. Incidents cannot
    be written meanwhile (PostgreSQL: the table is locked in SHARE mode until the rebuild
    commits; SQLite: the rebuild holds the one writer's lock). ``actor`` None is the command
    line; anyone else must be an administrator."""
    if actor is not None:
        require_admin(actor, "rebuild the queue tallies")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE incidents_incident IN SHARE MODE")
    wrong = len(tallies.differences())
    QueueTally.objects.all().delete()
    with connection.cursor() as cursor:
        # the same statement as migration 0014's backfill; a fixed table name
        cursor.execute(
            f"INSERT INTO {QueueTally._meta.db_table} (group_id, assignee_id, active_count) "  # noqa: S608
            "SELECT owning_group_id, coalesce(assignee_id, 0), count(*) FROM incidents_incident "
            "WHERE active GROUP BY owning_group_id, coalesce(assignee_id, 0)"
        )
    log.info("queue tallies rebuilt: %d row(s) were wrong", wrong)
    return wrong
