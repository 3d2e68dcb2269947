-- One search document per article, kept by the database (knowledge migration 0002): the FTS5
-- table knowledge_search_fts (rowid = article id) with one column per part, so that bm25
-- weighs them (knowledge/suggest.py: title and keywords most, then issue, resolution,
-- environment and cause), kept by triggers. A migration that rebuilds knowledge_article drops
-- its triggers and must create them again (core.sql_files.recreate_triggers).

CREATE VIRTUAL TABLE IF NOT EXISTS knowledge_search_fts
    USING fts5(title, keywords, issue, resolution, context, tokenize='unicode61 remove_diacritics 2');

CREATE TRIGGER IF NOT EXISTS knowledge_search_ai AFTER INSERT ON knowledge_article BEGIN
    INSERT INTO knowledge_search_fts(rowid, title, keywords, issue, resolution, context)
    VALUES (new.id, new.title, new.keywords, new.issue, new.resolution,
    new.environment || ' ' || new.cause);
END;

CREATE TRIGGER IF NOT EXISTS knowledge_search_au
    AFTER UPDATE OF title, keywords, issue, resolution, environment, cause ON knowledge_article BEGIN
    DELETE FROM knowledge_search_fts WHERE rowid = new.id;
    INSERT INTO knowledge_search_fts(rowid, title, keywords, issue, resolution, context)
    VALUES (new.id, new.title, new.keywords, new.issue, new.resolution,
    new.environment || ' ' || new.cause);
END;

CREATE TRIGGER IF NOT EXISTS knowledge_search_ad AFTER DELETE ON knowledge_article BEGIN
    DELETE FROM knowledge_search_fts WHERE rowid = old.id; END;

-- the articles already there
DELETE FROM knowledge_search_fts;

INSERT INTO knowledge_search_fts(rowid, title, keywords, issue, resolution, context)
    SELECT id, title, keywords, issue, resolution, environment || ' ' || cause FROM knowledge_article;
