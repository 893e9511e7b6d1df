import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ReadinessBody } from '../../schemas/claims.js';

export interface HealthRoutesOptions {
  /** Each dependency's check; it throws when the dependency does not answer. */
  checks: Record<string, () => Promise<unknown>>;
  /** Whether the caller may see each check and its error (they name hosts and ports). */
  showsDetails: (request: FastifyRequest) => Promise<boolean>;
}

const CHECK_TIMEOUT_MS = 2000;

function withTimeout(check: () => Promise<unknown>): Promise<unknown> {
  return Promise.race([
    check(),
    new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS).unref()),
  ]);
}

/** Liveness (the process answers) and readiness (Redis, object storage and Postgres answer). */
const healthRoutes: FastifyPluginAsyncZod<HealthRoutesOptions> = async (app, options) => {
  app.get('/health', { schema: { summary: 'Liveness', security: [], response: { 200: z.object({ ok: z.literal(true) }) } } }, async () => ({
    ok: true as const,
  }));

  app.get(
    '/ready',
    {
      schema: {
        summary: 'Readiness: every dependency answers (each check and its error for an admin key only)',
        security: [],
        response: { 200: ReadinessBody, 503: ReadinessBody },
      },
    },
    async (request, reply) => {
      const entries = await Promise.all(
        Object.entries(options.checks).map(async ([name, check]) => {
          try {
            await withTimeout(check);
            return [name, { ok: true }] as const;
          } catch (error) {
            return [name, { ok: false, error: error instanceof Error ? error.message : String(error) }] as const;
          }
        }),
      );
      const checks: Record<string, { ok: boolean; error?: string }> = {};
      for (const [name, check] of entries) checks[name] = check;
      const ready = entries.every(([, c]) => c.ok);
      return reply.code(ready ? 200 : 503).send((await options.showsDetails(request)) ? { ready, checks } : { ready });
    },
  );
};

export default healthRoutes;
