import type { Config } from '../config/env.js';
import { UsageError } from '../errors/usage-error.js';
import { openDeadlines } from '../composition/embedded.js';
import type { DeadlineRun } from '../services/customer-deadline-service.js';

/** `--now` as an instant: an ISO date-time with its offset (or Z), or a day (its midnight UTC). */
function parseNow(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;
  const at = new Date(value);
  if (!iso.test(value) || Number.isNaN(at.getTime())) {
    throw new UsageError(`--now must be an ISO date or date-time with its offset, e.g. 2026-12-14 or 2026-12-14T09:00:00Z; got "${value}"`);
  }
  return at;
}

/**
 * `warranty close-overdue [--now <iso>]`: closes every claim waiting for its customer past its
 * deadline and sends the reminders due, as of now or of `--now`; prints what it did as one JSON line.
 */
export async function runCloseOverdue(options: { now?: string }, config: Config): Promise<DeadlineRun> {
  const now = parseNow(options.now);
  const deadlines = await openDeadlines(config);
  try {
    const run = await deadlines.service.closeOverdue(now);
    process.stdout.write(`${JSON.stringify({ now: now.toISOString(), ...run })}\n`);
    return run;
  } finally {
    await deadlines.close();
  }
}
