-- One search document per incident, kept by the database (incidents migration 0012; the reasons
-- are in the migration's docstring): two tsvector columns outside the model, search_document
-- (title, description, every comment) and search_public (replies only), with GIN indexes, set
-- by triggers when an incident is written and when a comment is added, changed or removed.
-- Django never reads or writes the columns (incidents/search.py names them).

ALTER TABLE incidents_incident
    ADD COLUMN IF NOT EXISTS search_document tsvector NOT NULL DEFAULT ''::tsvector,
    ADD COLUMN IF NOT EXISTS search_public tsvector NOT NULL DEFAULT ''::tsvector;

CREATE OR REPLACE FUNCTION steward_incident_search(
    p_id bigint, p_title text, p_description text, p_public_only boolean
) RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT to_tsvector('simple'::regconfig, p_title || ' ' || p_description || ' ' || coalesce(
        (SELECT string_agg(body, ' ' ORDER BY id) FROM incidents_comment
          WHERE incident_id = p_id AND (NOT p_public_only OR visibility = 'public')), ''))
$$;

CREATE OR REPLACE FUNCTION steward_incident_search_tg() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN  -- a new incident has no comments yet
        NEW.search_document := to_tsvector('simple'::regconfig, NEW.title || ' ' || NEW.description);
        NEW.search_public := NEW.search_document;
    ELSE
        NEW.search_document := steward_incident_search(NEW.id, NEW.title, NEW.description, false);
        NEW.search_public := steward_incident_search(NEW.id, NEW.title, NEW.description, true);
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION steward_comment_search_tg() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN  -- appended: no need to read the other comments again
        UPDATE incidents_incident SET
            search_document = search_document || to_tsvector('simple'::regconfig, NEW.body),
            search_public = CASE WHEN NEW.visibility = 'public'
                THEN search_public || to_tsvector('simple'::regconfig, NEW.body)
                ELSE search_public END
        WHERE id = NEW.incident_id;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE incidents_incident SET
            search_document = steward_incident_search(id, title, description, false),
            search_public = steward_incident_search(id, title, description, true)
        WHERE id = OLD.incident_id;
    ELSE
        UPDATE incidents_incident SET
            search_document = steward_incident_search(id, title, description, false),
            search_public = steward_incident_search(id, title, description, true)
        WHERE id IN (OLD.incident_id, NEW.incident_id);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER incidents_incident_search_insert BEFORE INSERT ON incidents_incident
    FOR EACH ROW EXECUTE FUNCTION steward_incident_search_tg();

CREATE TRIGGER incidents_incident_search_update
    BEFORE UPDATE OF title, description ON incidents_incident FOR EACH ROW
    WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.description IS DISTINCT FROM NEW.description)
    EXECUTE FUNCTION steward_incident_search_tg();

CREATE TRIGGER incidents_comment_search
    AFTER INSERT OR DELETE OR UPDATE OF body, visibility, incident_id ON incidents_comment
    FOR EACH ROW EXECUTE FUNCTION steward_comment_search_tg();

-- the incidents already there
UPDATE incidents_incident SET
    search_document = steward_incident_search(id, title, description, false),
    search_public = steward_incident_search(id, title, description, true);

CREATE INDEX IF NOT EXISTS inc_search_document ON incidents_incident USING gin (search_document);
CREATE INDEX IF NOT EXISTS inc_search_public ON incidents_incident USING gin (search_public);

-- statistics of the documents at once: search relies on them to estimate whole words
ANALYZE incidents_incident;
