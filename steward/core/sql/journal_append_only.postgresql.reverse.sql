-- Undoes journal_append_only.postgresql.sql.

DROP TRIGGER IF EXISTS core_journal_append_only ON core_journalentry;
DROP FUNCTION IF EXISTS core_journal_append_only();
