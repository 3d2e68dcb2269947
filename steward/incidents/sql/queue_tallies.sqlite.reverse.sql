-- Undoes queue_tallies.sqlite.sql (the table goes with the migration's model).

DROP TRIGGER IF EXISTS incidents_tally_ai;
DROP TRIGGER IF EXISTS incidents_tally_au;
DROP TRIGGER IF EXISTS incidents_tally_ad;
