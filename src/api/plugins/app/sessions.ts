import { timingSafeEqual } from 'node:crypto';
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { AccountService } from '../../../services/account-service.js';
import type { Role } from '../../../store/api-keys-repository.js';
import type { UserAccount } from '../../../store/users-repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * A preHandler admitting only a signed-in person with one of `roles`. Requests that change
     * anything must also carry the session's CSRF token in `X-CSRF-Token`.
     */
    requireSession(...roles: Role[]): preHandlerAsyncHookHandler;
    setSessionCookie(reply: FastifyReply, token: string | null): void;
  }
  interface FastifyRequest {
    user: UserAccount | null;
  }
}

export const SESSION_COOKIE = 'warranty_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface SessionOptions {
  accounts: AccountService;
  sessionSeconds: number;
  /** Secure cookies: sent over HTTPS only (browsers also accept them from http://localhost). */
  secureCookie: boolean;
}

/**
 * Browser sessions for the reviewer workbench: an opaque token in an HttpOnly, SameSite=Strict
 * cookie (the session lives in Postgres, so signing out or disabling an account ends it at once),
 * and a per-session CSRF token that every state-changing request must echo in a header.
 */
export default fp(async function sessions(app: FastifyInstance, options: SessionOptions) {
  await app.register(cookie);
  app.decorateRequest('user', null);
  app.decorate('setSessionCookie', (reply: FastifyReply, token: string | null) => {
    reply.setCookie(SESSION_COOKIE, token ?? '', {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: options.secureCookie,
      maxAge: token ? options.sessionSeconds : 0,
    });
  });
  app.decorate('requireSession', (...roles: Role[]) => async (request: FastifyRequest, reply: FastifyReply) => {
    const token = request.cookies[SESSION_COOKIE];
    const session = token ? await options.accounts.session(token) : null;
    if (!session) return reply.code(401).send({ error: 'unauthorized', message: 'Please sign in.' });
    if (!roles.includes(session.user.role)) {
      return reply.code(403).send({
        error: 'forbidden',
        message: `Your account (${session.user.username}, role ${session.user.role}) may not use this; it needs the role ${roles.join(' or ')}.`,
      });
    }
    if (!SAFE_METHODS.has(request.method) && !sameToken(request.headers['x-csrf-token'], session.csrfToken)) {
      return reply.code(403).send({ error: 'csrf', message: 'The request lacks the session’s CSRF token; reload the page.' });
    }
    request.user = session.user;
  });
});

function sameToken(presented: string | string[] | undefined, expected: string): boolean {
  if (typeof presented !== 'string') return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
