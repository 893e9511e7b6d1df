import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as passwordHash from '../../../../src/auth/password-hash.js';
import { startEmbeddedApi, type EmbeddedApi } from '../../../support/embedded-api.js';

// Every password check the sign-in makes goes through this spy, which a test may also hold back.
vi.mock('../../../../src/auth/password-hash.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../../src/auth/password-hash.js')>();
  return { ...actual, verifyPassword: vi.fn(actual.verifyPassword) };
});
const verifyPassword = vi.mocked(passwordHash.verifyPassword);
const { verifyPassword: realVerify } = await vi.importActual<typeof import('../../../../src/auth/password-hash.js')>(
  '../../../../src/auth/password-hash.js',
);

const PER_ADDRESS = 15;
const PER_ACCOUNT = 8;

/**
 * Sign-in under attack: at most five guesses per account and address before that address is locked
 * out of the account (decided atomically, so a concurrent burst gets no more), rate limits per
 * address and per account, and a bounded number of password hashes at once.
 */
describe('sign-in limits', () => {
  let api: EmbeddedApi;
  let adminKey: string;
  const passwords: Record<string, string> = {};

  const signIn = async (username: string, password: string, address: string) => {
    const response = await api.app.inject({
      method: 'POST',
      url: '/review/api/session',
      remoteAddress: address,
      payload: { username, password },
    });
    return { status: response.statusCode, body: response.json(), retryAfter: response.headers['retry-after'] };
  };
  const createAccount = async (username: string) => {
    passwords[username] = `${username}-long-password`;
    const response = await api.app.inject({
      method: 'POST',
      url: '/admin/users',
      headers: { authorization: `Bearer ${adminKey}` },
      payload: { username, password: passwords[username], role: 'reviewer' },
    });
    expect(response.statusCode).toBe(201);
  };
  const guessesAt = (username: string) =>
    verifyPassword.mock.calls.filter(([password]) => password.startsWith(`guess-for-${username}`)).length;

  beforeAll(async () => {
    api = await startEmbeddedApi({
      env: {
        SIGN_IN_ATTEMPTS_PER_ADDRESS: String(PER_ADDRESS),
        SIGN_IN_ATTEMPTS_PER_ACCOUNT: String(PER_ACCOUNT),
        PASSWORD_HASH_CONCURRENCY: '2',
      },
    });
    adminKey = (await api.runtime.apiKeys.create('operations', 'admin')).key;
    for (const name of ['alice', 'bob', 'carol', 'dave', 'erin']) await createAccount(name);
  });
  afterAll(async () => {
    await api?.close();
  });
  beforeEach(() => {
    verifyPassword.mockImplementation(realVerify);
  });

  it('evaluates at most five guesses of a concurrent burst against one account', async () => {
    // Seven at once: within the rate limits and the hashing slots, so only the lock-out stands in their way.
    const burst = await Promise.all(Array.from({ length: 7 }, (_, i) => signIn('bob', `guess-for-bob-${i}`, '203.0.113.10')));
    expect(burst.every((answer) => answer.status !== 200)).toBe(true);
    expect(guessesAt('bob')).toBeLessThanOrEqual(5);
    // The right password from that address is refused too, until the lock ends.
    expect((await signIn('bob', passwords.bob!, '203.0.113.10')).status).toBe(401);
  });

  it('locks out the guessing address, not the reviewer signing in from elsewhere', async () => {
    for (let i = 0; i < 5; i++) expect((await signIn('alice', `guess-for-alice-${i}`, '203.0.113.66')).status).toBe(401);
    expect((await signIn('alice', passwords.alice!, '203.0.113.66')).status).toBe(401);
    expect((await signIn('alice', passwords.alice!, '198.51.100.7')).status).toBe(200);
  });

  it('limits sign-in attempts per address, whatever the account', async () => {
    for (let i = 0; i < PER_ADDRESS; i++) await signIn(`nobody-${i}`, `guess-for-nobody-${i}`, '192.0.2.50');
    const limited = await signIn('carol', passwords.carol!, '192.0.2.50');
    expect(limited.status).toBe(429);
    expect(limited.body.error).toBe('TOO_MANY_SIGN_INS');
    expect(Number(limited.retryAfter)).toBeGreaterThan(0);
    expect((await signIn('carol', passwords.carol!, '192.0.2.51')).status).toBe(200);
  });

  it('limits sign-in attempts per account, from whatever address', async () => {
    for (let i = 0; i < PER_ACCOUNT; i++) await signIn('dave', `guess-for-dave-${i}`, `198.18.0.${i + 1}`);
    const guessed = guessesAt('dave');
    const limited = await signIn('dave', `guess-for-dave-last`, '198.18.1.1');
    expect(limited.status).toBe(429);
    expect(limited.body.error).toBe('TOO_MANY_SIGN_INS');
    expect(guessesAt('dave')).toBe(guessed);
  });

  it('hashes at most two passwords at once and answers the excess at once with 503', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let running = 0;
    let mostAtOnce = 0;
    const settled: Array<{ status: number; retryAfter: unknown }> = [];
    let overrun!: () => void;
    const enoughSeen = new Promise<void>((resolve) => (overrun = resolve));
    verifyPassword.mockImplementation(async (password, stored) => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      if (running > 2) overrun();
      await held;
      running -= 1;
      return realVerify(password, stored);
    });
    // 2 hashing, 8 waiting (four per slot), and 2 more: those two are answered while the others wait.
    const answers = Array.from({ length: 12 }, (_, i) =>
      signIn(`erin-${i}`, `guess-for-erin-${i}`, `100.64.0.${i + 1}`).then((answer) => {
        settled.push(answer);
        if (settled.length === 2) overrun();
        return answer;
      }),
    );
    await enoughSeen;
    expect(mostAtOnce).toBeLessThanOrEqual(2);
    expect(settled.map((answer) => answer.status)).toEqual([503, 503]);
    expect(settled.every((answer) => Number(answer.retryAfter) > 0)).toBe(true);
    release();
    expect((await Promise.all(answers)).filter((a) => a.status === 401)).toHaveLength(10);
  });
});
