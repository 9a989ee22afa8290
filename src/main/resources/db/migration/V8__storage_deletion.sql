-- Bytes the blob store is to delete. A row is written in the same transaction that forgets the bytes' metadata (a
-- blob swept or deleted, an upload abandoned, a registry deleted) and removed only once the store deleted them: a
-- crash in between loses nothing and leaks nothing, the next drain finishes the work. A push of the same blob takes
-- its row back in its own transaction, so bytes pushed again are never deleted.
CREATE TABLE storage_deletion (
    id           bigserial    PRIMARY KEY,
    -- BLOB: a blob's bytes; UPLOAD: an upload's temporary bytes; REGISTRY: everything a registry stored
    kind         varchar(8)   NOT NULL CONSTRAINT storage_deletion_kind_check CHECK (kind IN ('BLOB', 'UPLOAD', 'REGISTRY')),
    -- no foreign key: the row outlives a deleted registry
    registry_id  uuid         NOT NULL,
    -- what to delete: a blob's digest, an upload's id, or the registry's id
    item         varchar(200) NOT NULL,
    size         bigint       NOT NULL DEFAULT 0,
    -- when to try (again): a deletion the store failed is retried later, behind the others
    not_before   timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX storage_deletion_due_idx ON storage_deletion (not_before, id);
CREATE INDEX storage_deletion_item_idx ON storage_deletion (registry_id, item);
