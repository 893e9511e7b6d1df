-- "New claims in the queue since you loaded it": a range scan of the claims needing review updated
-- since then, polled by every open queue page, however long the queue.
CREATE INDEX claims_review_updated_idx ON claims (updated_at) WHERE status = 'needs_review';
