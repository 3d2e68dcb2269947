-- One search document per problem, kept by the database (problems migration 0002): a tsvector
-- column outside the model (title, statement, workaround and the root cause of its analysis)
-- with a GIN index, set by triggers when a problem or its analysis is written. Django never
-- reads or writes the column (problems/search.py names it).

ALTER TABLE problems_problem
    ADD COLUMN IF NOT EXISTS search_document tsvector NOT NULL DEFAULT ''::tsvector;

CREATE OR REPLACE FUNCTION steward_problem_search(
    p_id bigint, p_title text, p_statement text, p_workaround text
) RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT to_tsvector('simple'::regconfig, p_title || ' ' || p_statement || ' ' || p_workaround
        || ' ' || coalesce(
            (SELECT root_cause FROM problems_rootcauseanalysis WHERE problem_id = p_id), ''))
$$;

CREATE OR REPLACE FUNCTION steward_problem_search_tg() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document := steward_problem_search(NEW.id, NEW.title, NEW.statement, NEW.workaround);
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION steward_problem_rca_search_tg() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE problems_problem
        SET search_document = steward_problem_search(id, title, statement, workaround)
        WHERE id IN (
            CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.problem_id END,
            CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.problem_id END
        );
    RETURN NULL;
END
$$;

CREATE TRIGGER problems_problem_search
    BEFORE INSERT OR UPDATE OF title, statement, workaround ON problems_problem
    FOR EACH ROW EXECUTE FUNCTION steward_problem_search_tg();

CREATE TRIGGER problems_rca_search
    AFTER INSERT OR DELETE OR UPDATE OF root_cause, problem_id ON problems_rootcauseanalysis
    FOR EACH ROW EXECUTE FUNCTION steward_problem_rca_search_tg();

-- the problems already there
UPDATE problems_problem
    SET search_document = steward_problem_search(id, title, statement, workaround);

CREATE INDEX IF NOT EXISTS prb_search_document ON problems_problem USING gin (search_document);
