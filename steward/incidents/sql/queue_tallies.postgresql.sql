-- Queue tallies: active incidents per (owning group, assignee) in incidents_queuetally, kept by
-- the database (incidents migration 0014; the reasons are in the migration's docstring).
-- A constraint trigger, DEFERRABLE INITIALLY DEFERRED, changes the rows at commit, the lower key
-- first; incidents/tallies.py applies a transaction's pending changes before reading.
-- assignee_id 0 is "unassigned".

CREATE OR REPLACE FUNCTION steward_queue_tally_add(p_group bigint, p_assignee bigint, p_delta int)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO incidents_queuetally (group_id, assignee_id, active_count)
    VALUES (p_group, p_assignee, p_delta)
    ON CONFLICT (group_id, assignee_id)
    DO UPDATE SET active_count = incidents_queuetally.active_count + EXCLUDED.active_count
$$;

CREATE OR REPLACE FUNCTION steward_queue_tally_tg() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_key bigint[];
    new_key bigint[];
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.active THEN
        old_key := ARRAY[OLD.owning_group_id, coalesce(OLD.assignee_id, 0)];
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.active THEN
        new_key := ARRAY[NEW.owning_group_id, coalesce(NEW.assignee_id, 0)];
    END IF;
    IF old_key IS NOT DISTINCT FROM new_key THEN
        RETURN NULL;
    END IF;
    -- the lower key first: two transactions moving incidents between the same rows lock them
    -- in the same order
    IF old_key IS NOT NULL AND (new_key IS NULL OR old_key < new_key) THEN
        PERFORM steward_queue_tally_add(old_key[1], old_key[2], -1);
        old_key := NULL;
    END IF;
    IF new_key IS NOT NULL THEN
        PERFORM steward_queue_tally_add(new_key[1], new_key[2], 1);
    END IF;
    IF old_key IS NOT NULL THEN
        PERFORM steward_queue_tally_add(old_key[1], old_key[2], -1);
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER incidents_queue_tally
    AFTER INSERT OR DELETE OR UPDATE OF owning_group_id, assignee_id, status
    ON incidents_incident DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION steward_queue_tally_tg();

-- the incidents already there
INSERT INTO incidents_queuetally (group_id, assignee_id, active_count)
SELECT owning_group_id, coalesce(assignee_id, 0), count(*) FROM incidents_incident
WHERE active GROUP BY owning_group_id, coalesce(assignee_id, 0);
