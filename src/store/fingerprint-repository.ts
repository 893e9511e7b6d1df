import type { FingerprintCandidate, ReceiptFingerprint } from '../domain/fraud.js';
import type { Database } from './database.js';

/**
 * Receipt fingerprints and their blocking keys: the SQL behind fuzzy reused-receipt look-ups. They
 * are written with the decision they belong to (ClaimsRepository.saveResult).
 */
export class FingerprintRepository {
  constructor(private readonly db: Database) {}

  /** The newest `limit` earlier claims (seq before `seq`) sharing a blocking key, with fingerprints. */
  async candidates(seq: number, blocks: string[], limit: number): Promise<FingerprintCandidate[]> {
    if (blocks.length === 0) return [];
    const rows = await this.db.query<{ id: string; request_number: string; file: string | null; fingerprint: ReceiptFingerprint }>(
      `SELECT c.id, c.request_number, c.file, f.fingerprint
         FROM (SELECT DISTINCT claim_id FROM receipt_blocks WHERE block = ANY($2::text[])) b
         JOIN claims c ON c.id = b.claim_id
         JOIN receipt_fingerprints f ON f.claim_id = b.claim_id
        WHERE c.seq < $1
        ORDER BY c.seq DESC
        LIMIT $3`,
      [seq, blocks, limit],
    );
    return rows.map((r) => ({ claimId: r.id, requestNumber: r.request_number, file: r.file, fingerprint: r.fingerprint }));
  }
}
