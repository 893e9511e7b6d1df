import { createHash, randomBytes } from 'node:crypto';
import type { Database } from './database.js';

export const ROLES = ['submitter', 'reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiKeyOwner {
  id: number;
  name: string;
  role: Role;
}

const hashOf = (key: string) => createHash('sha256').update(key).digest('hex');

/** API keys and their roles. Keys are random 256-bit tokens, so a plain sha256 is enough to store them. */
export class ApiKeysRepository {
  constructor(private readonly db: Database) {}

  /** Creates a key; the only time the key itself is seen. */
  async create(name: string, role: Role): Promise<{ key: string; owner: ApiKeyOwner }> {
    const key = `wk_${randomBytes(32).toString('base64url')}`;
    const rows = await this.db.query<{ id: string }>('INSERT INTO api_keys (key_hash, name, role) VALUES ($1, $2, $3) RETURNING id', [
      hashOf(key),
      name,
      role,
    ]);
    return { key, owner: { id: Number(rows[0]!.id), name, role } };
  }

  async find(key: string): Promise<ApiKeyOwner | null> {
    const rows = await this.db.query<{ id: string; name: string; role: Role }>(
      'SELECT id, name, role FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
      [hashOf(key)],
    );
    const r = rows[0];
    return r ? { id: Number(r.id), name: r.name, role: r.role } : null;
  }

  async revoke(id: number): Promise<boolean> {
    const rows = await this.db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id', [id]);
    return rows.length > 0;
  }
}
