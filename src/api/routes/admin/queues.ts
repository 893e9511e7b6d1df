import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import { CLAIM_STAGES, type ClaimQueues } from '../../../queue/claim-queues.js';
import type { WebhookQueue } from '../../../queue/webhook-queue.js';

const BASE_PATH = '/admin/queues';

/** Bull Board for admins: queue depths, failed jobs with their reasons, retry from the page. */
export default async function queueDashboard(app: FastifyInstance, options: { queues: ClaimQueues; webhooks: WebhookQueue }) {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BASE_PATH);
  createBullBoard({
    queues: [
      ...CLAIM_STAGES.map((stage) => new BullMQAdapter(options.queues.queues[stage])),
      new BullMQAdapter(options.queues.reprocess),
      new BullMQAdapter(options.webhooks.queue),
    ],
    serverAdapter,
  });
  await app.register(async (scope) => {
    scope.addHook('onRequest', app.requireRoleInBrowser('admin'));
    await scope.register(serverAdapter.registerPlugin(), { prefix: BASE_PATH });
  });
}
