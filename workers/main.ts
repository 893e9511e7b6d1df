#!/usr/bin/env node
import os from 'node:os';
import path from 'node:path';
import { createServer } from 'node:http';
import { loadConfig, requireDistributed } from '../src/config/env.js';
import { createLogger } from '../src/config/logger.js';
import { Metrics } from '../src/observability/metrics.js';
import { TesseractEngine } from '../src/ocr/tesseract-engine.js';
import { loadPolicy } from '../src/policy/policy-table.js';
import { redisConnection } from '../src/queue/claim-queues.js';
import { openDistributedRuntime } from '../src/runtime/distributed-runtime.js';
import { ClaimProcessingService } from '../src/services/claim-processing-service.js';
import { ClaimRecoveryService } from '../src/services/claim-recovery-service.js';
import { OutboxRelay } from '../src/services/outbox-relay.js';
import { ClaimWorkers } from './claim-workers.js';

/** `npm run worker`: one worker process running every stage queue (scale out with more processes). */
async function main(): Promise<void> {
  const config = requireDistributed(loadConfig());
  // Before any thread starts: on Linux a thread inherits the nice value of the thread that made it.
  os.setPriority(config.worker.nice);
  const logger = createLogger(config);
  const metrics = new Metrics('worker');
  const policy = loadPolicy(config.policyVersion);
  const runtime = await openDistributedRuntime(config, logger);
  const ocr = await TesseractEngine.start({ workers: config.ocrWorkers, languageDataDir: path.join(config.dataDir, 'tessdata') });
  const relay = new OutboxRelay({ outbox: runtime.outbox, queues: runtime.queues, metrics, logger });
  const service = new ClaimProcessingService({
    claims: runtime.claims,
    fingerprints: runtime.fingerprints,
    receipts: runtime.receipts,
    queues: runtime.queues,
    relay,
    ocr,
    policy,
    limits: config.limits,
    defaultCountry: config.defaultCountry,
    metrics,
    logger,
  });
  const connection = redisConnection(config.redisUrl, 'worker', (error) => logger.warn({ err: error.message }, 'redis unavailable'));
  const workers = new ClaimWorkers(
    service,
    runtime.reprocessService(async () => ocr),
    {
      connection,
      prefix: config.queuePrefix,
      lockMs: config.worker.lockMs,
      shutdownGraceMs: config.worker.shutdownGraceMs,
      metrics,
      logger,
    },
  );
  const recovery = new ClaimRecoveryService(
    { claims: runtime.claims, queues: runtime.queues, relay, policy, metrics, logger },
    config.worker.recoveryIdleMs,
  );
  recovery.start();
  const metricsServer =
    config.worker.metricsPort === undefined
      ? null
      : createServer((request, response) => {
          if (request.url !== '/metrics') return void response.writeHead(404).end();
          metrics.render().then(
            ({ contentType, body }) => response.writeHead(200, { 'content-type': contentType }).end(body),
            () => response.writeHead(500).end(),
          );
        }).listen(config.worker.metricsPort, config.worker.metricsHost);
  await workers.waitUntilReady();
  logger.info({ ocrWorkers: ocr.size, prefix: config.queuePrefix }, 'worker ready');
  process.stdout.write('worker ready\n');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing running jobs');
    recovery.stop();
    await workers.close();
    metricsServer?.close();
    await Promise.allSettled([ocr.stop(), runtime.close()]);
    connection.disconnect();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`warranty worker: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
