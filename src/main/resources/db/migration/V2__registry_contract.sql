-- Tenant isolation: every registry belongs to the contract (customer account) of the user who created it, and
-- every query filters by it. Registries created before this migration belong to no contract ('') and are visible
-- to nobody until an operator assigns them: UPDATE registry SET contract = '<id>' WHERE contract = '';
ALTER TABLE registry ADD COLUMN contract varchar(64) NOT NULL DEFAULT '';
ALTER TABLE registry ALTER COLUMN contract DROP DEFAULT;

-- Listing is keyset-paged by name within a contract.
CREATE INDEX registry_contract_name_idx ON registry (contract, name);
