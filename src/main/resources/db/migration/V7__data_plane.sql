-- The OCI data plane: manifests are kept byte for byte (their digest is that of these exact bytes), with what the
-- referrers API and GC need; upload sessions; pull and push counts for the repositories API.

ALTER TABLE manifest
    ADD COLUMN content        bytea,
    ADD COLUMN artifact_type  varchar(255),
    -- the digest of the manifest this one refers to (OCI 1.1 subject); it need not exist
    ADD COLUMN subject        varchar(200),
    ADD COLUMN annotations    jsonb,
    ADD COLUMN push_count     bigint       NOT NULL DEFAULT 0,
    ADD COLUMN pull_count     bigint       NOT NULL DEFAULT 0,
    ADD COLUMN last_pushed_at timestamptz,
    ADD COLUMN last_pulled_at timestamptz;
CREATE INDEX manifest_subject_idx ON manifest (repository_id, subject) WHERE subject IS NOT NULL;

-- the manifests an image index lists: a listed manifest is in use while its index is
CREATE TABLE manifest_child (
    manifest_id  bigint NOT NULL REFERENCES manifest (id) ON DELETE CASCADE,
    child_id     bigint NOT NULL REFERENCES manifest (id) ON DELETE RESTRICT,
    PRIMARY KEY (manifest_id, child_id)
);
CREATE INDEX manifest_child_child_idx ON manifest_child (child_id);

ALTER TABLE repository
    ADD COLUMN push_count     bigint       NOT NULL DEFAULT 0,
    ADD COLUMN pull_count     bigint       NOT NULL DEFAULT 0,
    ADD COLUMN last_pushed_at timestamptz,
    ADD COLUMN last_pulled_at timestamptz;

-- an upload in progress: its bytes are in the blob store's temporary area under its id until it is finished
CREATE TABLE upload (
    id            uuid         PRIMARY KEY,
    registry_id   uuid         NOT NULL REFERENCES registry (id) ON DELETE CASCADE,
    repository    varchar(255) NOT NULL,
    size          bigint       NOT NULL DEFAULT 0,
    created_date  timestamptz  NOT NULL DEFAULT now(),
    updated_date  timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX upload_updated_idx ON upload (updated_date);
