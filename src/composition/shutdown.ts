import type { Logger } from '../config/logger.js';

/** A long-running process as its main stops it. */
export interface Stoppable {
  /** Takes no new work and lets work in flight finish (within the process's own grace period). */
  drain(): Promise<void>;
  /** Releases what the process holds (pools, connections); drains first if that has not happened. */
  close(): Promise<void>;
}

/**
 * The one shutdown of the API and the worker processes: on the first SIGTERM or SIGINT, drain, then
 * close, then exit (0, or 1 when a step failed). Further signals while stopping are ignored, so a
 * supervisor repeating its SIGTERM does not cut the drain short.
 */
export function stopOnSignals(target: Stoppable, logger: Logger, draining: string): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, `shutting down: ${draining}`);
    let code = 0;
    for (const step of [() => target.drain(), () => target.close()]) {
      await step().catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown step failed');
        code = 1;
      });
    }
    process.exit(code);
  };
  process.on('SIGTERM', (signal) => void stop(signal));
  process.on('SIGINT', (signal) => void stop(signal));
}

/** `work` run once, however often it is asked for: a drain both a signal and a close may start. */
export function once(work: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= work());
}
