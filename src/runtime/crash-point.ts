/**
 * Where a test may make this process die as `kill -9` would: `WARRANTY_TEST_CRASH_POINT=<point>`
 * in a worker's (or the CLI's) environment sends it SIGKILL when it reaches that point, so the moments a crash
 * hurts most are reached every time, not by luck. Never set outside tests; unset, it does nothing.
 */
export type CrashPoint =
  /** A decision has committed; nothing that follows it (relaying its follow-up jobs) has run. */
  | 'after-decision-commit'
  /** A read job has its receipt and is about to read it: stands for a receipt that kills workers. */
  | 'reading-receipt'
  /** A re-run batch's first chunk has committed its results and done markers; the rest is to do. */
  | 'after-reprocess-chunk-commit';

export function crashPoint(point: CrashPoint): void {
  if (process.env.WARRANTY_TEST_CRASH_POINT === point) process.kill(process.pid, 'SIGKILL');
}
