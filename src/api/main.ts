#!/usr/bin/env node
import { loadConfig, requireDistributed } from '../config/env.js';
import { createLogger } from '../config/logger.js';
import { Metrics } from '../observability/metrics.js';
import { warmUpIntake } from '../intake/intake.js';
import { API_PDF_CHECKS, PdfInspectionPool } from '../intake/pdf-inspection-pool.js';
import { openDistributedRuntime } from '../runtime/distributed-runtime.js';
import { ClaimSubmissionService } from '../services/claim-submission-service.js';
import { buildApp } from './app.js';
import { workbenchPorts } from './workbench-ports.js';

/** `npm run api`: the HTTP intake API, the queue dashboard and the API's metrics. */
async function main(): Promise<void> {
  const config = requireDistributed(loadConfig());
  const logger = createLogger(config);
  const runtime = await openDistributedRuntime(config, logger);
  const pdfChecks = new PdfInspectionPool(API_PDF_CHECKS);
  const submissions = new ClaimSubmissionService({
    claims: runtime.claims,
    receipts: runtime.receipts,
    queues: runtime.queues,
    limits: config.limits,
    inspectPdf: pdfChecks.inspect,
    defaultCountry: config.defaultCountry,
    today: () => new Date().toISOString().slice(0, 10),
    logger,
  });
  const app = await buildApp({
    submissions,
    claims: runtime.claims,
    apiKeys: runtime.apiKeys,
    receipts: runtime.receipts,
    queues: runtime.queues,
    db: runtime.db,
    metrics: new Metrics('api'),
    logger,
    maxFileBytes: config.limits.maxFileBytes,
    settings: config.api,
    ...workbenchPorts(config, runtime),
    reprocess: runtime.reprocessService(null),
  });
  await warmUpIntake(config.limits, pdfChecks.inspect);
  const address = await app.listen({ host: config.api.host, port: config.api.port });
  logger.info({ address }, 'api listening');
  process.stdout.write(`api listening on ${address}\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing open requests');
    // close() stops accepting connections and waits for requests in flight.
    await app.close();
    await pdfChecks.close();
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`warranty api: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
