"""Queue tallies: active incidents per (owning group, assignee), kept by the database.

The queue tabs ("My groups", "My work", "Unassigned") and the start page counted incidents on
every page view. Counting 50,000 open incidents of a group cost more than the rest of the page,
so the counts stopped at a limit ("10,000+") and still read 10,001 index entries twice per view
(5 of the queue page's 8 ms of SQL at a million incidents). Now one row per (group, assignee)
holds the number of active incidents, and a tab adds up a handful of rows: exact at any size.

Triggers on ``incidents_incident`` keep the rows: an incident that becomes active adds one to
its (group, assignee) row, one that stops being active or moves to another group or assignee
takes one from the old row and adds one to the new. ``assignee_id`` 0 is "unassigned".

PostgreSQL: a constraint trigger, DEFERRABLE INITIALLY DEFERRED, so the rows are changed at
commit. Every new incident of a group adds to the same row; changed at once, that row would
stay locked for the rest of each creating transaction and creates into one group would queue
behind each other. At commit the lock is held only while the transaction commits. A transaction
that changes two rows changes the lower key first, so two of them lock in the same order.
Reading a tally inside a transaction first applies that transaction's pending changes
(``incidents/tallies.py``), so a transaction sees its own writes.
SQLite: plain AFTER triggers (one writer at a time: nothing to wait for). A migration that
rebuilds ``incidents_incident`` on SQLite drops its triggers and must create these again.
"""

import importlib

from django.db import migrations, models

FTS = importlib.import_module("steward.incidents.migrations.0004_full_text_search")

_PG_ADD = """
CREATE OR REPLACE FUNCTION steward_queue_tally_add(p_group bigint, p_assignee bigint, p_delta int)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO incidents_queuetally (group_id, assignee_id, active_count)
    VALUES (p_group, p_assignee, p_delta)
    ON CONFLICT (group_id, assignee_id)
    DO UPDATE SET active_count = incidents_queuetally.active_count + EXCLUDED.active_count
$$
"""
_PG_TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION steward_queue_tally_tg() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_key bigint[];
    new_key bigint[];
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.active THEN
        old_key := ARRAY[OLD.owning_group_id, coalesce(OLD.assignee_id, 0)];
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.active THEN
        new_key := ARRAY[NEW.owning_group_id, coalesce(NEW.assignee_id, 0)];
    END IF;
    IF old_key IS NOT DISTINCT FROM new_key THEN
        RETURN NULL;
    END IF;
    -- the lower key first: two transactions moving incidents between the same rows lock them
    -- in the same order
    IF old_key IS NOT NULL AND (new_key IS NULL OR old_key < new_key) THEN
        PERFORM steward_queue_tally_add(old_key[1], old_key[2], -1);
        old_key := NULL;
    END IF;
    IF new_key IS NOT NULL THEN
        PERFORM steward_queue_tally_add(new_key[1], new_key[2], 1);
    END IF;
    IF old_key IS NOT NULL THEN
        PERFORM steward_queue_tally_add(old_key[1], old_key[2], -1);
    END IF;
    RETURN NULL;
END
$$
"""
_BACKFILL = (
    "INSERT INTO incidents_queuetally (group_id, assignee_id, active_count) "
    "SELECT owning_group_id, coalesce(assignee_id, 0), count(*) FROM incidents_incident "
    "WHERE active GROUP BY owning_group_id, coalesce(assignee_id, 0)"
)
PG_FORWARD = [
    _PG_ADD,
    _PG_TRIGGER_FUNCTION,
    "CREATE CONSTRAINT TRIGGER incidents_queue_tally "
    "AFTER INSERT OR DELETE OR UPDATE OF owning_group_id, assignee_id, status "
    "ON incidents_incident DEFERRABLE INITIALLY DEFERRED "
    "FOR EACH ROW EXECUTE FUNCTION steward_queue_tally_tg()",
    _BACKFILL,
]
PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS incidents_queue_tally ON incidents_incident",
    "DROP FUNCTION IF EXISTS steward_queue_tally_tg()",
    "DROP FUNCTION IF EXISTS steward_queue_tally_add(bigint, bigint, int)",
]

_SQLITE_ADD_NEW = (
    "INSERT INTO incidents_queuetally (group_id, assignee_id, active_count) "
    "SELECT new.owning_group_id, coalesce(new.assignee_id, 0), 1 WHERE new.active "
    "ON CONFLICT (group_id, assignee_id) DO UPDATE SET active_count = active_count + 1;"
)
_SQLITE_TAKE_OLD = (
    "UPDATE incidents_queuetally SET active_count = active_count - 1 WHERE old.active "
    "AND group_id = old.owning_group_id AND assignee_id = coalesce(old.assignee_id, 0);"
)
SQLITE_FORWARD = [
    f"CREATE TRIGGER IF NOT EXISTS incidents_tally_ai AFTER INSERT ON incidents_incident "
    f"BEGIN {_SQLITE_ADD_NEW} END",
    "CREATE TRIGGER IF NOT EXISTS incidents_tally_au "
    "AFTER UPDATE OF owning_group_id, assignee_id, status ON incidents_incident "
    "WHEN NOT (old.active IS new.active AND old.owning_group_id IS new.owning_group_id "
    "AND coalesce(old.assignee_id, 0) IS coalesce(new.assignee_id, 0)) "
    f"BEGIN {_SQLITE_TAKE_OLD} {_SQLITE_ADD_NEW} END",
    f"CREATE TRIGGER IF NOT EXISTS incidents_tally_ad AFTER DELETE ON incidents_incident "
    f"BEGIN {_SQLITE_TAKE_OLD} END",
    _BACKFILL,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS incidents_tally_ai",
    "DROP TRIGGER IF EXISTS incidents_tally_au",
    "DROP TRIGGER IF EXISTS incidents_tally_ad",
]


class Migration(migrations.Migration):
    dependencies = [("incidents", "0013_updated_index")]

    operations = [
        migrations.CreateModel(
            name="QueueTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("group_id", models.BigIntegerField()),
                ("assignee_id", models.BigIntegerField()),
                ("active_count", models.BigIntegerField(default=0)),
            ],
            options={
                "indexes": [models.Index(fields=["assignee_id"], name="inc_tally_assignee")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("group_id", "assignee_id"), name="incidents_tally_key"
                    )
                ],
            },
        ),
        migrations.RunPython(
            FTS._run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            FTS._run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
