DROP INDEX IF EXISTS chg_search_document;
DROP TRIGGER IF EXISTS changes_change_search ON changes_changerequest;
DROP FUNCTION IF EXISTS steward_change_search_tg();
ALTER TABLE changes_changerequest DROP COLUMN IF EXISTS search_document;
