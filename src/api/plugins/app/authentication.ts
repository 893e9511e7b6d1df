import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { ApiKeyOwner, ApiKeysRepository, Role } from '../../../store/api-keys-repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** A preHandler admitting only callers whose API key (Bearer or X-Api-Key) has one of `roles`. */
    requireRole(...roles: Role[]): preHandlerAsyncHookHandler;
    /**
     * The same for pages a person opens in a browser (the queue dashboard): HTTP Basic with the key
     * as the password is accepted too, so the browser's own login prompt works.
     */
    requireRoleInBrowser(...roles: Role[]): preHandlerAsyncHookHandler;
    /** Who the request's API key (Bearer or X-Api-Key) belongs to; null when anonymous or not a valid key. */
    identifyCaller(request: FastifyRequest): Promise<ApiKeyOwner | null>;
  }
  interface FastifyRequest {
    caller: ApiKeyOwner | null;
  }
}

const BEARER_CHALLENGE = 'Bearer realm="warranty"';
// One challenge per header: Chromium ignores a header that lists two schemes, and shows no login prompt.
const BROWSER_CHALLENGES = ['Basic realm="warranty", charset="UTF-8"', BEARER_CHALLENGE];

/**
 * API keys with roles, sent as `Authorization: Bearer <key>` or `X-Api-Key`. HTTP Basic only where
 * a browser needs it: Basic credentials are sent by browsers on their own, to every page of the
 * origin, so accepting them everywhere would hand a logged-in browser's key to any API route.
 */
export default fp(async function authentication(app: FastifyInstance, options: { apiKeys: ApiKeysRepository }) {
  const guard = (roles: Role[], acceptBasic: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    const presented = presentedKey(request, acceptBasic);
    const owner = presented.key ? await options.apiKeys.find(presented.key) : null;
    if (!owner) {
      return reply
        .code(401)
        .header('www-authenticate', acceptBasic ? BROWSER_CHALLENGES : BEARER_CHALLENGE)
        .send({ error: 'unauthorized', message: unauthorizedMessage(presented) });
    }
    if (!roles.includes(owner.role)) {
      return reply.code(403).send({ error: 'forbidden', message: `This needs the role ${roles.join(' or ')}; the key has ${owner.role}.` });
    }
    request.caller = owner;
  };

  app.decorateRequest('caller', null);
  app.decorate('requireRole', (...roles: Role[]) => guard(roles, false));
  app.decorate('requireRoleInBrowser', (...roles: Role[]) => guard(roles, true));
  app.decorate('identifyCaller', async (request: FastifyRequest) => {
    const { key } = presentedKey(request, false);
    return key ? options.apiKeys.find(key) : null;
  });
});

interface PresentedKey {
  key: string | null;
  /** HTTP Basic sent where it is not accepted. */
  basicRefused: boolean;
}

function presentedKey(request: FastifyRequest, acceptBasic: boolean): PresentedKey {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return { key: header.slice(7).trim() || null, basicRefused: false };
  if (header?.startsWith('Basic ')) {
    if (!acceptBasic) return { key: null, basicRefused: true };
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    return { key: decoded.slice(decoded.indexOf(':') + 1) || null, basicRefused: false };
  }
  const apiKey = request.headers['x-api-key'];
  return { key: typeof apiKey === 'string' && apiKey ? apiKey : null, basicRefused: false };
}

function unauthorizedMessage(presented: PresentedKey): string {
  if (presented.key) return 'This API key is not valid.';
  if (presented.basicRefused) return 'HTTP Basic is accepted by the queue dashboard only; send the API key as Authorization: Bearer <key>.';
  return 'An API key is required.';
}
