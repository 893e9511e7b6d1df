import { spawn } from 'node:child_process';
import os from 'node:os';

const ARENAS = '2';

/**
 * glibc gives every thread that allocates its own malloc arena, and OCR, libvips and pdf.js run many
 * threads: the arenas keep hundreds of MB that are never handed back (peak over 65 SROIE receipts
 * 1269 MB with the default, 1017 MB with two arenas, at the same speed). glibc reads the limit only
 * when a process starts, so on Linux without MALLOC_ARENA_MAX set the CLI starts itself again with
 * it, passing stdio, signals and the exit status through. Returns the child's exit code, or null
 * where no relaunch is needed (the limit is set, or not glibc's to set).
 */
export function relaunchWithArenaLimit(): Promise<number> | null {
  if (process.platform !== 'linux' || process.env.MALLOC_ARENA_MAX !== undefined) return null;
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, MALLOC_ARENA_MAX: ARENAS },
  });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, forward(signal));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? os.constants.signals[signal] : 0)));
  });
}
