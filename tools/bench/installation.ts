import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import S3rver from 's3rver';
import { ApiKeysRepository } from '../../src/store/api-keys-repository.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { packageRoot } from '../lib/package-root.js';

export const ROOT = packageRoot();
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export const mb = (kb: number) => `${Math.round(kb / 1024)} MB`;

/** Peak resident memory (VmHWM) of a child process in KiB, read from /proc while it runs. */
export function peakMemory(child: ChildProcess): () => number {
  let peak = 0;
  const read = async () => {
    const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    peak = Math.max(peak, kb);
  };
  const timer = setInterval(() => void read(), 250);
  child.once('exit', () => clearInterval(timer));
  return () => peak;
}

/**
 * A private distributed installation for one benchmark run: its own Postgres schema, queue prefix,
 * bucket and (unless S3_ENDPOINT is set) s3rver, on the machine's Redis and PostgreSQL. The built
 * API and workers are started with `start`; `close` stops them and removes everything.
 */
export interface BenchInstallation {
  env: Record<string, string>;
  db: Database;
  submitterKey: string;
  adminKey: string;
  /** Starts a built program and waits for the line that says it is ready; returns that line too. */
  start(script: string, readyText: string): Promise<{ child: ChildProcess; line: string }>;
  /** SIGTERM to one started program, and waits for it to exit. */
  stop(child: ChildProcess): Promise<void>;
  /** SIGTERM to every started program, and waits for them to exit. */
  stopAll(): Promise<void>;
  close(): Promise<void>;
}

export async function openBenchInstallation(): Promise<BenchInstallation> {
  const id = randomUUID().replace(/-/g, '').slice(0, 10);
  const schema = `bench_${id}`;
  const s3Dir = await mkdtemp(path.join(os.tmpdir(), 'bench-s3-'));
  const s3 = process.env.S3_ENDPOINT ? null : new S3rver({ port: 0, address: '127.0.0.1', directory: s3Dir, silent: true });
  const s3Address = s3 ? ((await s3.run()) as { port: number }) : null;
  const env: Record<string, string> = {
    DATABASE_URL,
    DATABASE_SCHEMA: schema,
    REDIS_URL,
    QUEUE_PREFIX: `bench-${id}`,
    S3_ENDPOINT: process.env.S3_ENDPOINT ?? `http://127.0.0.1:${s3Address!.port}`,
    S3_ACCESS_KEY: process.env.S3_ACCESS_KEY ?? 'S3RVER',
    S3_SECRET_KEY: process.env.S3_SECRET_KEY ?? 'S3RVER',
    S3_BUCKET: `bench-${id}`,
    API_PORT: '0',
    WARRANTY_OCR_WORKERS: '1',
    LOG_LEVEL: 'warn',
    WARRANTY_DATA_DIR: path.join(ROOT, '.warranty'),
  };
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const db = await openDatabase({ url: DATABASE_URL, schema });
  const apiKeys = new ApiKeysRepository(db);
  const { key } = await apiKeys.create('benchmark', 'submitter');
  const { key: adminKey } = await apiKeys.create('benchmark admin', 'admin');
  const children: ChildProcess[] = [];

  const stop = async (child: ChildProcess) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  const stopAll = async () => {
    await Promise.all(children.map(stop));
  };
  return {
    env,
    db,
    submitterKey: key,
    adminKey,
    start(script, readyText) {
      const child = spawn(process.execPath, [path.join(ROOT, script)], {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.push(child);
      return new Promise((resolve, reject) => {
        child.stdout.on('data', (d) => {
          const line = String(d)
            .split('\n')
            .find((l) => l.includes(readyText));
          if (line) resolve({ child, line });
        });
        child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
      });
    },
    stop,
    stopAll,
    async close() {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
      await db.close();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
      const redis = new Redis(REDIS_URL);
      const stale = await redis.keys(`${env.QUEUE_PREFIX}:*`);
      if (stale.length > 0) await redis.del(...stale);
      redis.disconnect();
      await s3?.close();
      await rm(s3Dir, { recursive: true, force: true });
    },
  };
}
