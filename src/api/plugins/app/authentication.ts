import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { ApiKeyOwner, ApiKeysRepository, Role } from '../../../store/api-keys-repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** A preHandler admitting only callers whose API key has one of `roles`. */
    requireRole(...roles: Role[]): preHandlerAsyncHookHandler;
  }
  interface FastifyRequest {
    caller: ApiKeyOwner | null;
  }
}

/**
 * API keys with roles. The key comes as `Authorization: Bearer <key>`, as `X-Api-Key`, or as the
 * password of HTTP Basic, so a browser can open the dashboard with its own login prompt.
 */
export default fp(async function authentication(app: FastifyInstance, options: { apiKeys: ApiKeysRepository }) {
  app.decorateRequest('caller', null);
  app.decorate('requireRole', (...roles: Role[]) => async (request: FastifyRequest, reply: FastifyReply) => {
    const key = presentedKey(request);
    const owner = key ? await options.apiKeys.find(key) : null;
    if (!owner) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer, Basic realm="warranty", charset="UTF-8"')
        .send({ error: 'unauthorized', message: key ? 'This API key is not valid.' : 'An API key is required.' });
    }
    if (!roles.includes(owner.role)) {
      return reply.code(403).send({ error: 'forbidden', message: `This needs the role ${roles.join(' or ')}; the key has ${owner.role}.` });
    }
    request.caller = owner;
  });
});

function presentedKey(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim() || null;
  if (header?.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const password = decoded.slice(decoded.indexOf(':') + 1);
    return password || null;
  }
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey ? apiKey : null;
}
