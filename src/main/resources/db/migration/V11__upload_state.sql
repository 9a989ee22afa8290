-- Uploads any instance can continue: the blob store's note of where an upload's bytes are (an S3 multipart
-- upload's id and parts; empty for the directory store), and until when a request writes to it (one at a time,
-- across instances; a crashed writer's claim runs out).
ALTER TABLE upload
    ADD COLUMN store_note    text        NOT NULL DEFAULT '',
    ADD COLUMN writing_until timestamptz;
