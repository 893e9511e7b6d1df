-- What a reviewer asked the customer for, while the claim waits for the answer: the items and note
-- (as the 'reviewed' event records them), when it was asked, and when the one reminder goes out
-- and the claim is closed unanswered, by the policy in force when it was asked (its version and
-- rule kept, so the closing names them). One row per claim: asking again replaces it. Written by
-- ClaimStateWriter with the claim's status; a row whose claim left awaiting_customer is inert.
CREATE TABLE customer_requests (
  claim_id        text PRIMARY KEY REFERENCES claims (id) ON DELETE CASCADE,
  -- The 'reviewed' event that asked: undoing that decision removes the request.
  reviewed_event  bigint NOT NULL,
  request         jsonb NOT NULL,
  asked_at        timestamptz NOT NULL,
  -- Null under a policy without a response window: the claim then waits without a deadline.
  remind_at       timestamptz,
  deadline        timestamptz,
  policy_version  text NOT NULL,
  rule            jsonb,
  reminded_at     timestamptz
);
-- The closer's two look-ups: requests past their deadline, and reminders due and not yet sent.
CREATE INDEX customer_requests_deadline_idx ON customer_requests (deadline) WHERE deadline IS NOT NULL;
CREATE INDEX customer_requests_remind_idx ON customer_requests (remind_at) WHERE reminded_at IS NULL AND remind_at IS NOT NULL;
