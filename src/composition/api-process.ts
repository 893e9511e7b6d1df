import type { FastifyInstance } from 'fastify';
import { buildApp, type ApiPorts } from '../api/app.js';
import { HashingSlots } from '../auth/hashing-slots.js';
import type { DistributedConfig } from '../config/env.js';
import type { Logger } from '../config/logger.js';
import { warmUpIntake } from '../intake/intake.js';
import { API_PDF_CHECKS, PdfInspectionPool } from '../intake/pdf-inspection-pool.js';
import { Metrics } from '../observability/metrics.js';
import { loadPolicy } from '../policy/policy-table.js';
import { AccountService } from '../services/account-service.js';
import { ClaimSubmissionService } from '../services/claim-submission-service.js';
import { ReviewService } from '../services/review-service.js';
import { WebhookService } from '../services/webhook-service.js';
import { SignInAttemptsRepository } from '../store/sign-in-attempts-repository.js';
import { openDistributedInfrastructure, type DistributedInfrastructure, type InfrastructureOptions } from './distributed-infrastructure.js';
import { once, type Stoppable } from './shutdown.js';

/** The API process: the HTTP app (intake, reviewer workbench, queue dashboard, metrics) on the shared infrastructure. */
export interface ApiProcess extends Stoppable {
  app: FastifyInstance;
  infrastructure: DistributedInfrastructure;
  /** Loads what the first upload would otherwise wait for (image decoder, PDF inspection threads). */
  warmUp(): Promise<void>;
  /** Stops accepting connections and waits for the requests in flight. */
  drain(): Promise<void>;
  /** Drains, then stops the PDF inspection threads and closes the infrastructure. */
  close(): Promise<void>;
}

export interface ApiOptions {
  /** Today's date, ISO: a claim's default claim date (tests fix it). */
  today?: () => string;
  infrastructure?: InfrastructureOptions;
}

const isoToday = () => new Date().toISOString().slice(0, 10);

export async function composeApi(config: DistributedConfig, logger: Logger, options: ApiOptions = {}): Promise<ApiProcess> {
  const infrastructure = await openDistributedInfrastructure(config, logger, options.infrastructure);
  const pdfChecks = new PdfInspectionPool(API_PDF_CHECKS);
  let app: FastifyInstance;
  try {
    app = await buildApp({
      submissions: new ClaimSubmissionService({
        claims: infrastructure.claims,
        requests: infrastructure.customerRequests,
        receipts: infrastructure.receipts,
        queues: infrastructure.queues,
        limits: config.limits,
        inspectPdf: pdfChecks.inspect,
        defaultCountry: config.defaultCountry,
        today: options.today ?? isoToday,
        logger,
      }),
      claims: infrastructure.claims,
      apiKeys: infrastructure.apiKeys,
      receipts: infrastructure.receipts,
      queues: infrastructure.queues,
      db: infrastructure.db,
      metrics: new Metrics('api'),
      logger,
      maxFileBytes: config.limits.maxFileBytes,
      settings: config.api,
      ...workbenchPorts(config, infrastructure),
      reprocess: infrastructure.reprocessService(null),
      webhooks: new WebhookService({ webhooks: infrastructure.webhooks, allowPrivateUrls: config.webhooks.allowPrivateUrls }),
      webhookQueue: infrastructure.webhookQueue,
    });
  } catch (error) {
    await Promise.allSettled([pdfChecks.close(), infrastructure.close()]);
    throw error;
  }
  const drain = once(() => app.close());
  return {
    app,
    infrastructure,
    warmUp: () => warmUpIntake(config.limits, pdfChecks.inspect),
    drain,
    close: once(async () => {
      try {
        await drain();
      } finally {
        await pdfChecks.close();
        await infrastructure.close();
      }
    }),
  };
}

/** The reviewer workbench's services. */
function workbenchPorts(
  config: DistributedConfig,
  infrastructure: DistributedInfrastructure,
): Pick<ApiPorts, 'reviews' | 'accounts' | 'policy' | 'review'> {
  // Re-assessment applies the policy the workers apply.
  const policy = loadPolicy(config.policyVersion);
  const sessionSeconds = config.review.sessionHours * 3600;
  return {
    policy,
    reviews: new ReviewService({
      reviews: infrastructure.reviews,
      claims: infrastructure.claims,
      requests: infrastructure.customerRequests,
      fingerprints: infrastructure.fingerprints,
      receipts: infrastructure.receipts,
      policy,
      maxPixels: config.limits.maxPixels,
      defaultCountry: config.defaultCountry,
      slaHours: config.review.slaHours,
      leaseSeconds: config.review.leaseSeconds,
    }),
    accounts: new AccountService({
      users: infrastructure.users,
      signInAttempts: new SignInAttemptsRepository(infrastructure.db),
      // Four waiting per slot: a sign-in waits a few tenths of a second at most, then is answered 503.
      hashing: new HashingSlots(config.review.signIn.hashConcurrency, 4 * config.review.signIn.hashConcurrency),
      sessionSeconds,
    }),
    review: {
      slaHours: config.review.slaHours,
      sessionSeconds,
      secureCookie: config.review.secureCookie,
      signIn: config.review.signIn,
    },
  };
}
