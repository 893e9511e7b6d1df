import { spawn } from 'node:child_process';
import os from 'node:os';

const ARENAS = '2';
/** Set in the relaunched CLI's environment only, so it alone ties its life to its launcher's. */
const RELAUNCHED = 'WARRANTY_ARENA_RELAUNCHED';

/**
 * glibc gives every thread that allocates its own malloc arena, and OCR, libvips and pdf.js run many
 * threads: the arenas keep hundreds of MB that are never handed back (peak over 65 SROIE receipts
 * 1269 MB with the default, 1017 MB with two arenas, at the same speed). glibc reads the limit only
 * when a process starts, so on Linux without MALLOC_ARENA_MAX set the CLI starts itself again with
 * it, passing stdio, signals and the exit status through: a child ended by a signal ends its launcher
 * by the same signal. Resolves with the child's exit code, or returns null where no relaunch is
 * needed (the limit is set, or not glibc's to set).
 */
export function relaunchWithArenaLimit(): Promise<number> | null {
  if (process.platform !== 'linux' || process.env.MALLOC_ARENA_MAX !== undefined) return null;
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    // The IPC channel carries nothing: it closes when the launcher dies, even by SIGKILL.
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, MALLOC_ARENA_MAX: ARENAS, [RELAUNCHED]: '1' },
  });
  const forwarded = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((signal) => {
    const forward = () => child.kill(signal);
    process.on(signal, forward);
    return () => process.off(signal, forward);
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (signal === null) return resolve(code ?? 1);
      for (const stopForwarding of forwarded) stopForwarding();
      process.kill(process.pid, signal);
      resolve(128 + os.constants.signals[signal]); // a signal Node ignores (SIGPIPE) still ends with its status
    });
  });
}

/**
 * In a relaunched CLI, dies as soon as its launcher does: a launcher killed outright (a supervisor's
 * `kill -9`) can forward nothing, and its child must not run on unseen, holding the data folder.
 */
export function dieWithLauncher(): void {
  if (process.env[RELAUNCHED] === undefined || process.channel === undefined) return;
  delete process.env[RELAUNCHED];
  process.channel.unref();
  process.once('disconnect', () => process.kill(process.pid, 'SIGKILL'));
}
