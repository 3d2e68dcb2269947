-- Undoes queue_tallies.postgresql.sql (the table goes with the migration's model).

DROP TRIGGER IF EXISTS incidents_queue_tally ON incidents_incident;
DROP FUNCTION IF EXISTS steward_queue_tally_tg();
DROP FUNCTION IF EXISTS steward_queue_tally_add(bigint, bigint, int);
