-- Which repositories of a registry hold a blob. The bytes are stored once per registry, but a blob is served,
-- mounted from, referenced by a manifest and deleted per repository, as the distribution spec addresses it: a token
-- scoped to some repositories reaches no blob of the others, whatever digest it names.
CREATE TABLE repository_blob (
    repository_id  bigint NOT NULL REFERENCES repository (id) ON DELETE CASCADE,
    blob_id        bigint NOT NULL REFERENCES blob (id) ON DELETE CASCADE,
    PRIMARY KEY (repository_id, blob_id)
);
CREATE INDEX repository_blob_blob_idx ON repository_blob (blob_id);

-- what each repository served until now: the blobs its manifests use ...
INSERT INTO repository_blob (repository_id, blob_id)
SELECT DISTINCT m.repository_id, mb.blob_id FROM manifest_blob mb JOIN manifest m ON m.id = mb.manifest_id;
-- ... and a blob no manifest uses yet (a layer pushed before its manifest) in every repository of its registry, as
-- every one of them served it
INSERT INTO repository_blob (repository_id, blob_id)
SELECT r.id, b.id FROM blob b JOIN repository r ON r.registry_id = b.registry_id
WHERE NOT EXISTS (SELECT 1 FROM manifest_blob mb WHERE mb.blob_id = b.id)
ON CONFLICT DO NOTHING;
