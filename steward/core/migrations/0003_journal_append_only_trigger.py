"""On PostgreSQL the database itself refuses UPDATE and DELETE on the journal."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION core_journal_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'journal entries are append-only: %% refused on core_journalentry', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_journal_append_only
    BEFORE UPDATE OR DELETE ON core_journalentry
    FOR EACH ROW EXECUTE FUNCTION core_journal_append_only();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS core_journal_append_only ON core_journalentry;
DROP FUNCTION IF EXISTS core_journal_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]
    operations = [migrations.RunPython(forward, backward)]
