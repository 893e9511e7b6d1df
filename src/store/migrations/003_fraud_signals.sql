-- Receipt fingerprints for fuzzy reused-receipt detection (issue #6). A receipt is found again by
-- blocking keys (two of retailer, date, model agreeing exactly, or its serial/IMEI), then scored on
-- its full fingerprint; the keys keep the look-up an index probe however many claims there are.
CREATE TABLE receipt_fingerprints (
  claim_id     text PRIMARY KEY REFERENCES claims (id) ON DELETE CASCADE,
  fingerprint  jsonb NOT NULL
);

CREATE TABLE receipt_blocks (
  block     text NOT NULL,
  claim_id  text NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
  PRIMARY KEY (block, claim_id)
);
CREATE INDEX receipt_blocks_claim_idx ON receipt_blocks (claim_id);
