import { hashPassword, UNUSABLE_HASH, verifyPassword } from '../auth/password-hash.js';
import { AccountError } from '../errors/account-error.js';
import type { Role } from '../store/api-keys-repository.js';
import type { Session, UserAccount, UsersRepository } from '../store/users-repository.js';

/** Long enough that a guessed or reused password is unlikely; no composition rules (NIST 800-63B). */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_FAILED_SIGN_INS = 5;
export const LOCK_SECONDS = 15 * 60;

/** Workbench accounts: created by an admin, signed in with a password, held by a session cookie. */
export class AccountService {
  constructor(private readonly ports: { users: UsersRepository; sessionSeconds: number }) {}

  async create(username: string, password: string, role: Role): Promise<UserAccount> {
    if (password.length < MIN_PASSWORD_LENGTH)
      throw new AccountError(400, 'WEAK_PASSWORD', `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`);
    const account = await this.ports.users.create(username, await hashPassword(password), role);
    if (!account) throw new AccountError(409, 'ACCOUNT_EXISTS', `The user name ${username} is taken.`);
    return account;
  }

  disable(username: string): Promise<boolean> {
    return this.ports.users.disable(username);
  }

  /**
   * A new session for the right password; null otherwise, taking as long for an unknown name as for
   * a wrong password. After MAX_FAILED_SIGN_INS wrong passwords in a row the account refuses every
   * password for LOCK_SECONDS, which caps online guessing at a few hundred tries a day.
   */
  async signIn(username: string, password: string): Promise<{ token: string; csrfToken: string; user: UserAccount } | null> {
    const account = await this.ports.users.findForSignIn(username);
    const valid = await verifyPassword(password, account?.passwordHash ?? UNUSABLE_HASH);
    if (!account || account.locked) return null;
    if (!valid) {
      await this.ports.users.recordFailedSignIn(account.id, MAX_FAILED_SIGN_INS, LOCK_SECONDS);
      return null;
    }
    await this.ports.users.recordSignIn(account.id);
    const { token, csrfToken } = await this.ports.users.startSession(account.id, this.ports.sessionSeconds);
    return { token, csrfToken, user: { id: account.id, username: account.username, role: account.role } };
  }

  session(token: string): Promise<Session | null> {
    return this.ports.users.session(token);
  }

  signOut(token: string): Promise<void> {
    return this.ports.users.endSession(token);
  }
}
