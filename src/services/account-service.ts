import { hashPassword, UNUSABLE_HASH, verifyPassword } from '../auth/password-hash.js';
import type { HashingSlots } from '../auth/hashing-slots.js';
import { AccountError } from '../errors/account-error.js';
import type { Role } from '../store/api-keys-repository.js';
import type { LockoutRule, SignInAttemptsRepository } from '../store/sign-in-attempts-repository.js';
import type { Session, UserAccount, UsersRepository } from '../store/users-repository.js';

/** Long enough that a guessed or reused password is unlikely; no composition rules (NIST 800-63B). */
export const MIN_PASSWORD_LENGTH = 12;
/**
 * Five wrong passwords in a row from one address lock that address out of the account for 15
 * minutes: a few hundred guesses a day per address, while the reviewer elsewhere still signs in.
 */
export const LOCKOUT: LockoutRule = { maxFailures: 5, lockSeconds: 15 * 60 };

export interface AccountPorts {
  users: UsersRepository;
  signInAttempts: SignInAttemptsRepository;
  /** Every password hash goes through these slots: hashing is the costly part of a sign-in. */
  hashing: HashingSlots;
  sessionSeconds: number;
}

/** Workbench accounts: created by an admin, signed in with a password, held by a session cookie. */
export class AccountService {
  constructor(private readonly ports: AccountPorts) {}

  async create(username: string, password: string, role: Role): Promise<UserAccount> {
    if (password.length < MIN_PASSWORD_LENGTH)
      throw new AccountError(400, 'WEAK_PASSWORD', `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`);
    const hash = await this.ports.hashing.run(() => hashPassword(password));
    const account = await this.ports.users.create(username, hash, role);
    if (!account) throw new AccountError(409, 'ACCOUNT_EXISTS', `The user name ${username} is taken.`);
    return account;
  }

  disable(username: string): Promise<boolean> {
    return this.ports.users.disable(username);
  }

  /**
   * A new session for the right password; null otherwise, taking as long for an unknown name as for
   * a wrong password. `client` is the caller's address: after LOCKOUT.maxFailures wrong passwords in
   * a row from it, the account refuses every password from it, unchecked, for LOCKOUT.lockSeconds.
   * Throws SignInDeferredError when too many passwords are being checked already.
   */
  async signIn(
    username: string,
    password: string,
    client: string,
  ): Promise<{ token: string; csrfToken: string; user: UserAccount } | null> {
    const account = await this.ports.hashing.run(async () => {
      if (!(await this.ports.signInAttempts.admit(username, client, LOCKOUT))) return null;
      const found = await this.ports.users.findForSignIn(username);
      const valid = await verifyPassword(password, found?.passwordHash ?? UNUSABLE_HASH);
      return valid ? found : null;
    });
    if (!account) return null;
    await this.ports.signInAttempts.succeeded(username, client, LOCKOUT);
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
