"""One search document per incident: its title, description and comments, kept by the database.

Before, a search matched three sources — the number, the incident's title and description, and
each comment — as a UNION of ids. A word in half of a million incidents made PostgreSQL gather
and de-duplicate half a million ids before it could page or count (3.7 s for one list page).
Now every incident carries two documents, one with all its comments (what IT staff search) and
one with its replies only (what requesters search, never work notes), indexed on the incident
row itself: a page walks the list's own order and checks each row's document, a count reads
the document index, and a word in the title and another in a note find the incident together.

PostgreSQL: two ``tsvector`` columns (``search_document``, ``search_public``) with GIN indexes,
set by triggers when an incident is written and when a comment is added, changed or removed.
They are not model fields: Django never reads or writes them (search.text_filter names them).
SQLite: one FTS5 table ``incidents_search_fts`` (rowid = incident id; columns ``document`` and
``public_document``) kept by triggers the same way.

The triggers are the database's index upkeep, not business logic. On SQLite a migration that
rebuilds ``incidents_incident`` drops its triggers: such a migration must create them again
(``SQLITE_FORWARD`` here, as 0011 did for 0004).
"""

import importlib

from django.db import migrations

FTS = importlib.import_module("steward.incidents.migrations.0004_full_text_search")

_PG_DOCUMENT = """
CREATE OR REPLACE FUNCTION steward_incident_search(
    p_id bigint, p_title text, p_description text, p_public_only boolean
) RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT to_tsvector('simple'::regconfig, p_title || ' ' || p_description || ' ' || coalesce(
        (SELECT string_agg(body, ' ' ORDER BY id) FROM incidents_comment
          WHERE incident_id = p_id AND (NOT p_public_only OR visibility = 'public')), ''))
$$
"""
_PG_INCIDENT_TRIGGER = """
CREATE OR REPLACE FUNCTION steward_incident_search_tg() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN  -- a new incident has no comments yet
        NEW.search_document := to_tsvector('simple'::regconfig, NEW.title || ' ' || NEW.description);
        NEW.search_public := NEW.search_document;
    ELSE
        NEW.search_document := steward_incident_search(NEW.id, NEW.title, NEW.description, false);
        NEW.search_public := steward_incident_search(NEW.id, NEW.title, NEW.description, true);
    END IF;
    RETURN NEW;
END
$$
"""
_PG_COMMENT_TRIGGER = """
CREATE OR REPLACE FUNCTION steward_comment_search_tg() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN  -- appended: no need to read the other comments again
        UPDATE incidents_incident SET
            search_document = search_document || to_tsvector('simple'::regconfig, NEW.body),
            search_public = CASE WHEN NEW.visibility = 'public'
                THEN search_public || to_tsvector('simple'::regconfig, NEW.body)
                ELSE search_public END
        WHERE id = NEW.incident_id;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE incidents_incident SET
            search_document = steward_incident_search(id, title, description, false),
            search_public = steward_incident_search(id, title, description, true)
        WHERE id = OLD.incident_id;
    ELSE
        UPDATE incidents_incident SET
            search_document = steward_incident_search(id, title, description, false),
            search_public = steward_incident_search(id, title, description, true)
        WHERE id IN (OLD.incident_id, NEW.incident_id);
    END IF;
    RETURN NULL;
END
$$
"""
PG_FORWARD = [
    "ALTER TABLE incidents_incident "
    "ADD COLUMN IF NOT EXISTS search_document tsvector NOT NULL DEFAULT ''::tsvector, "
    "ADD COLUMN IF NOT EXISTS search_public tsvector NOT NULL DEFAULT ''::tsvector",
    _PG_DOCUMENT,
    _PG_INCIDENT_TRIGGER,
    _PG_COMMENT_TRIGGER,
    "CREATE TRIGGER incidents_incident_search_insert BEFORE INSERT ON incidents_incident "
    "FOR EACH ROW EXECUTE FUNCTION steward_incident_search_tg()",
    "CREATE TRIGGER incidents_incident_search_update "
    "BEFORE UPDATE OF title, description ON incidents_incident FOR EACH ROW "
    "WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.description IS DISTINCT FROM NEW.description) "
    "EXECUTE FUNCTION steward_incident_search_tg()",
    "CREATE TRIGGER incidents_comment_search "
    "AFTER INSERT OR DELETE OR UPDATE OF body, visibility, incident_id ON incidents_comment "
    "FOR EACH ROW EXECUTE FUNCTION steward_comment_search_tg()",
    "UPDATE incidents_incident SET "
    "search_document = steward_incident_search(id, title, description, false), "
    "search_public = steward_incident_search(id, title, description, true)",
    "CREATE INDEX IF NOT EXISTS inc_search_document ON incidents_incident "
    "USING gin (search_document)",
    "CREATE INDEX IF NOT EXISTS inc_search_public ON incidents_incident USING gin (search_public)",
    *FTS.PG_BACKWARD,  # the per-source expression indexes are not read any more
    # statistics of the documents at once: search relies on them to estimate whole words
    "ANALYZE incidents_incident",
]
PG_BACKWARD = [
    *FTS.PG_FORWARD,
    "DROP TRIGGER IF EXISTS incidents_comment_search ON incidents_comment",
    "DROP TRIGGER IF EXISTS incidents_incident_search_update ON incidents_incident",
    "DROP TRIGGER IF EXISTS incidents_incident_search_insert ON incidents_incident",
    "DROP FUNCTION IF EXISTS steward_comment_search_tg()",
    "DROP FUNCTION IF EXISTS steward_incident_search_tg()",
    "DROP FUNCTION IF EXISTS steward_incident_search(bigint, text, text, boolean)",
    "ALTER TABLE incidents_incident DROP COLUMN IF EXISTS search_document, "
    "DROP COLUMN IF EXISTS search_public",
]

# SQLite: the documents of one incident, as a SELECT of (rowid, document, public_document)
_SQLITE_ROW = (
    "SELECT i.id, i.title || ' ' || i.description || ' ' || coalesce((SELECT group_concat(body, ' ') "
    "FROM incidents_comment WHERE incident_id = i.id), ''), "
    "i.title || ' ' || i.description || ' ' || coalesce((SELECT group_concat(body, ' ') "
    "FROM incidents_comment WHERE incident_id = i.id AND visibility = 'public'), '') "
    "FROM incidents_incident i"
)


def _sqlite_refresh(incident_id: str) -> str:
    """Trigger statements rebuilding one incident's row (``incident_id``: new.id, old.id...)."""
    # a column reference of the trigger, no input
    return (
        f"DELETE FROM incidents_search_fts WHERE rowid = {incident_id}; "  # noqa: S608
        "INSERT INTO incidents_search_fts(rowid, document, public_document) "
        f"{_SQLITE_ROW} WHERE i.id = {incident_id};"
    )


SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS incidents_search_fts USING fts5("
    "document, public_document, tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS incidents_search_ai AFTER INSERT ON incidents_incident BEGIN "
    "INSERT INTO incidents_search_fts(rowid, document, public_document) VALUES (new.id, "
    "new.title || ' ' || new.description, new.title || ' ' || new.description); END",
    "CREATE TRIGGER IF NOT EXISTS incidents_search_au "
    f"AFTER UPDATE OF title, description ON incidents_incident BEGIN {_sqlite_refresh('new.id')} END",
    "CREATE TRIGGER IF NOT EXISTS incidents_search_ad AFTER DELETE ON incidents_incident BEGIN "
    "DELETE FROM incidents_search_fts WHERE rowid = old.id; END",
    "CREATE TRIGGER IF NOT EXISTS incidents_search_comment_ai AFTER INSERT ON incidents_comment "
    f"BEGIN {_sqlite_refresh('new.incident_id')} END",
    "CREATE TRIGGER IF NOT EXISTS incidents_search_comment_ad AFTER DELETE ON incidents_comment "
    f"BEGIN {_sqlite_refresh('old.incident_id')} END",
    "CREATE TRIGGER IF NOT EXISTS incidents_search_comment_au "
    "AFTER UPDATE OF body, visibility, incident_id ON incidents_comment BEGIN "
    f"{_sqlite_refresh('old.incident_id')} {_sqlite_refresh('new.incident_id')} END",
    "DELETE FROM incidents_search_fts",
    f"INSERT INTO incidents_search_fts(rowid, document, public_document) {_SQLITE_ROW}",
    *FTS.SQLITE_BACKWARD,  # the per-source FTS tables are not read any more
]
SQLITE_BACKWARD = [
    *FTS.SQLITE_FORWARD,
    "DROP TRIGGER IF EXISTS incidents_search_ai",
    "DROP TRIGGER IF EXISTS incidents_search_au",
    "DROP TRIGGER IF EXISTS incidents_search_ad",
    "DROP TRIGGER IF EXISTS incidents_search_comment_ai",
    "DROP TRIGGER IF EXISTS incidents_search_comment_ad",
    "DROP TRIGGER IF EXISTS incidents_search_comment_au",
    "DROP TABLE IF EXISTS incidents_search_fts",
]


class Migration(migrations.Migration):
    dependencies = [("incidents", "0011_queue_indexes")]

    operations = [
        migrations.RunPython(
            FTS._run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            FTS._run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
