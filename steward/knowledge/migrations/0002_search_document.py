"""One weighted search document per article — title and keywords, issue, resolution,
environment and cause — kept by the database: a PostgreSQL ``tsvector`` column with a GIN
index, an SQLite FTS5 table with a column per part, each kept by triggers
(``knowledge/sql/search_document.<vendor>.sql``).

The triggers are the database's index upkeep, not business logic. On SQLite a migration that
rebuilds ``knowledge_article`` drops its triggers: such a migration must create them again
(``core.sql_files.recreate_triggers``).
"""

from django.db import migrations

from steward.core.sql_files import run_sql_file


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [run_sql_file("knowledge", "search_document")]
