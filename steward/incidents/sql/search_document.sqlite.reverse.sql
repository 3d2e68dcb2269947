-- Undoes search_document.sqlite.sql.

DROP TRIGGER IF EXISTS incidents_search_ai;
DROP TRIGGER IF EXISTS incidents_search_au;
DROP TRIGGER IF EXISTS incidents_search_ad;
DROP TRIGGER IF EXISTS incidents_search_comment_ai;
DROP TRIGGER IF EXISTS incidents_search_comment_ad;
DROP TRIGGER IF EXISTS incidents_search_comment_au;
DROP TABLE IF EXISTS incidents_search_fts;
