-- The transactional outbox: follow-up jobs a decision asks for (re-checking later, already decided
-- claims that share an identifier or a receipt's blocking key), written in the decision's own
-- transaction, so a crash right after the commit cannot lose them. A relay hands each entry to the
-- queue under a job id made from the entry's id; the job deletes the entry once it has done its
-- work, so an entry whose job Redis lost, or that ran out of retries, is handed over again.
CREATE TABLE job_outbox (
  id          bigserial PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('recheck')),
  -- The claim the job works on, and the claim whose decision asked for it.
  claim_id    text NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
  cause_id    text NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  relayed_at  timestamptz
);
CREATE INDEX job_outbox_unrelayed_idx ON job_outbox (id) WHERE relayed_at IS NULL;
CREATE INDEX job_outbox_relayed_idx ON job_outbox (relayed_at) WHERE relayed_at IS NOT NULL;
