-- Signs the data plane's bearer tokens (the Docker/OCI token flow): shared by every instance on this database, so a
-- token issued by one instance is accepted by all. 256 bits from two random UUIDs, as the pagination key.
INSERT INTO service_secret (name, value)
VALUES ('bearer-token-key', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));
