-- One search document per incident, kept by the database (incidents migration 0012): the FTS5
-- table incidents_search_fts (rowid = incident id; columns document and public_document) kept
-- by triggers. A migration that rebuilds incidents_incident or incidents_comment drops their
-- triggers and must create them again (core.sql_files.recreate_triggers).


CREATE VIRTUAL TABLE IF NOT EXISTS incidents_search_fts
    USING fts5(document, public_document, tokenize='unicode61 remove_diacritics 2');

-- a new incident has no comments yet
CREATE TRIGGER IF NOT EXISTS incidents_search_ai AFTER INSERT ON incidents_incident BEGIN
    INSERT INTO incidents_search_fts(rowid, document, public_document) VALUES (new.id,
    new.title || ' ' || new.description, new.title || ' ' || new.description); END;

CREATE TRIGGER IF NOT EXISTS incidents_search_au
    AFTER UPDATE OF title, description ON incidents_incident BEGIN
    DELETE FROM incidents_search_fts WHERE rowid = new.id;
    INSERT INTO incidents_search_fts(rowid, document, public_document)
    SELECT i.id, i.title || ' ' || i.description || ' ' || coalesce((SELECT group_concat(body, ' ')
    FROM incidents_comment WHERE incident_id = i.id), ''),
    i.title || ' ' || i.description || ' ' || coalesce((SELECT group_concat(body, ' ')
    FROM incidents_comment WHERE incident_id = i.id AND visibility = 'public'), '')
    FROM incidents_incident i WHERE i.id = new.id;
END;

CREATE TRIGGER IF NOT EXISTS incidents_search_ad AFTER DELETE ON incidents_incident BEGIN
    DELETE FROM incidents_search_fts WHERE rowid = old.id; END;

CREATE TRIGGER IF NOT EXISTS incidents_search_comment_ai AFTER INSERT ON incidents_comment
BEGIN
    DELETE FROM incidents_search_fts WHERE rowid = new.incident_id;
    INSERT INTO incidents_search_fts(rowid, document, public_document)
    SELECT i.id, i.title || ' ' || i.description || ' ' || coalesce((SELECT group_concat(body, ' ')
    FROM incidents_comment WHERE incident_id = i.id), ''),
    i.title || ' ' || i.description || ' ' || coalesce((SELECT group_concat(body, ' ')
    FROM incidents_comment WHERE incident_id = i.id AND visibility = 'public'), '')
    FROM incidents_incident i WHERE i.id = new.incident_id;
END;

CREATE TRIGGER IF NOT EXISTS incidents_search_comment_ad AFTER DELETE ON incidents_comment
BEGIN
    DELETE FROM incidents_search_fts WHERE rowid = old.incident_id;
    INSERT INTO incidents_search_fts(rowid, document, public_document)
    SELECT i.id, i.title || ' ' || i.description || ' ' || coalesce((SELECT group_concat(body, ' ')
    FROM incidents_comment WHERE incident_id = i.id), ''),
    i.title || ' ' || i.description || ' ' || coalesce((SELECT group_concat(body, ' ')
    FROM incidents_comment WHERE incident_id = i.id AND visibility = 'public'), '')
    FROM incidents_incident i WHERE i.id = old.incident_id;
END;

CREATE TRIGGER IF NOT EXISTS incidents_search_comment_au
    AFTER UPDATE OF body, visibility, incident_id ON incidents_comment BEGIN
    DELETE FROM incidents_search_fts WHERE rowid = old.incident_id;
    INSERT INTO incidents_search_fts(rowid, document, public_document)
    SELECT i.id, i.title || ' ' || i.description || ' ' || coalesce((SELECT group_concat(body, ' ')
    FROM incidents_comment WHERE incident_id = i.id), ''),
    i.title || ' ' || i.description || ' ' || coalesce((SELECT group_concat(body, ' ')
    FROM incidents_comment WHERE incident_id = i.id AND visibility = 'public'), '')
    FROM incidents_incident i WHERE i.id = old.incident_id;
    DELETE FROM incidents_search_fts WHERE rowid = new.incident_id;
    INSERT INTO incidents_search_fts(rowid, document, public_document)
    SELECT i.id, i.title || ' ' || i.description || ' ' || coalesce((SELECT group_concat(body, ' ')
    FROM incidents_comment WHERE incident_id = i.id), ''),
    i.title || ' ' || i.description || ' ' || coalesce((SELECT group_concat(body, ' ')
    FROM incidents_comment WHERE incident_id = i.id AND visibility = 'public'), '')
    FROM incidents_incident i WHERE i.id = new.incident_id;
END;

-- the incidents already there
DELETE FROM incidents_search_fts;

INSERT INTO incidents_search_fts(rowid, document, public_document)
    SELECT i.id, i.title || ' ' || i.description || ' ' || coalesce((SELECT group_concat(body, ' ')
    FROM incidents_comment WHERE incident_id = i.id), ''),
    i.title || ' ' || i.description || ' ' || coalesce((SELECT group_concat(body, ' ')
    FROM incidents_comment WHERE incident_id = i.id AND visibility = 'public'), '')
    FROM incidents_incident i;
