-- Idempotent creates: a POST /registries with an Idempotency-Key records the key in the transaction that creates
-- the registry. A retry with the same key finds the row (or waits on it while the first request is still running)
-- and answers the registry it created; a failed create rolls its key back with it, so only successes are replayed.
CREATE TABLE idempotency_key (
    contract      varchar(64)  NOT NULL,
    key           varchar(255) NOT NULL,
    -- SHA-256 of the request, to refuse the same key with another body
    request_hash  varchar(64)  NOT NULL,
    registry_id   uuid         NOT NULL,
    created_at    timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (contract, key)
);
-- expiry
CREATE INDEX idempotency_key_created_idx ON idempotency_key (created_at);
