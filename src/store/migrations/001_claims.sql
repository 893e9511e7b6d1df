-- Claims, their history, and the registries that make duplicates visible.
CREATE TABLE claims (
  id              text PRIMARY KEY,
  -- Monotonic arrival order: "earlier claim" for duplicate checks means a smaller seq.
  seq             bigserial UNIQUE NOT NULL,
  request_number  text UNIQUE NOT NULL,
  file            text,
  document_hash   text,
  status          text NOT NULL,
  policy_version  text NOT NULL,
  result          jsonb NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX claims_status_idx ON claims (status, created_at);
CREATE INDEX claims_document_hash_idx ON claims (document_hash);

-- Every state change of a claim, append-only: the audit trail.
CREATE TABLE claim_events (
  id          bigserial PRIMARY KEY,
  claim_id    text NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
  kind        text NOT NULL,
  data        jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX claim_events_claim_idx ON claim_events (claim_id, id);

-- Each stage's output with the version that made it and the hash of its input, so a re-run
-- recomputes only what changed.
CREATE TABLE stage_outputs (
  claim_id       text NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
  stage          text NOT NULL,
  stage_version  text NOT NULL,
  input_hash     text NOT NULL,
  output         jsonb NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (claim_id, stage)
);

-- Identifiers seen on claims: serial/IMEI (normalised), receipt hash and receipt content key.
CREATE TABLE claim_identifiers (
  kind      text NOT NULL CHECK (kind IN ('serial', 'receipt_hash', 'receipt_content')),
  value     text NOT NULL,
  claim_id  text NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
  PRIMARY KEY (kind, value, claim_id)
);
CREATE INDEX claim_identifiers_claim_idx ON claim_identifiers (claim_id);
