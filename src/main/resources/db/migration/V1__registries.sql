-- Container registries. Names are global (they become hostnames), so uniqueness is the database's job:
-- two racing creates cannot both win.
CREATE TABLE registry (
    id                        uuid         PRIMARY KEY,
    name                      varchar(63)  COLLATE "C" NOT NULL CONSTRAINT registry_name_key UNIQUE,
    location                  varchar(64)  NOT NULL,
    hostname                  varchar(253),
    state                     varchar(16)  NOT NULL CONSTRAINT registry_state_check CHECK (state IN ('BUSY', 'RUNNING', 'FAILED')),
    -- days of the weekly GC schedule as a bit set: Monday = 1, Tuesday = 2, ... Sunday = 64
    gc_days                   smallint     NOT NULL CONSTRAINT registry_gc_days_check CHECK (gc_days BETWEEN 1 AND 127),
    gc_time                   time(0)      NOT NULL,
    vulnerability_scanning    boolean      NOT NULL,
    -- canonical CIDRs separated by ','; empty means no restriction
    api_subnet_allow_list     text         NOT NULL DEFAULT '',
    storage_bytes             bigint       NOT NULL DEFAULT 0,
    storage_updated_at        timestamptz,
    created_by                varchar(255) NOT NULL,
    created_by_user_id        varchar(64)  NOT NULL,
    created_date              timestamptz  NOT NULL,
    last_modified_by          varchar(255) NOT NULL,
    last_modified_by_user_id  varchar(64)  NOT NULL,
    last_modified_date        timestamptz  NOT NULL,
    version                   integer      NOT NULL DEFAULT 0
);

-- The provisioner looks for registries that still wait for it.
CREATE INDEX registry_busy_idx ON registry (id) WHERE state = 'BUSY';

-- Secrets the service generates for itself, shared by every instance on this database.
CREATE TABLE service_secret (
    name  varchar(64) PRIMARY KEY,
    value text        NOT NULL
);

-- Signs pagination tokens so that a tampered token is refused (gen_random_uuid is built into PostgreSQL 13+).
INSERT INTO service_secret (name, value)
VALUES ('pagination-token-key', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));
