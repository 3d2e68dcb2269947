DROP TRIGGER IF EXISTS changes_search_ai;
DROP TRIGGER IF EXISTS changes_search_au;
DROP TRIGGER IF EXISTS changes_search_ad;
DROP TABLE IF EXISTS changes_search_fts;
