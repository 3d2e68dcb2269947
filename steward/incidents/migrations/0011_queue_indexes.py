"""The ``active`` column (computed from the status) and the queue indexes that lead with it.

On SQLite, adding a stored generated column rebuilds the table, which drops the triggers that keep
the FTS5 tables in step; they are created again here (the triggers of 0004's
``incidents/sql/full_text_search.sqlite.sql``, idempotent).
"""

from django.conf import settings
from django.db import migrations, models

from steward.core.sql_files import recreate_triggers


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0010_affected_ci"),
        ("people", "0001_initial"),
        ("services", "0003_portfolio"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="incident",
            name="inc_assignee",
        ),
        migrations.AddField(
            model_name="incident",
            name="active",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Case(
                    models.When(
                        status__in=["in_progress", "new", "on_hold"], then=models.Value(True)
                    ),
                    default=models.Value(False),
                ),
                output_field=models.BooleanField(),
            ),
        ),
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(
                fields=["owning_group", "active", "priority", "-id"], name="inc_queue"
            ),
        ),
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(
                fields=["owning_group", "active", "assignee"], name="inc_unassigned"
            ),
        ),
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(
                fields=["assignee", "active", "priority", "-id"], name="inc_my_work"
            ),
        ),
        recreate_triggers("incidents", "full_text_search"),
    ]
