import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SignInLimits } from '../../../config/env.js';
import { SignInDeferredError } from '../../../errors/sign-in-deferred-error.js';

const WINDOW_MS = 15 * 60 * 1000;

/**
 * The client a sign-in comes from, as limits and lock-outs count it: its address (from a trusted
 * proxy's X-Forwarded-For, see API_TRUSTED_PROXIES), an IPv6 address by its /64, which one host
 * commonly holds whole.
 */
export function clientAddress(request: FastifyRequest): string {
  return normalizeIP(request.ip, 64);
}

/**
 * Rate limits on sign-in, before any password is checked: per client address (whatever the
 * account; onRequest, before the body is read) and per account (from whatever address;
 * preHandler, once the body names it). They are counted in this process; the lock-out per account
 * and address (SignInAttemptsRepository) holds across processes.
 */
export async function signInLimiters(app: FastifyInstance, limits: SignInLimits) {
  await app.register(rateLimit, { global: false });
  const perAddress = app.createRateLimit({ max: limits.attemptsPerAddress, timeWindow: WINDOW_MS, keyGenerator: clientAddress });
  const perAccount = app.createRateLimit({
    max: limits.attemptsPerAccount,
    timeWindow: WINDOW_MS,
    keyGenerator: (request) => (request.body as { username: string }).username,
  });
  const refuseOver = (verdict: Awaited<ReturnType<typeof perAddress>>, whose: string) => {
    if (verdict.isAllowed || !verdict.isExceeded) return;
    const minutes = Math.ceil(verdict.ttlInSeconds / 60);
    throw new SignInDeferredError(
      429,
      'TOO_MANY_SIGN_INS',
      `Too many sign-in attempts ${whose}; try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      verdict.ttlInSeconds,
    );
  };
  return {
    perAddress: async (request: FastifyRequest) => refuseOver(await perAddress(request), 'from this address'),
    perAccount: async (request: FastifyRequest) => refuseOver(await perAccount(request), 'for this account'),
  };
}
