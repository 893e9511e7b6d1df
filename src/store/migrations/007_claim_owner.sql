-- Who submitted a claim over the API: the owner (tenant) of the submitting API key, i.e. the name
-- it was created with (warranty api-key create --name). A submitter reads only its own claims;
-- reviewers and admins read every claim. Null for claims taken in by the CLI and for claims
-- submitted before this column existed: those are read by reviewers and admins only.
ALTER TABLE claims ADD COLUMN tenant text;
