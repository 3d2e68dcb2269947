-- One search document per problem, kept by the database (problems migration 0002): the FTS5
-- table problems_search_fts (rowid = problem id) holding its title, statement, workaround and
-- the root cause of its analysis, kept by triggers. A migration that rebuilds problems_problem
-- or problems_rootcauseanalysis drops their triggers and must create them again
-- (core.sql_files.recreate_triggers).

CREATE VIRTUAL TABLE IF NOT EXISTS problems_search_fts
    USING fts5(document, tokenize='unicode61 remove_diacritics 2');

CREATE TRIGGER IF NOT EXISTS problems_search_ai AFTER INSERT ON problems_problem BEGIN
    INSERT INTO problems_search_fts(rowid, document)
    SELECT p.id, p.title || ' ' || p.statement || ' ' || p.workaround || ' ' || coalesce((SELECT root_cause FROM problems_rootcauseanalysis WHERE problem_id = p.id), '')
    FROM problems_problem p WHERE p.id = new.id;
END;

CREATE TRIGGER IF NOT EXISTS problems_search_au
    AFTER UPDATE OF title, statement, workaround ON problems_problem BEGIN
    DELETE FROM problems_search_fts WHERE rowid = new.id;
    INSERT INTO problems_search_fts(rowid, document)
    SELECT p.id, p.title || ' ' || p.statement || ' ' || p.workaround || ' ' || coalesce((SELECT root_cause FROM problems_rootcauseanalysis WHERE problem_id = p.id), '')
    FROM problems_problem p WHERE p.id = new.id;
END;

CREATE TRIGGER IF NOT EXISTS problems_search_ad AFTER DELETE ON problems_problem BEGIN
    DELETE FROM problems_search_fts WHERE rowid = old.id; END;

CREATE TRIGGER IF NOT EXISTS problems_search_rca_ai AFTER INSERT ON problems_rootcauseanalysis
BEGIN
    DELETE FROM problems_search_fts WHERE rowid = new.problem_id;
    INSERT INTO problems_search_fts(rowid, document)
    SELECT p.id, p.title || ' ' || p.statement || ' ' || p.workaround || ' ' || coalesce((SELECT root_cause FROM problems_rootcauseanalysis WHERE problem_id = p.id), '')
    FROM problems_problem p WHERE p.id = new.problem_id;
END;

CREATE TRIGGER IF NOT EXISTS problems_search_rca_au
    AFTER UPDATE OF root_cause, problem_id ON problems_rootcauseanalysis BEGIN
    DELETE FROM problems_search_fts WHERE rowid IN (old.problem_id, new.problem_id);
    INSERT INTO problems_search_fts(rowid, document)
    SELECT p.id, p.title || ' ' || p.statement || ' ' || p.workaround || ' ' || coalesce((SELECT root_cause FROM problems_rootcauseanalysis WHERE problem_id = p.id), '')
    FROM problems_problem p WHERE p.id IN (old.problem_id, new.problem_id);
END;

CREATE TRIGGER IF NOT EXISTS problems_search_rca_ad AFTER DELETE ON problems_rootcauseanalysis
BEGIN
    DELETE FROM problems_search_fts WHERE rowid = old.problem_id;
    INSERT INTO problems_search_fts(rowid, document)
    SELECT p.id, p.title || ' ' || p.statement || ' ' || p.workaround || ' ' || coalesce((SELECT root_cause FROM problems_rootcauseanalysis WHERE problem_id = p.id), '')
    FROM problems_problem p WHERE p.id = old.problem_id;
END;

-- the problems already there
DELETE FROM problems_search_fts;

INSERT INTO problems_search_fts(rowid, document)
    SELECT p.id, p.title || ' ' || p.statement || ' ' || p.workaround || ' ' || coalesce((SELECT root_cause FROM problems_rootcauseanalysis WHERE problem_id = p.id), '')
    FROM problems_problem p;
