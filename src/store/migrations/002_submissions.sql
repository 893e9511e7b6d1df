-- Distributed mode: a claim is submitted over HTTP and processed by queue workers, which read the
-- form and the receipt from here and from object storage (job payloads carry only the claim id).
ALTER TABLE claims ADD COLUMN form jsonb;
-- Object-storage key of the receipt (its sha256); null in embedded mode, where the file is local.
ALTER TABLE claims ADD COLUMN receipt_key text;

-- API keys: only a hash is kept, so a leaked database does not leak keys.
CREATE TABLE api_keys (
  id          bigserial PRIMARY KEY,
  key_hash    text UNIQUE NOT NULL,
  name        text NOT NULL,
  role        text NOT NULL CHECK (role IN ('submitter', 'reviewer', 'admin')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);
