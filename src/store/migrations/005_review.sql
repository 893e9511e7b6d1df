-- The reviewer workbench: accounts, sessions, leases, reviewer corrections, and the queue's indexes.

-- claims.decided_by (the reviewer, once a person has decided) comes from 004_reprocessing.sql.

-- People who sign in to the workbench. Only an scrypt hash of the password is kept.
CREATE TABLE user_accounts (
  id             bigserial PRIMARY KEY,
  username       text UNIQUE NOT NULL,
  password_hash  text NOT NULL,
  role           text NOT NULL CHECK (role IN ('submitter', 'reviewer', 'admin')),
  created_at     timestamptz NOT NULL DEFAULT now(),
  disabled_at    timestamptz,
  -- Wrong passwords in a row, and until when sign-in is refused after too many (password guessing).
  failed_sign_ins  integer NOT NULL DEFAULT 0,
  locked_until     timestamptz
);

-- Browser sessions: the cookie holds a random token, the table its sha256 and the CSRF token.
CREATE TABLE user_sessions (
  token_hash  text PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES user_accounts (id) ON DELETE CASCADE,
  csrf_token  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);
CREATE INDEX user_sessions_expiry_idx ON user_sessions (expires_at);

-- One reviewer at a time per claim: a lease row, taken atomically, that expires on its own.
CREATE TABLE review_leases (
  claim_id    text PRIMARY KEY REFERENCES claims (id) ON DELETE CASCADE,
  user_id     bigint NOT NULL REFERENCES user_accounts (id) ON DELETE CASCADE,
  username    text NOT NULL,
  taken_at    timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);

-- Reviewer corrections of extracted fields, kept as labelled examples for the evaluation.
CREATE TABLE review_corrections (
  id                  bigserial PRIMARY KEY,
  claim_id            text NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
  document_hash       text,
  field               text NOT NULL,
  machine_value       text,
  machine_confidence  double precision,
  machine_source      text,
  machine_location    jsonb,
  corrected_value     text,
  extract_version     text,
  reviewer            text NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX review_corrections_claim_idx ON review_corrections (claim_id);

-- The review queue, oldest first, stays an index range scan at 100 000 claims: partial indexes
-- over needs_review only, keyed (created_at, seq) for keyset pagination, with family and retailer
-- as indexed expressions over the stored result (no second copy to keep in step).
CREATE INDEX claims_review_queue_idx ON claims (created_at, seq) WHERE status = 'needs_review';
CREATE INDEX claims_review_family_idx ON claims ((result -> 'warranty' ->> 'family'), created_at, seq) WHERE status = 'needs_review';
CREATE INDEX claims_review_retailer_idx ON claims ((result -> 'fields' -> 'retailer' ->> 'value'), created_at, seq) WHERE status = 'needs_review';

-- Flags are many per claim, and some are rare: one row per (flag, claim needing review), keyed in
-- queue order, so a flag's page is a range scan however few claims carry it (a GIN index left the
-- planner walking the whole queue for a rare flag). Kept in step by the repositories that change
-- a claim's status or result.
CREATE TABLE review_queue_flags (
  code        text NOT NULL,
  created_at  timestamptz NOT NULL,
  seq         bigint NOT NULL,
  claim_id    text NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
  PRIMARY KEY (code, created_at, seq)
);
CREATE INDEX review_queue_flags_claim_idx ON review_queue_flags (claim_id);
INSERT INTO review_queue_flags (code, created_at, seq, claim_id)
  SELECT DISTINCT f ->> 'code', c.created_at, c.seq, c.id
    FROM claims c, jsonb_array_elements(c.result -> 'flags') AS f
   WHERE c.status = 'needs_review';
