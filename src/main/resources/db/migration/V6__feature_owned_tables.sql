-- Each feature writes only its own tables. GC's state moves out of the registry table into tables GC owns: the
-- next slot of each registry's schedule, and the storage its last run measured. No data is lost: both are copied.

CREATE TABLE gc_schedule (
    registry_id  uuid         PRIMARY KEY REFERENCES registry (id) ON DELETE CASCADE,
    -- the next slot (UTC) at which the registry's GC is due; recomputed whenever the schedule changes
    next_run     timestamptz  NOT NULL
);
INSERT INTO gc_schedule (registry_id, next_run) SELECT id, gc_next_run FROM registry WHERE gc_next_run IS NOT NULL;
CREATE INDEX gc_schedule_next_run_idx ON gc_schedule (next_run);
ALTER TABLE registry DROP COLUMN gc_next_run;

CREATE TABLE storage_usage (
    registry_id  uuid         PRIMARY KEY REFERENCES registry (id) ON DELETE CASCADE,
    bytes        bigint       NOT NULL CHECK (bytes >= 0),
    measured_at  timestamptz  NOT NULL
);
INSERT INTO storage_usage (registry_id, bytes, measured_at)
    SELECT id, storage_bytes, storage_updated_at FROM registry WHERE storage_updated_at IS NOT NULL;
ALTER TABLE registry DROP COLUMN storage_bytes, DROP COLUMN storage_updated_at;
