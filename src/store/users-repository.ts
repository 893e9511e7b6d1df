import { createHash, randomBytes } from 'node:crypto';
import type { Role } from './api-keys-repository.js';
import type { Database } from './database.js';

export interface UserAccount {
  id: number;
  username: string;
  role: Role;
}

export interface Session {
  user: UserAccount;
  csrfToken: string;
  expiresAt: string;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** Workbench accounts and their browser sessions. */
export class UsersRepository {
  constructor(private readonly db: Database) {}

  /** null when the name is taken. */
  async create(username: string, passwordHash: string, role: Role): Promise<UserAccount | null> {
    const rows = await this.db.query<{ id: string }>(
      'INSERT INTO user_accounts (username, password_hash, role) VALUES ($1, $2, $3) ON CONFLICT (username) DO NOTHING RETURNING id',
      [username, passwordHash, role],
    );
    return rows[0] ? { id: Number(rows[0].id), username, role } : null;
  }

  async findForSignIn(username: string): Promise<(UserAccount & { passwordHash: string }) | null> {
    const rows = await this.db.query<{ id: string; username: string; role: Role; password_hash: string }>(
      'SELECT id, username, role, password_hash FROM user_accounts WHERE username = $1 AND disabled_at IS NULL',
      [username],
    );
    const r = rows[0];
    return r ? { id: Number(r.id), username: r.username, role: r.role, passwordHash: r.password_hash } : null;
  }

  /** Disables an account and ends its sessions at once. */
  async disable(username: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<{ id: string }>(
        'UPDATE user_accounts SET disabled_at = now() WHERE username = $1 AND disabled_at IS NULL RETURNING id',
        [username],
      );
      if (!rows[0]) return false;
      await tx.query('DELETE FROM user_sessions WHERE user_id = $1', [rows[0].id]);
      return true;
    });
  }

  /** Starts a session; the token goes into the cookie and is seen only now. */
  async startSession(userId: number, seconds: number): Promise<{ token: string; csrfToken: string }> {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    await this.db.query(
      `INSERT INTO user_sessions (token_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4))`,
      [hashOf(token), userId, csrfToken, seconds],
    );
    // Expired sessions are swept as new ones start, so the table does not grow without bound.
    await this.db.query('DELETE FROM user_sessions WHERE expires_at < now()');
    return { token, csrfToken };
  }

  async session(token: string): Promise<Session | null> {
    const rows = await this.db.query<{ id: string; username: string; role: Role; csrf_token: string; expires_at: Date }>(
      `SELECT u.id, u.username, u.role, s.csrf_token, s.expires_at
         FROM user_sessions s JOIN user_accounts u ON u.id = s.user_id
        WHERE s.token_hash = $1 AND s.expires_at > now() AND u.disabled_at IS NULL`,
      [hashOf(token)],
    );
    const r = rows[0];
    return r
      ? {
          user: { id: Number(r.id), username: r.username, role: r.role },
          csrfToken: r.csrf_token,
          expiresAt: new Date(r.expires_at).toISOString(),
        }
      : null;
  }

  async endSession(token: string): Promise<void> {
    await this.db.query('DELETE FROM user_sessions WHERE token_hash = $1', [hashOf(token)]);
  }
}
