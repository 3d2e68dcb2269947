"""When an incident was cancelled, kept on the incident: the backlog KPIs read when an
incident left the backlog from the row instead of looking its cancellation up in the journal
(at 1,000,000 incidents the month's backlog took 9-10 s through the journal, 3 s from the row;
benchmarks/RESULTS.md, P3). The incidents cancelled before this migration take the moment of
their last status change in the journal, which is their cancellation."""

from django.db import migrations, models

BACKFILL = """
UPDATE incidents_incident SET cancelled_at = COALESCE(
    (SELECT MAX(j.at) FROM core_journalentry AS j
     WHERE j.record_type = 'incidents.incident'
       AND j.record_id = CAST(incidents_incident.id AS TEXT)
       AND j.action = 'status_changed'),
    updated_at)
WHERE status = 'cancelled' AND cancelled_at IS NULL
"""


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0016_communication_plan"),
        ("core", "0005_journal_comment_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="incident",
            name="cancelled_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]
