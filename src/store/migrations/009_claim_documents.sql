-- A claim's documents (issue 18): the first upload and every one added later (a sharper photo, the
-- serial label, the retailer's proof), in order. The same bytes twice on one claim are one document.
CREATE TABLE claim_documents (
  claim_id     text NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
  -- 0 = the first upload; the order the documents arrived in.
  position     integer NOT NULL CHECK (position >= 0),
  sha256       text NOT NULL,
  -- Object-storage key (content address) in distributed mode; null in embedded mode, where the
  -- receipt store finds the file by its hash.
  receipt_key  text,
  -- The client's file name, for people only.
  file         text,
  -- How it came: over the API or from the warranty CLI.
  added_by     text NOT NULL CHECK (added_by IN ('api', 'cli')),
  added_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (claim_id, position),
  UNIQUE (claim_id, sha256)
);

-- Every claim so far had one document at most: its receipt.
INSERT INTO claim_documents (claim_id, position, sha256, receipt_key, file, added_by, added_at)
SELECT id, 0, document_hash, receipt_key, file, CASE WHEN tenant IS NULL THEN 'cli' ELSE 'api' END, created_at
  FROM claims WHERE document_hash IS NOT NULL;

-- The per-document stages (intake, read, signals, extract) are kept per document; the claim-wide
-- ones (form, assess) under document 0. Outputs stored so far were all of document 0.
ALTER TABLE stage_outputs ADD COLUMN document integer NOT NULL DEFAULT 0;
ALTER TABLE stage_outputs DROP CONSTRAINT stage_outputs_pkey;
ALTER TABLE stage_outputs ADD PRIMARY KEY (claim_id, stage, document);
