-- Queue tallies: active incidents per (owning group, assignee) in incidents_queuetally, kept by
-- plain AFTER triggers (incidents migration 0014; one writer at a time: nothing to wait for).
-- assignee_id 0 is "unassigned". A migration that rebuilds incidents_incident drops these
-- triggers and must create them again (core.sql_files.recreate_triggers).


CREATE TRIGGER IF NOT EXISTS incidents_tally_ai AFTER INSERT ON incidents_incident BEGIN
    INSERT INTO incidents_queuetally (group_id, assignee_id, active_count)
    SELECT new.owning_group_id, coalesce(new.assignee_id, 0), 1 WHERE new.active
    ON CONFLICT (group_id, assignee_id) DO UPDATE SET active_count = active_count + 1;
END;

CREATE TRIGGER IF NOT EXISTS incidents_tally_au
    AFTER UPDATE OF owning_group_id, assignee_id, status ON incidents_incident
    WHEN NOT (old.active IS new.active AND old.owning_group_id IS new.owning_group_id
    AND coalesce(old.assignee_id, 0) IS coalesce(new.assignee_id, 0)) BEGIN
    UPDATE incidents_queuetally SET active_count = active_count - 1 WHERE old.active
    AND group_id = old.owning_group_id AND assignee_id = coalesce(old.assignee_id, 0);
    INSERT INTO incidents_queuetally (group_id, assignee_id, active_count)
    SELECT new.owning_group_id, coalesce(new.assignee_id, 0), 1 WHERE new.active
    ON CONFLICT (group_id, assignee_id) DO UPDATE SET active_count = active_count + 1;
END;

CREATE TRIGGER IF NOT EXISTS incidents_tally_ad AFTER DELETE ON incidents_incident BEGIN
    UPDATE incidents_queuetally SET active_count = active_count - 1 WHERE old.active
    AND group_id = old.owning_group_id AND assignee_id = coalesce(old.assignee_id, 0);
END;

-- the incidents already there
INSERT INTO incidents_queuetally (group_id, assignee_id, active_count)
SELECT owning_group_id, coalesce(assignee_id, 0), count(*) FROM incidents_incident
WHERE active GROUP BY owning_group_id, coalesce(assignee_id, 0);
