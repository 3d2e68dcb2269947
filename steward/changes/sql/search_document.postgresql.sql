-- One search document per change, kept by the database (changes migration 0003): a tsvector
-- column outside the model (title, description and reason) with a GIN index, set by a trigger
-- when a change is written. Django never reads or writes the column (changes/search.py names
-- it).

ALTER TABLE changes_changerequest
    ADD COLUMN IF NOT EXISTS search_document tsvector NOT NULL DEFAULT ''::tsvector;

CREATE OR REPLACE FUNCTION steward_change_search_tg() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document := to_tsvector(
        'simple'::regconfig, NEW.title || ' ' || NEW.description || ' ' || NEW.reason);
    RETURN NEW;
END
$$;

CREATE TRIGGER changes_change_search
    BEFORE INSERT OR UPDATE OF title, description, reason ON changes_changerequest
    FOR EACH ROW EXECUTE FUNCTION steward_change_search_tg();

-- the changes already there
UPDATE changes_changerequest
    SET search_document = to_tsvector('simple'::regconfig, title || ' ' || description || ' ' || reason);

CREATE INDEX IF NOT EXISTS chg_search_document
    ON changes_changerequest USING gin (search_document);
