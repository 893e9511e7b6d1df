-- Batch reprocessing (issue #5): human decisions, kept prior results, resumable batches.

-- Who decided the current status: NULL for the machine, else the reviewer. A re-run never
-- overwrites a human decision; it lists the claim for a second look instead.
ALTER TABLE claims ADD COLUMN decided_by text;

-- Every result a reprocessing batch replaced, in full: the history a re-run must not lose.
-- No foreign keys here and below: rows are copied from claims rows in the same transaction, and a
-- per-row referential check costs more than the rest of a re-assessment on the embedded database.
CREATE TABLE claim_result_versions (
  id              bigserial PRIMARY KEY,
  claim_id        text NOT NULL,
  status          text NOT NULL,
  policy_version  text NOT NULL,
  result          jsonb NOT NULL,
  -- The batch whose result replaced this one.
  replaced_by     text NOT NULL,
  replaced_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX claim_result_versions_claim_idx ON claim_result_versions (claim_id, id);

-- One applied re-run: what it re-runs and with which policy, and its selection frozen below.
CREATE TABLE reprocess_batches (
  id              text PRIMARY KEY,
  from_stage      text NOT NULL CHECK (from_stage IN ('read', 'extract', 'assess')),
  filter          text NOT NULL,
  policy_version  text NOT NULL,
  force           boolean NOT NULL,
  total           integer NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz
);

-- The frozen selection, in arrival order. done_at is written in the same transaction as the
-- claim's new result, so a batch resumed after a crash does no claim twice and skips none.
CREATE TABLE reprocess_batch_claims (
  batch_id       text NOT NULL,
  claim_id       text NOT NULL,
  seq            bigint NOT NULL,
  done_at        timestamptz,
  -- unchanged | updated | second_look (a reviewer decided; the machine now differs) | failed
  outcome        text,
  old_status     text,
  new_status     text,
  added_flags    jsonb,
  dropped_flags  jsonb,
  -- The machine's result where it was not applied (second_look), or why the claim failed.
  detail         jsonb,
  PRIMARY KEY (batch_id, claim_id)
);
CREATE INDEX reprocess_batch_claims_todo_idx ON reprocess_batch_claims (batch_id, seq) WHERE done_at IS NULL;
