-- The event log behind GET /events. Triggers write it in the transaction of each change, so there is no change
-- without its event and no event of a change that rolled back, whichever instance (or operator) made it.
-- NOTIFY wakes every instance's event feed when such a transaction commits.
CREATE TABLE event (
    id           bigserial    PRIMARY KEY,
    -- the writing transaction. Feeds read events in (xid, id) order, only below the oldest transaction still
    -- running: a transaction that commits later always has a larger xid, so nothing is skipped, whatever the
    -- order in which transactions commit (ids alone come from a sequence, in the order of the inserts)
    xid          xid8         NOT NULL DEFAULT pg_current_xact_id(),
    contract     varchar(64)  NOT NULL,
    location     varchar(64)  NOT NULL,
    registry_id  uuid         NOT NULL,
    type         varchar(32)  NOT NULL,
    data         jsonb        NOT NULL,
    created_at   timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX event_position_idx ON event (xid, id);
-- catching up a reconnecting subscriber of one contract
CREATE INDEX event_contract_position_idx ON event (contract, xid, id);
-- retention
CREATE INDEX event_created_idx ON event (created_at);

CREATE FUNCTION record_event(p_contract text, p_location text, p_registry uuid, p_type text, p_data jsonb)
    RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO event (contract, location, registry_id, type, data)
    VALUES (p_contract, p_location, p_registry, p_type, p_data);
    -- one wake-up per transaction: PostgreSQL folds identical notifications of a transaction into one
    PERFORM pg_notify('registry_events', '');
END $$;

CREATE FUNCTION registry_data(r registry) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    -- absent rather than null, as in the API's answers
    SELECT jsonb_strip_nulls(jsonb_build_object('name', r.name, 'location', r.location, 'state', r.state,
                                                'hostname', r.hostname))
$$;

-- registry.created, registry.deleted; on update registry.updated when a client changed it (PUT/PATCH set
-- last_modified_date) and registry.state-changed when its state moved (provisioning, replace)
CREATE FUNCTION registry_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM record_event(NEW.contract, NEW.location, NEW.id, 'registry.created', registry_data(NEW));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM record_event(OLD.contract, OLD.location, OLD.id, 'registry.deleted', registry_data(OLD));
    ELSE
        IF NEW.last_modified_date IS DISTINCT FROM OLD.last_modified_date THEN
            PERFORM record_event(NEW.contract, NEW.location, NEW.id, 'registry.updated', registry_data(NEW));
        END IF;
        IF NEW.state IS DISTINCT FROM OLD.state THEN
            PERFORM record_event(NEW.contract, NEW.location, NEW.id, 'registry.state-changed',
                                 registry_data(NEW) || jsonb_build_object('previousState', OLD.state));
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER registry_events AFTER INSERT OR UPDATE OR DELETE ON registry
    FOR EACH ROW EXECUTE FUNCTION registry_events();

-- gc.run.queued (QUEUED), gc.run.started (RUNNING), gc.run.finished (SUCCEEDED, FAILED, SKIPPED): on insert, and on
-- every change of status (a lease taken over keeps RUNNING and makes no event)
CREATE FUNCTION gc_run_events() RETURNS trigger LANGUAGE plpgsql AS $$
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
                           'dryRun', NEW.dry_run, 'scheduledFor', NEW.scheduled_for,
                           'deletedManifests', NEW.deleted_manifests, 'deletedBlobs', NEW.deleted_blobs,
                           'freedBytes', NEW.freed_bytes, 'message', NEW.message)));
    RETURN NULL;
END $$;
CREATE TRIGGER gc_run_events AFTER INSERT OR UPDATE OF status ON gc_run
    FOR EACH ROW EXECUTE FUNCTION gc_run_events();
