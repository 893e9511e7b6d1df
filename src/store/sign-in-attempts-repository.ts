import type { Database } from './database.js';

/** How many wrong passwords in a row one address may try on one account, and how long it then waits. */
export interface LockoutRule {
  maxFailures: number;
  lockSeconds: number;
}

/** Sign-in attempts per account name and client address: the lock-out against password guessing. */
export class SignInAttemptsRepository {
  constructor(private readonly db: Database) {}

  /**
   * Counts an attempt as a failure before its password is checked, and says whether it may be
   * checked: false while this address is locked out of this account. One statement decides, so of
   * a burst of parallel attempts at most `maxFailures` get through; the one that reaches the limit
   * sets the lock (a right password then lifts it, see `succeeded`). A count older than the lock
   * time starts over.
   */
  async admit(username: string, client: string, rule: LockoutRule): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO sign_in_failures AS f (username, client, failures, locked_until)
       VALUES ($1, $2, 1, CASE WHEN $3 <= 1 THEN now() + make_interval(secs => $4) END)
       ON CONFLICT (username, client) DO UPDATE
         SET failures = CASE WHEN f.last_attempt_at < now() - make_interval(secs => $4) THEN 1 ELSE f.failures + 1 END,
             locked_until = CASE
               WHEN (CASE WHEN f.last_attempt_at < now() - make_interval(secs => $4) THEN 1 ELSE f.failures + 1 END) >= $3
               THEN now() + make_interval(secs => $4)
             END,
             last_attempt_at = now()
         WHERE f.locked_until IS NULL OR f.locked_until <= now()
       RETURNING failures`,
      [username, client, rule.maxFailures, rule.lockSeconds],
    );
    return rows.length > 0;
  }

  /** The right password: this address starts over on this account. Counts gone stale are swept meanwhile. */
  async succeeded(username: string, client: string, rule: LockoutRule): Promise<void> {
    await this.db.query('DELETE FROM sign_in_failures WHERE username = $1 AND client = $2', [username, client]);
    // A lock is set by an attempt, so a row last tried longer ago than the lock time holds no lock.
    await this.db.query('DELETE FROM sign_in_failures WHERE last_attempt_at < now() - make_interval(secs => $1)', [rule.lockSeconds]);
  }
}
