-- One search document per change, kept by the database (changes migration 0003): the FTS5
-- table changes_search_fts (rowid = change id) holding its title, description and reason,
-- kept by triggers. A migration that rebuilds changes_changerequest drops its triggers and
-- must create them again (core.sql_files.recreate_triggers).

CREATE VIRTUAL TABLE IF NOT EXISTS changes_search_fts
    USING fts5(document, tokenize='unicode61 remove_diacritics 2');

CREATE TRIGGER IF NOT EXISTS changes_search_ai AFTER INSERT ON changes_changerequest BEGIN
    INSERT INTO changes_search_fts(rowid, document)
    VALUES (new.id, new.title || ' ' || new.description || ' ' || new.reason);
END;

CREATE TRIGGER IF NOT EXISTS changes_search_au
    AFTER UPDATE OF title, description, reason ON changes_changerequest BEGIN
    DELETE FROM changes_search_fts WHERE rowid = new.id;
    INSERT INTO changes_search_fts(rowid, document)
    VALUES (new.id, new.title || ' ' || new.description || ' ' || new.reason);
END;

CREATE TRIGGER IF NOT EXISTS changes_search_ad AFTER DELETE ON changes_changerequest BEGIN
    DELETE FROM changes_search_fts WHERE rowid = old.id; END;

-- the changes already there
DELETE FROM changes_search_fts;

INSERT INTO changes_search_fts(rowid, document)
    SELECT id, title || ' ' || description || ' ' || reason FROM changes_changerequest;
