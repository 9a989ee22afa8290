-- Tokens: credentials for machines (CI systems, clusters), per registry, with scopes and an expiry. Only a slow,
-- salted hash of the password is stored; the password itself is shown once, in the answer to the create.
CREATE TABLE token (
    id                        uuid         PRIMARY KEY,
    registry_id               uuid         NOT NULL REFERENCES registry (id) ON DELETE CASCADE,
    name                      varchar(63)  NOT NULL,
    -- the Basic-auth user name, derived from the name; unique per registry like the name
    username                  varchar(63)  NOT NULL,
    password_hash             varchar(255) NOT NULL,
    -- null: the token does not expire
    expiry_date               timestamptz,
    status                    varchar(8)   NOT NULL CONSTRAINT token_status_check CHECK (status IN ('enabled', 'disabled')),
    -- [{"name": "team/*", "type": "repository", "actions": ["pull", "push"]}, …]
    scopes                    jsonb        NOT NULL DEFAULT '[]',
    created_by                varchar(255) NOT NULL,
    created_by_user_id        varchar(255) NOT NULL,
    created_date              timestamptz  NOT NULL,
    last_modified_by          varchar(255) NOT NULL,
    last_modified_by_user_id  varchar(255) NOT NULL,
    last_modified_date        timestamptz  NOT NULL,
    CONSTRAINT token_name_key UNIQUE (registry_id, name),
    CONSTRAINT token_username_key UNIQUE (registry_id, username)
);
CREATE INDEX token_registry_created_idx ON token (registry_id, created_date, id);
