"""One search document per change — its title, description and reason — kept by the database:
a PostgreSQL ``tsvector`` column with a GIN index, an SQLite FTS5 table, each kept by triggers
(``changes/sql/search_document.<vendor>.sql``).

The triggers are the database's index upkeep, not business logic. On SQLite a migration that
rebuilds ``changes_changerequest`` drops its triggers: such a migration must create them again
(``core.sql_files.recreate_triggers``).
"""

from django.db import migrations

from steward.core.sql_files import run_sql_file


class Migration(migrations.Migration):
    dependencies = [("changes", "0002_defaults")]

    operations = [run_sql_file("changes", "search_document")]
