-- Full-text search over incident titles, descriptions and comments (incidents migration 0004):
-- FTS5 external-content tables kept in step by triggers (an index maintained by the database,
-- not business logic). Superseded by search_document, whose migration (0012) runs
-- full_text_search.sqlite.reverse.sql; migration 0011 ran this file's triggers again after
-- rebuilding incidents_incident.

CREATE VIRTUAL TABLE IF NOT EXISTS incidents_incident_fts USING fts5(title, description,
    content='incidents_incident', content_rowid='id', tokenize='unicode61 remove_diacritics 2');

CREATE TRIGGER IF NOT EXISTS incidents_incident_fts_ai AFTER INSERT ON incidents_incident
BEGIN INSERT INTO incidents_incident_fts(rowid, title, description)
    VALUES (new.id, new.title, new.description); END;

CREATE TRIGGER IF NOT EXISTS incidents_incident_fts_ad AFTER DELETE ON incidents_incident
BEGIN INSERT INTO incidents_incident_fts(incidents_incident_fts, rowid, title, description)
    VALUES ('delete', old.id, old.title, old.description); END;

CREATE TRIGGER IF NOT EXISTS incidents_incident_fts_au
    AFTER UPDATE OF title, description ON incidents_incident
BEGIN INSERT INTO incidents_incident_fts(incidents_incident_fts, rowid, title, description)
    VALUES ('delete', old.id, old.title, old.description);
    INSERT INTO incidents_incident_fts(rowid, title, description)
    VALUES (new.id, new.title, new.description); END;

CREATE VIRTUAL TABLE IF NOT EXISTS incidents_comment_fts USING fts5(body,
    content='incidents_comment', content_rowid='id', tokenize='unicode61 remove_diacritics 2');

CREATE TRIGGER IF NOT EXISTS incidents_comment_fts_ai AFTER INSERT ON incidents_comment
BEGIN INSERT INTO incidents_comment_fts(rowid, body) VALUES (new.id, new.body); END;

CREATE TRIGGER IF NOT EXISTS incidents_comment_fts_ad AFTER DELETE ON incidents_comment
BEGIN INSERT INTO incidents_comment_fts(incidents_comment_fts, rowid, body)
    VALUES ('delete', old.id, old.body); END;

CREATE TRIGGER IF NOT EXISTS incidents_comment_fts_au AFTER UPDATE OF body ON incidents_comment
BEGIN INSERT INTO incidents_comment_fts(incidents_comment_fts, rowid, body)
    VALUES ('delete', old.id, old.body);
    INSERT INTO incidents_comment_fts(rowid, body) VALUES (new.id, new.body); END;

INSERT INTO incidents_incident_fts(incidents_incident_fts) VALUES ('rebuild');

INSERT INTO incidents_comment_fts(incidents_comment_fts) VALUES ('rebuild');
