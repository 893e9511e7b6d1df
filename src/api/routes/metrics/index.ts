import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../../../observability/metrics.js';

/** Prometheus metrics of the API process (queue depths, claims by status, HTTP), for admins. */
export default async function metricsRoute(app: FastifyInstance, options: { metrics: Metrics }) {
  app.get('/metrics', { schema: { hide: true }, onRequest: app.requireRole('admin') }, async (_request, reply) => {
    const { contentType, body } = await options.metrics.render();
    return reply.type(contentType).send(body);
  });
}
