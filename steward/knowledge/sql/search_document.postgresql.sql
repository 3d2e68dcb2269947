-- One search document per article, kept by the database (knowledge migration 0002): a
-- weighted tsvector column outside the model with a GIN index, set by a trigger when an
-- article is written. Weights: title and keywords A, issue B, resolution C, environment and
-- cause D; suggestions rank with ts_rank_cd. Django never reads or writes the column
-- (knowledge/search.py and suggest.py name it).

ALTER TABLE knowledge_article
    ADD COLUMN IF NOT EXISTS search_document tsvector NOT NULL DEFAULT ''::tsvector;

CREATE OR REPLACE FUNCTION steward_article_search(
    p_title text, p_keywords text, p_issue text, p_resolution text, p_environment text,
    p_cause text
) RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$
    SELECT setweight(to_tsvector('simple'::regconfig, p_title), 'A')
        || setweight(to_tsvector('simple'::regconfig, p_keywords), 'A')
        || setweight(to_tsvector('simple'::regconfig, p_issue), 'B')
        || setweight(to_tsvector('simple'::regconfig, p_resolution), 'C')
        || setweight(to_tsvector('simple'::regconfig, p_environment || ' ' || p_cause), 'D')
$$;

CREATE OR REPLACE FUNCTION steward_article_search_tg() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document := steward_article_search(NEW.title, NEW.keywords, NEW.issue,
        NEW.resolution, NEW.environment, NEW.cause);
    RETURN NEW;
END
$$;

CREATE TRIGGER knowledge_article_search
    BEFORE INSERT OR UPDATE OF title, keywords, issue, resolution, environment, cause
    ON knowledge_article FOR EACH ROW EXECUTE FUNCTION steward_article_search_tg();

-- the articles already there
UPDATE knowledge_article SET search_document = steward_article_search(
    title, keywords, issue, resolution, environment, cause);

CREATE INDEX IF NOT EXISTS kb_search_document ON knowledge_article USING gin (search_document);

ANALYZE knowledge_article;
