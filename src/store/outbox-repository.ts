import type { OutboxEntry } from '../domain/outbox.js';
import type { Database } from './database.js';

type OutboxRow = { id: string; kind: 'recheck'; claim_id: string; cause_id: string };
const entryOf = (r: OutboxRow): OutboxEntry => ({ id: Number(r.id), kind: r.kind, claimId: r.claim_id, causeId: r.cause_id });

/**
 * The relay's side of the transactional outbox (job_outbox): entries are written by the decision
 * that asks for them (ClaimsRepository.saveResult), handed to the queue here, and deleted by the
 * job once its work is done.
 */
export class OutboxRepository {
  constructor(private readonly db: Database) {}

  /**
   * Hands up to `limit` entries not yet relayed to `publish` and marks them relayed once it has
   * returned, in one transaction: a relay that dies mid-way leaves them to be published again (the
   * job ids make that a no-op), and entries another relay holds are skipped, not waited for.
   */
  async relayPending(limit: number, publish: (entries: OutboxEntry[]) => Promise<void>): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<OutboxRow>(
        `SELECT id, kind, claim_id, cause_id FROM job_outbox WHERE relayed_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return 0;
      await publish(rows.map(entryOf));
      await tx.query('UPDATE job_outbox SET relayed_at = now() WHERE id = ANY($1::bigint[])', [rows.map((r) => r.id)]);
      return rows.length;
    });
  }

  /** Entries relayed over `ageMs` ago and still not done (their job may be lost or failed), after `afterId`. */
  async relayedBefore(ageMs: number, afterId: number, limit: number): Promise<OutboxEntry[]> {
    const rows = await this.db.query<OutboxRow>(
      `SELECT id, kind, claim_id, cause_id FROM job_outbox
        WHERE relayed_at < now() - make_interval(secs => $1::double precision / 1000) AND id > $2
        ORDER BY id LIMIT $3`,
      [ageMs, afterId, limit],
    );
    return rows.map(entryOf);
  }

  /** The entry's work is done (or will never be): it goes. */
  async remove(id: number): Promise<void> {
    await this.db.query('DELETE FROM job_outbox WHERE id = $1', [id]);
  }
}
