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
rebuilds ``incidents_incident`` on SQLite drops its triggers and must create these again
(``core.sql_files.recreate_triggers``). The SQL is in ``incidents/sql/queue_tallies.<vendor>.sql``.
"""

from django.db import migrations, models

from steward.core.sql_files import run_sql_file


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
        run_sql_file("incidents", "queue_tallies"),
    ]
