import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Browser security headers (helmet) on every answer, the API's JSON, the documentation page and the
 * queue dashboard alike: HSTS, nosniff, no referrer, same-origin opener and resources, no framing,
 * and helmet's default Content-Security-Policy, which the documentation page and the dashboard work
 * under. Not `upgrade-insecure-requests`: the dashboard is opened over plain HTTP on a developer's
 * machine too. The workbench page sets its own, stricter policy (routes/review/workbench.ts).
 */
export default fp(async function securityHeaders(app: FastifyInstance) {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: true, directives: { 'frame-ancestors': ["'none'"], 'upgrade-insecure-requests': null } },
    frameguard: { action: 'deny' },
  });
});
