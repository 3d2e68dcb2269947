"""Full-text search over incident titles, descriptions and comments.

PostgreSQL: GIN indexes on ``to_tsvector('simple', ...)`` expressions (search.text_filter uses
the same expressions). SQLite: FTS5 external-content tables kept in step by triggers (an index
maintained by the database, not business logic).
"""

from django.db import migrations

PG_FORWARD = [
    "CREATE INDEX IF NOT EXISTS inc_fts_gin ON incidents_incident USING gin "
    "(to_tsvector('simple'::regconfig, title || ' ' || description))",
    "CREATE INDEX IF NOT EXISTS inc_comment_fts_gin ON incidents_comment USING gin "
    "(to_tsvector('simple'::regconfig, body))",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS inc_fts_gin",
    "DROP INDEX IF EXISTS inc_comment_fts_gin",
]

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS incidents_incident_fts USING fts5("
    "title, description, content='incidents_incident', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS incidents_incident_fts_ai AFTER INSERT ON incidents_incident "
    "BEGIN INSERT INTO incidents_incident_fts(rowid, title, description) "
    "VALUES (new.id, new.title, new.description); END",
    "CREATE TRIGGER IF NOT EXISTS incidents_incident_fts_ad AFTER DELETE ON incidents_incident "
    "BEGIN INSERT INTO incidents_incident_fts(incidents_incident_fts, rowid, title, description) "
    "VALUES ('delete', old.id, old.title, old.description); END",
    "CREATE TRIGGER IF NOT EXISTS incidents_incident_fts_au "
    "AFTER UPDATE OF title, description ON incidents_incident "
    "BEGIN INSERT INTO incidents_incident_fts(incidents_incident_fts, rowid, title, description) "
    "VALUES ('delete', old.id, old.title, old.description); "
    "INSERT INTO incidents_incident_fts(rowid, title, description) "
    "VALUES (new.id, new.title, new.description); END",
    "CREATE VIRTUAL TABLE IF NOT EXISTS incidents_comment_fts USING fts5("
    "body, content='incidents_comment', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS incidents_comment_fts_ai AFTER INSERT ON incidents_comment "
    "BEGIN INSERT INTO incidents_comment_fts(rowid, body) VALUES (new.id, new.body); END",
    "CREATE TRIGGER IF NOT EXISTS incidents_comment_fts_ad AFTER DELETE ON incidents_comment "
    "BEGIN INSERT INTO incidents_comment_fts(incidents_comment_fts, rowid, body) "
    "VALUES ('delete', old.id, old.body); END",
    "CREATE TRIGGER IF NOT EXISTS incidents_comment_fts_au AFTER UPDATE OF body "
    "ON incidents_comment "
    "BEGIN INSERT INTO incidents_comment_fts(incidents_comment_fts, rowid, body) "
    "VALUES ('delete', old.id, old.body); "
    "INSERT INTO incidents_comment_fts(rowid, body) VALUES (new.id, new.body); END",
    "INSERT INTO incidents_incident_fts(incidents_incident_fts) VALUES ('rebuild')",
    "INSERT INTO incidents_comment_fts(incidents_comment_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS incidents_incident_fts_ai",
    "DROP TRIGGER IF EXISTS incidents_incident_fts_ad",
    "DROP TRIGGER IF EXISTS incidents_incident_fts_au",
    "DROP TRIGGER IF EXISTS incidents_comment_fts_ai",
    "DROP TRIGGER IF EXISTS incidents_comment_fts_ad",
    "DROP TRIGGER IF EXISTS incidents_comment_fts_au",
    "DROP TABLE IF EXISTS incidents_incident_fts",
    "DROP TABLE IF EXISTS incidents_comment_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("incidents", "0003_system_actors")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
