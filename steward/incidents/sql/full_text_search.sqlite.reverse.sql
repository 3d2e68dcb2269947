-- Undoes full_text_search.sqlite.sql (incidents migration 0004; run forwards by 0012).

DROP TRIGGER IF EXISTS incidents_incident_fts_ai;
DROP TRIGGER IF EXISTS incidents_incident_fts_ad;
DROP TRIGGER IF EXISTS incidents_incident_fts_au;
DROP TRIGGER IF EXISTS incidents_comment_fts_ai;
DROP TRIGGER IF EXISTS incidents_comment_fts_ad;
DROP TRIGGER IF EXISTS incidents_comment_fts_au;
DROP TABLE IF EXISTS incidents_incident_fts;
DROP TABLE IF EXISTS incidents_comment_fts;
