import { randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { composeApi } from '../../src/composition/api-process.js';
import type { DistributedInfrastructure } from '../../src/composition/distributed-infrastructure.js';
import { composeWorker, type WorkerProcess } from '../../src/composition/worker-process.js';
import { loadConfig, requireDistributed, type DistributedConfig } from '../../src/config/env.js';
import { createLogger } from '../../src/config/logger.js';
import { CLAIM_STAGES } from '../../src/queue/claim-queues.js';
import type { ClaimProcessingService } from '../../src/services/claim-processing-service.js';
import type { Role } from '../../src/store/api-keys-repository.js';
import { startS3Server, type S3Server } from './s3-server.js';

export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * A private distributed installation for one suite (`useDistributedEnv`): its own Postgres schema, queue prefix,
 * bucket and S3 server, on the machine's real Redis and PostgreSQL. `close` removes all of it.
 * The API and the in-process workers are the programs' own compositions on one shared infrastructure.
 */
export interface DistributedEnv {
  config: DistributedConfig;
  /** The same settings as environment variables, for child processes. */
  env: Record<string, string>;
  s3: S3Server;
  runtime: DistributedInfrastructure;
  app: FastifyInstance;
  baseUrl: string;
  keys: Record<Role, string>;
  /** Starts stage workers in this process (OCR pool of one). */
  startWorkers(): Promise<void>;
  stopWorkers(): Promise<void>;
  /** The stage handlers without queue workers, for driving stages in a chosen order. */
  withProcessingService(use: (service: ClaimProcessingService) => Promise<void>): Promise<void>;
  /** Starts the built worker (`dist/workers/main.js`) as its own process. */
  spawnWorker(extraEnv?: Record<string, string>): Promise<ChildProcess>;
  close(): Promise<void>;
}

async function startDistributedEnv(overrides: Record<string, string> = {}): Promise<DistributedEnv> {
  const id = randomUUID().replace(/-/g, '').slice(0, 12);
  const s3 = await startS3Server();
  const schema = `t_${id}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const env: Record<string, string> = {
    DATABASE_URL: POSTGRES_URL,
    DATABASE_SCHEMA: schema,
    REDIS_URL,
    QUEUE_PREFIX: `t-${id}`,
    S3_ENDPOINT: s3.endpoint,
    S3_ACCESS_KEY: s3.accessKey,
    S3_SECRET_KEY: s3.secretKey,
    S3_BUCKET: `t-${id}`,
    WARRANTY_DATA_DIR: path.join(ROOT, '.warranty'),
    WARRANTY_OCR_WORKERS: '1',
    LOG_LEVEL: 'silent',
    WORKER_LOCK_MS: '4000',
    WORKER_RECOVERY_MS: '1500',
    WORKER_SHUTDOWN_GRACE_MS: '20000',
    ...overrides,
  };
  const config = requireDistributed(loadConfig(env));
  const logger = createLogger(config);
  const api = await composeApi(config, logger, { today: () => '2025-06-01' });
  const runtime = api.infrastructure;
  const { app } = api;
  await app.listen({ host: '127.0.0.1', port: 0 });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const keys = {
    submitter: (await runtime.apiKeys.create('test submitter', 'submitter')).key,
    reviewer: (await runtime.apiKeys.create('test reviewer', 'reviewer')).key,
    admin: (await runtime.apiKeys.create('test admin', 'admin')).key,
  };

  // In-process workers share the API's infrastructure, with an OCR pool of one.
  const workerConfig: DistributedConfig = { ...config, ocrWorkers: 1 };
  const composeInProcessWorker = () => composeWorker(workerConfig, logger, { infrastructure: runtime });
  let inProcess: WorkerProcess | null = null;
  const children = new Set<ChildProcess>();

  const stopWorkers = async () => {
    const worker = inProcess;
    inProcess = null;
    await worker?.close();
  };

  return {
    config,
    env,
    s3,
    runtime,
    app,
    baseUrl,
    keys,
    async startWorkers() {
      const worker = await composeInProcessWorker();
      await worker.start();
      inProcess = worker;
    },
    stopWorkers,
    async withProcessingService(use) {
      const worker = await composeInProcessWorker();
      try {
        await use(worker.service);
      } finally {
        await worker.close();
      }
    },
    async spawnWorker(extraEnv = {}) {
      const child = spawn(process.execPath, [path.join(ROOT, 'dist/workers/main.js')], {
        env: { ...process.env, ...env, ...extraEnv },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.add(child);
      child.on('exit', () => children.delete(child));
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d) => String(d).includes('worker ready') && resolve());
        child.on('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready: ${stderr}`)));
      });
      return child;
    },
    async close() {
      for (const child of children) child.kill('SIGKILL');
      await stopWorkers();
      await api.drain();
      await Promise.all(
        [
          ...CLAIM_STAGES.map((stage) => runtime.queues.queues[stage]),
          runtime.queues.reprocess,
          runtime.queues.deadlines,
          runtime.webhookQueue.queue,
        ].map((q) => q.obliterate({ force: true }).catch(() => {})),
      );
      await api.close();
      await s3.close();
      const cleanup = new pg.Client({ connectionString: POSTGRES_URL });
      await cleanup.connect();
      await cleanup.query(`DROP SCHEMA ${schema} CASCADE`);
      await cleanup.end();
    },
  };
}

export interface DistributedEnvOptions {
  /** Environment overrides, read when the suite starts (so they may name what an earlier `beforeAll` made). */
  env?: () => Record<string, string>;
  /** Start stage workers in this process before the first test. */
  workers?: boolean;
}

/**
 * One private distributed installation for the enclosing `describe` (or file): started before its
 * first test, closed after its last. Returns the running installation, which exists only inside
 * tests and later hooks. Hooks the caller registers before this call run before the start and
 * their `afterAll` after the close.
 */
export function useDistributedEnv(options: DistributedEnvOptions = {}): () => DistributedEnv {
  let started: DistributedEnv | undefined;
  beforeAll(async () => {
    started = await startDistributedEnv(options.env?.());
    if (options.workers) await started.startWorkers();
  }, 60_000);
  afterAll(async () => {
    await started?.close();
  }, 60_000);
  return () => {
    if (!started) throw new Error('the distributed environment runs only inside tests and hooks after useDistributedEnv');
    return started;
  };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 60_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
