-- The database itself refuses UPDATE and DELETE on the journal (core migration 0003).
-- SQLite has no such trigger: Django's test runner empties tables with DELETE between
-- transactional tests; the model and queryset guards apply on both (docs/architecture.md).

CREATE OR REPLACE FUNCTION core_journal_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'journal entries are append-only: % refused on core_journalentry', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER core_journal_append_only
    BEFORE UPDATE OR DELETE ON core_journalentry
    FOR EACH ROW EXECUTE FUNCTION core_journal_append_only();
