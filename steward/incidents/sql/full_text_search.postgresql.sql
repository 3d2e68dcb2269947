-- Full-text search over incident titles, descriptions and comments (incidents migration 0004):
-- GIN indexes on to_tsvector('simple', ...) expressions. Superseded by search_document, whose
-- migration (0012) runs full_text_search.postgresql.reverse.sql.

CREATE INDEX IF NOT EXISTS inc_fts_gin ON incidents_incident USING gin
    (to_tsvector('simple'::regconfig, title || ' ' || description));

CREATE INDEX IF NOT EXISTS inc_comment_fts_gin ON incidents_comment USING gin
    (to_tsvector('simple'::regconfig, body));
