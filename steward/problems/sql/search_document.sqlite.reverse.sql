DROP TRIGGER IF EXISTS problems_search_rca_ad;
DROP TRIGGER IF EXISTS problems_search_rca_au;
DROP TRIGGER IF EXISTS problems_search_rca_ai;
DROP TRIGGER IF EXISTS problems_search_ad;
DROP TRIGGER IF EXISTS problems_search_au;
DROP TRIGGER IF EXISTS problems_search_ai;
DROP TABLE IF EXISTS problems_search_fts;
