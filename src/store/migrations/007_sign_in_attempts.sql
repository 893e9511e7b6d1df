-- Wrong passwords in a row, per account name and client address, and until when that address may
-- not try that account again (password guessing). Kept per address, so a guesser locks out itself,
-- not the reviewer signing in from elsewhere; an attempt is counted before its password is
-- checked, so a burst of parallel guesses cannot slip past the count. Names that match no account
-- are counted too, so a lock-out does not tell which names exist.
CREATE TABLE sign_in_failures (
  username         text NOT NULL,
  client           text NOT NULL,
  failures         integer NOT NULL,
  locked_until     timestamptz,
  last_attempt_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (username, client)
);
CREATE INDEX sign_in_failures_last_attempt_idx ON sign_in_failures (last_attempt_at);

-- The per-account count these replace: anyone could lock any account with five wrong passwords.
ALTER TABLE user_accounts DROP COLUMN failed_sign_ins, DROP COLUMN locked_until;
