import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config, SignInLimits } from '../config/env.js';
import type { Logger } from '../config/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { CLAIM_STAGES, type ClaimQueues } from '../queue/claim-queues.js';
import type { WebhookQueue } from '../queue/webhook-queue.js';
import type { Policy } from '../policy/policy-schema.js';
import type { AccountService } from '../services/account-service.js';
import type { ClaimSubmissionService } from '../services/claim-submission-service.js';
import type { ReviewService } from '../services/review-service.js';
import type { WebhookService } from '../services/webhook-service.js';
import type { ReceiptStorage } from '../storage/receipt-storage.js';
import type { ApiKeysRepository } from '../store/api-keys-repository.js';
import type { ClaimsRepository } from '../store/claims-repository.js';
import type { Database } from '../store/database.js';
import authentication from './plugins/app/authentication.js';
import errorHandler from './plugins/app/error-handler.js';
import sessions from './plugins/app/sessions.js';
import multipartUploads from './plugins/external/multipart.js';
import openapi from './plugins/external/openapi.js';
import securityHeaders from './plugins/external/security-headers.js';
import queueDashboard from './routes/admin/queues.js';
import reprocessRoutes from './routes/admin/reprocess.js';
import type { ReprocessService } from '../services/reprocess-service.js';
import claimRoutes from './routes/claims/index.js';
import healthRoutes from './routes/health/index.js';
import metricsRoute from './routes/metrics/index.js';
import reviewRoutes from './routes/review/index.js';
import workbench from './routes/review/workbench.js';
import userRoutes from './routes/admin/users.js';
import webhookRoutes from './routes/webhooks/index.js';

export interface ApiPorts {
  submissions: ClaimSubmissionService;
  claims: ClaimsRepository;
  apiKeys: ApiKeysRepository;
  receipts: ReceiptStorage;
  queues: ClaimQueues;
  db: Database;
  metrics: Metrics;
  logger: Logger;
  maxFileBytes: number;
  /** The API's own settings (receipt links, upload spool, request timeout). */
  settings: Config['api'];
  /** The reviewer workbench. */
  reviews: ReviewService;
  accounts: AccountService;
  policy: Policy;
  review: { slaHours: number; sessionSeconds: number; secureCookie: boolean; signIn: SignInLimits };
  reprocess: ReprocessService;
  /** Webhook subscriptions of API keys. */
  webhooks: WebhookService;
  /** The webhook delivery queue, shown on the queue dashboard. */
  webhookQueue: WebhookQueue;
}

/** The HTTP API: external plugins, then the app's own, then the routes. */
export async function buildApp(ports: ApiPorts): Promise<FastifyInstance> {
  const requestTimeout = ports.settings.requestTimeoutSeconds * 1000;
  const loggerInstance: FastifyBaseLogger = ports.logger;
  const app = Fastify({
    loggerInstance,
    logController: new LogController({ disableRequestLogging: true }),
    // A sender that never finishes its request (slowloris) is answered 408 and cut off. Node honours
    // the timeout only when it is given at the server's creation, and checks every 30 s by default.
    requestTimeout,
    http: { requestTimeout, connectionsCheckingInterval: Math.min(30_000, requestTimeout / 2) },
    // The client's address (sign-in limits) from X-Forwarded-For, when a trusted proxy sent it.
    trustProxy: ports.settings.trustedProxies.length > 0 ? ports.settings.trustedProxies : false,
  }).withTypeProvider<ZodTypeProvider>();

  // First, so that its hooks see every route registered after it.
  await app.register(securityHeaders);
  await app.register(openapi);
  await app.register(multipartUploads, { maxFileBytes: ports.maxFileBytes });
  await app.register(errorHandler);
  await app.register(authentication, { apiKeys: ports.apiKeys });
  await app.register(sessions, {
    accounts: ports.accounts,
    sessionSeconds: ports.review.sessionSeconds,
    secureCookie: ports.review.secureCookie,
  });

  registerApiMetrics(app, ports);

  await app.register(healthRoutes, {
    checks: {
      redis: () => ports.queues.ping(),
      storage: () => ports.receipts.ping(),
      database: () => ports.db.query('SELECT 1'),
    },
    showsDetails: async (request) => (await app.identifyCaller(request))?.role === 'admin',
  });
  await app.register(claimRoutes, {
    submissions: ports.submissions,
    receipts: ports.receipts,
    maxFileBytes: ports.maxFileBytes,
    receiptLinkSeconds: ports.settings.receiptLinkSeconds,
    uploadDir: ports.settings.uploadDir,
  });
  await app.register(queueDashboard, { queues: ports.queues, webhooks: ports.webhookQueue });
  await app.register(userRoutes, { accounts: ports.accounts });
  await app.register(reviewRoutes, {
    reviews: ports.reviews,
    accounts: ports.accounts,
    policy: ports.policy,
    slaHours: ports.review.slaHours,
    signInLimits: ports.review.signIn,
  });
  await app.register(workbench);
  await app.register(reprocessRoutes, { reprocess: ports.reprocess });
  await app.register(webhookRoutes, { webhooks: ports.webhooks });
  await app.register(metricsRoute, { metrics: ports.metrics });
  return app;
}

function registerApiMetrics(app: FastifyInstance, ports: ApiPorts): void {
  app.addHook('onResponse', async (request, reply) => {
    ports.metrics.httpSeconds.observe(
      { route: request.routeOptions.url ?? 'unmatched', method: request.method, code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  ports.metrics.gauge(
    'warranty_queue_jobs',
    'Jobs in each stage queue and the webhook queue, by state',
    ['queue', 'state'],
    async (gauge) => {
      const depths = await ports.queues.depths();
      for (const stage of CLAIM_STAGES)
        for (const [state, count] of Object.entries(depths[stage])) gauge.set({ queue: stage, state }, count);
      for (const [state, count] of Object.entries(await ports.webhookQueue.depths())) gauge.set({ queue: 'webhooks', state }, count);
    },
  );
  ports.metrics.gauge('warranty_claims', 'Claims in the database, by status', ['status'], async (gauge) => {
    gauge.reset();
    for (const { status, count } of await ports.claims.countByStatus()) gauge.set({ status }, count);
  });
}
