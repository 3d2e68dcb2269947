DROP TRIGGER IF EXISTS problems_rca_search ON problems_rootcauseanalysis;
DROP TRIGGER IF EXISTS problems_problem_search ON problems_problem;
DROP FUNCTION IF EXISTS steward_problem_rca_search_tg();
DROP FUNCTION IF EXISTS steward_problem_search_tg();
DROP FUNCTION IF EXISTS steward_problem_search(bigint, text, text, text);
DROP INDEX IF EXISTS prb_search_document;
ALTER TABLE problems_problem DROP COLUMN IF EXISTS search_document;
