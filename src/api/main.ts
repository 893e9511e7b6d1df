#!/usr/bin/env node
import { composeApi } from '../composition/api-process.js';
import { stopOnSignals } from '../composition/shutdown.js';
import { loadConfig, requireDistributed } from '../config/env.js';
import { createLogger } from '../config/logger.js';

/** `npm run api`: the HTTP intake API, the reviewer workbench, the queue dashboard and the API's metrics. */
async function main(): Promise<void> {
  const config = requireDistributed(loadConfig());
  const logger = createLogger(config);
  const api = await composeApi(config, logger);
  await api.warmUp();
  const address = await api.app.listen({ host: config.api.host, port: config.api.port });
  logger.info({ address }, 'api listening');
  process.stdout.write(`api listening on ${address}\n`);
  stopOnSignals(api, logger, 'finishing open requests');
}

main().catch((error: unknown) => {
  process.stderr.write(`warranty api: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
