import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startRuntime, type EmbeddedRuntime as Runtime } from '../../src/composition/embedded.js';
import type { Config } from '../../src/config/env.js';

/**
 * The embedded runtime the CLI runs (database, OCR pool and policy wired into the pipeline), as the
 * measuring tools start it. The one place tools/ reach for the CLI's composition root.
 */
export type { Runtime };
export type RuntimeHooks = NonNullable<Parameters<typeof startRuntime>[1]>;

export function startEmbeddedRuntime(config: Config, hooks: RuntimeHooks = {}): Promise<Runtime> {
  return startRuntime(config, hooks);
}

/**
 * `work` on an embedded runtime with a data folder of its own (a fresh database: duplicates are
 * judged within the run only), closed and removed afterwards.
 */
export async function withScratchRuntime<T>(
  config: Config,
  prefix: string,
  work: (runtime: Runtime) => Promise<T>,
  hooks: RuntimeHooks = {},
): Promise<T> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), prefix));
  try {
    const runtime = await startRuntime({ ...config, dataDir }, hooks);
    try {
      return await work(runtime);
    } finally {
      await runtime.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
