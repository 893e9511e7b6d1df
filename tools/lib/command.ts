/**
 * What the measuring tools run from npm scripts (`npm run eval`, `npm run bench`,
 * `npm run bench:reprocess`) share with the `warranty` CLI: the same settings options, the same
 * malloc arena limit (their figures are the CLI's), and the same exit codes (2 for usage and
 * configuration errors, 1 for a failure).
 */
import { dieWithLauncher, relaunchWithArenaLimit } from '../../src/cli/arena-limit.js';
import { loadConfig, type Config } from '../../src/config/env.js';
import { ConfigError } from '../../src/errors/config-error.js';
import { UsageError } from '../../src/errors/usage-error.js';
import { PolicyLoadError } from '../../src/errors/policy-load-error.js';

/** The CLI's settings options, for `parseArgs`. */
export const SETTINGS_OPTIONS = {
  'data-dir': { type: 'string' },
  policy: { type: 'string' },
  workers: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const SETTINGS_USAGE = `  --data-dir <dir>     where the OCR data lives (default .warranty, or WARRANTY_DATA_DIR)
  --policy <version>   the policy table version to apply (default: the current one)
  --workers <n>        OCR workers (default: one per core)
  -h, --help           this text`;

/** The configuration from the environment, with the settings options given on the command line. */
export function configFrom(values: { 'data-dir'?: string; policy?: string; workers?: string }): Config {
  return loadConfig({
    ...process.env,
    ...(values['data-dir'] && { WARRANTY_DATA_DIR: values['data-dir'] }),
    ...(values.policy && { WARRANTY_POLICY_VERSION: values.policy }),
    ...(values.workers && { WARRANTY_OCR_WORKERS: values.workers }),
  });
}

/** A whole-number option (`--limit 20`), at least `min`; undefined when not given. */
export function wholeNumber(value: string | undefined, name: string, what: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min) throw new UsageError(`${name} takes a whole number of ${what}, not "${value}"`);
  return Number(value);
}

/**
 * Runs a tool's `main` as the CLI runs its commands: on Linux under the CLI's malloc arena limit
 * (relaunched with it), printing usage and configuration errors without a stack trace.
 */
export function runTool(name: string, usage: string, main: () => Promise<void>): void {
  const relaunched = relaunchWithArenaLimit();
  if (relaunched === null) dieWithLauncher();
  (relaunched ?? main().then(() => 0)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
        process.stderr.write(`${name}: ${(error as Error).message}\n\n${usage}\n`);
        process.exitCode = 2;
      } else if (error instanceof ConfigError || error instanceof PolicyLoadError) {
        process.stderr.write(`${name}: ${error.message}\n`);
        process.exitCode = 2;
      } else {
        process.stderr.write(`${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exitCode = 1;
      }
    },
  );
}
