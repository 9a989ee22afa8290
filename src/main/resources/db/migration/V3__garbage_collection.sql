-- Garbage collection: the next scheduled slot of each registry, the runs, and what each registry holds.

-- The next slot (UTC) at which a registry's GC is due; maintained by the service whenever the schedule changes.
ALTER TABLE registry ADD COLUMN gc_next_run timestamptz;
CREATE INDEX registry_gc_next_run_idx ON registry (gc_next_run);

CREATE TABLE gc_run (
    id                 uuid         PRIMARY KEY,
    registry_id        uuid         NOT NULL REFERENCES registry (id) ON DELETE CASCADE,
    trigger            varchar(16)  NOT NULL CONSTRAINT gc_run_trigger_check CHECK (trigger IN ('SCHEDULED', 'MANUAL')),
    dry_run            boolean      NOT NULL,
    status             varchar(16)  NOT NULL
        CONSTRAINT gc_run_status_check CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED')),
    -- the slot a scheduled run is for; null for manual runs
    scheduled_for      timestamptz,
    created_date       timestamptz  NOT NULL,
    created_by         varchar(255) NOT NULL,
    started_at         timestamptz,
    finished_at        timestamptz,
    -- the instance working on the run, until when; an expired lease means the instance died
    lease_owner        varchar(64),
    lease_until        timestamptz,
    deleted_manifests  bigint       NOT NULL DEFAULT 0,
    deleted_blobs      bigint       NOT NULL DEFAULT 0,
    freed_bytes        bigint       NOT NULL DEFAULT 0,
    message            text,
    -- the last guard of "exactly once": one run per registry and slot
    CONSTRAINT gc_run_slot_key UNIQUE (registry_id, scheduled_for)
);
-- at most one run per registry at a time
CREATE UNIQUE INDEX gc_run_one_active_key ON gc_run (registry_id) WHERE status IN ('QUEUED', 'RUNNING');
-- listing a registry's runs, newest first
CREATE INDEX gc_run_registry_created_idx ON gc_run (registry_id, created_date DESC, id DESC);
-- finding work: queued runs and runs whose lease expired
CREATE INDEX gc_run_active_idx ON gc_run (created_date) WHERE status IN ('QUEUED', 'RUNNING');

-- What a registry holds (written by the data plane in a later issue).
CREATE TABLE repository (
    id            bigserial    PRIMARY KEY,
    registry_id   uuid         NOT NULL REFERENCES registry (id) ON DELETE CASCADE,
    name          varchar(255) NOT NULL,
    created_date  timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT repository_name_key UNIQUE (registry_id, name)
);

CREATE TABLE manifest (
    id             bigserial    PRIMARY KEY,
    registry_id    uuid         NOT NULL REFERENCES registry (id) ON DELETE CASCADE,
    repository_id  bigint       NOT NULL REFERENCES repository (id) ON DELETE CASCADE,
    digest         varchar(200) NOT NULL,
    media_type     varchar(255) NOT NULL,
    size           bigint       NOT NULL CHECK (size >= 0),
    created_date   timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT manifest_digest_key UNIQUE (repository_id, digest)
);
CREATE INDEX manifest_registry_idx ON manifest (registry_id, created_date);

CREATE TABLE tag (
    repository_id  bigint       NOT NULL REFERENCES repository (id) ON DELETE CASCADE,
    name           varchar(128) NOT NULL,
    manifest_id    bigint       NOT NULL REFERENCES manifest (id) ON DELETE CASCADE,
    PRIMARY KEY (repository_id, name)
);
CREATE INDEX tag_manifest_idx ON tag (manifest_id);

CREATE TABLE blob (
    id            bigserial    PRIMARY KEY,
    registry_id   uuid         NOT NULL REFERENCES registry (id) ON DELETE CASCADE,
    digest        varchar(200) NOT NULL,
    size          bigint       NOT NULL CHECK (size >= 0),
    created_date  timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT blob_digest_key UNIQUE (registry_id, digest)
);
CREATE INDEX blob_registry_idx ON blob (registry_id, created_date);

-- which blobs (layers, configs) each manifest references; a referenced blob cannot be deleted
CREATE TABLE manifest_blob (
    manifest_id  bigint NOT NULL REFERENCES manifest (id) ON DELETE CASCADE,
    blob_id      bigint NOT NULL REFERENCES blob (id) ON DELETE RESTRICT,
    PRIMARY KEY (manifest_id, blob_id)
);
CREATE INDEX manifest_blob_blob_idx ON manifest_blob (blob_id);
