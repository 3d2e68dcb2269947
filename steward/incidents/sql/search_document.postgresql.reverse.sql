-- Undoes search_document.postgresql.sql.

DROP TRIGGER IF EXISTS incidents_comment_search ON incidents_comment;
DROP TRIGGER IF EXISTS incidents_incident_search_update ON incidents_incident;
DROP TRIGGER IF EXISTS incidents_incident_search_insert ON incidents_incident;
DROP FUNCTION IF EXISTS steward_comment_search_tg();
DROP FUNCTION IF EXISTS steward_incident_search_tg();
DROP FUNCTION IF EXISTS steward_incident_search(bigint, text, text, boolean);
ALTER TABLE incidents_incident DROP COLUMN IF EXISTS search_document,
    DROP COLUMN IF EXISTS search_public;
