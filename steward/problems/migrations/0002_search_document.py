"""One search document per problem — its title, statement, workaround and the root cause of
its analysis — kept by the database: a PostgreSQL ``tsvector`` column with a GIN index, an
SQLite FTS5 table, each kept by triggers (``problems/sql/search_document.<vendor>.sql``). The
global search box finds known errors by any word of their workaround this way.

The triggers are the database's index upkeep, not business logic. On SQLite a migration that
rebuilds ``problems_problem`` or ``problems_rootcauseanalysis`` drops their triggers: such a
migration must create them again (``core.sql_files.recreate_triggers``).
"""

from django.db import migrations

from steward.core.sql_files import run_sql_file


class Migration(migrations.Migration):
    dependencies = [("problems", "0001_initial")]

    operations = [run_sql_file("problems", "search_document")]
