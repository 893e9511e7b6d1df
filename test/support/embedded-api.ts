import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { composeApi } from '../../src/composition/api-process.js';
import type { DistributedInfrastructure } from '../../src/composition/distributed-infrastructure.js';
import { loadConfig, requireDistributed, type DistributedConfig } from '../../src/config/env.js';
import { createLogger } from '../../src/config/logger.js';
import { freePort, REDIS_URL } from './distributed-env.js';
import { startS3Server } from './s3-server.js';

/**
 * The whole API app for `app.inject`, on the embedded database (PGlite), for checks of who may do
 * what: no server, no workers. The queues are on the machine's Redis under a private prefix.
 */
export interface EmbeddedApi {
  app: FastifyInstance;
  runtime: DistributedInfrastructure;
  config: DistributedConfig;
  /** The address where object storage would be, as a readiness failure names it. */
  storageEndpoint: string;
  close(): Promise<void>;
}

/**
 * `storage`: an S3-protocol server on loopback, for checks that submit claims; without it object
 * storage is an address where nothing answers.
 */
export async function startEmbeddedApi(options: { storage?: boolean; env?: Record<string, string> } = {}): Promise<EmbeddedApi> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'embedded-api-'));
  const s3 = options.storage ? await startS3Server() : null;
  const storageEndpoint = s3?.endpoint ?? `http://127.0.0.1:${await freePort()}`;
  const config = requireDistributed(
    loadConfig({
      DATABASE_URL: 'postgres://unused.invalid/embedded',
      REDIS_URL,
      QUEUE_PREFIX: `e-${randomUUID().slice(0, 8)}`,
      S3_ENDPOINT: storageEndpoint,
      S3_ACCESS_KEY: s3?.accessKey ?? 'unused',
      S3_SECRET_KEY: s3?.secretKey ?? 'unused',
      WARRANTY_DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      ...options.env,
    }),
  );
  const api = await composeApi(config, createLogger(config), {
    today: () => '2025-06-01',
    infrastructure: { database: { dataDir: path.join(dataDir, 'db') }, prepareStorage: s3 !== null },
  });
  await api.app.ready();
  const { queues, webhookQueue } = api.infrastructure;
  return {
    app: api.app,
    runtime: api.infrastructure,
    config,
    storageEndpoint,
    async close() {
      await api.drain();
      await Promise.all(
        [...Object.values(queues.queues), queues.reprocess, webhookQueue.queue].map((q) => q.obliterate({ force: true }).catch(() => {})),
      );
      await api.close();
      await s3?.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A multipart POST /claims through `app.inject`, as a client sends it. */
export async function injectClaim(
  app: FastifyInstance,
  key: string | null,
  fields: Record<string, string>,
  receipt: { name: string; bytes: Uint8Array },
): Promise<{ status: number; headers: Record<string, unknown>; body: any }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('receipt', new Blob([new Uint8Array(receipt.bytes)]), receipt.name);
  const request = new Request('http://api.invalid/claims', { method: 'POST', body: form });
  const response = await app.inject({
    method: 'POST',
    url: '/claims',
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), 'content-type': request.headers.get('content-type')! },
    payload: Buffer.from(await request.arrayBuffer()),
  });
  return { status: response.statusCode, headers: response.headers, body: response.json() };
}
