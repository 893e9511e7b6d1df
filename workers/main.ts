#!/usr/bin/env node
import os from 'node:os';
import { stopOnSignals } from '../src/composition/shutdown.js';
import { composeWorker } from '../src/composition/worker-process.js';
import { loadConfig, requireDistributed } from '../src/config/env.js';
import { createLogger } from '../src/config/logger.js';

/** `npm run worker`: one worker process running every stage queue (scale out with more processes). */
async function main(): Promise<void> {
  const config = requireDistributed(loadConfig());
  // Before any thread starts: on Linux a thread inherits the nice value of the thread that made it.
  os.setPriority(config.worker.nice);
  const logger = createLogger(config);
  const worker = await composeWorker(config, logger);
  await worker.start();
  logger.info({ ocrWorkers: worker.ocr.size, prefix: config.queuePrefix }, 'worker ready');
  process.stdout.write('worker ready\n');
  stopOnSignals(worker, logger, 'finishing running jobs');
}

main().catch((error: unknown) => {
  process.stderr.write(`warranty worker: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
