-- Times in the data of events are written as every other time of the API: RFC 3339 in UTC with 'Z', to the
-- millisecond, without a fraction when it is zero (PostgreSQL's own JSON form of a time is '...+00:00', to the
-- microsecond). GC runs' scheduledFor is the one time an event's data holds.
CREATE FUNCTION api_time(t timestamptz) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN date_trunc('milliseconds', t) = date_trunc('second', t)
                THEN to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                ELSE to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') END
$$;

CREATE OR REPLACE FUNCTION gc_run_events() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r registry;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.status IS NOT DISTINCT FROM OLD.status THEN
        RETURN NULL;
    END IF;
    SELECT * INTO r FROM registry WHERE id = NEW.registry_id;
    PERFORM record_event(r.contract, r.location, r.id,
        CASE NEW.status WHEN 'QUEUED' THEN 'gc.run.queued' WHEN 'RUNNING' THEN 'gc.run.started'
                        ELSE 'gc.run.finished' END,
        jsonb_strip_nulls(jsonb_build_object('runId', NEW.id, 'status', NEW.status, 'trigger', NEW.trigger,
                           'dryRun', NEW.dry_run, 'scheduledFor', api_time(NEW.scheduled_for),
                           'deletedManifests', NEW.deleted_manifests, 'deletedBlobs', NEW.deleted_blobs,
                           'freedBytes', NEW.freed_bytes, 'message', NEW.message)));
    RETURN NULL;
END $$;
