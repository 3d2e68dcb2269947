-- Undoes full_text_search.postgresql.sql (incidents migration 0004; run forwards by 0012).

DROP INDEX IF EXISTS inc_fts_gin;
DROP INDEX IF EXISTS inc_comment_fts_gin;
