"""On PostgreSQL the database itself refuses UPDATE and DELETE on the journal
(``core/sql/journal_append_only.postgresql.sql``; nothing on SQLite)."""

from django.db import migrations

from steward.core.sql_files import run_sql_file


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]
    operations = [run_sql_file("core", "journal_append_only")]
