"""Full-text search over incident titles, descriptions and comments.

PostgreSQL: GIN indexes on ``to_tsvector('simple', ...)`` expressions (search.text_filter uses
the same expressions). SQLite: FTS5 external-content tables kept in step by triggers (an index
maintained by the database, not business logic). The SQL is in
``incidents/sql/full_text_search.<vendor>.sql``.
"""

from django.db import migrations

from steward.core.sql_files import run_sql_file


class Migration(migrations.Migration):
    dependencies = [("incidents", "0003_system_actors")]

    operations = [run_sql_file("incidents", "full_text_search")]
