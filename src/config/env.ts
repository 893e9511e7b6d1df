import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors/config-error.js';

const positiveInt = z.coerce.number().int().positive();

/** Every setting read from the environment, validated once at start. */
const EnvSchema = z.object({
  WARRANTY_DATA_DIR: z.string().min(1).default('.warranty'),
  WARRANTY_MAX_FILE_BYTES: positiveInt.default(5 * 1024 * 1024),
  // Guards against decompression bombs: a 5 MB PNG can claim billions of pixels.
  WARRANTY_MAX_PIXELS: positiveInt.default(60_000_000),
  WARRANTY_MAX_PDF_PAGES: positiveInt.default(10),
  WARRANTY_OCR_WORKERS: positiveInt.default(Math.max(1, os.availableParallelism())),
  WARRANTY_DEFAULT_COUNTRY: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'must be a two-letter country code')
    .transform((c) => c.toUpperCase())
    .default('DE'),
  WARRANTY_POLICY_VERSION: z.string().min(1).optional(),
  /** A PostgreSQL URL; without it the embedded database in the data folder is used. */
  DATABASE_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
});

export interface Config {
  dataDir: string;
  limits: { maxFileBytes: number; maxPixels: number; maxPdfPages: number };
  ocrWorkers: number;
  defaultCountry: string;
  policyVersion: string | undefined;
  databaseUrl: string | undefined;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new ConfigError(`Invalid environment:\n${problems}`);
  }
  const e = parsed.data;
  return {
    dataDir: path.resolve(e.WARRANTY_DATA_DIR),
    limits: { maxFileBytes: e.WARRANTY_MAX_FILE_BYTES, maxPixels: e.WARRANTY_MAX_PIXELS, maxPdfPages: e.WARRANTY_MAX_PDF_PAGES },
    ocrWorkers: e.WARRANTY_OCR_WORKERS,
    defaultCountry: e.WARRANTY_DEFAULT_COUNTRY,
    policyVersion: e.WARRANTY_POLICY_VERSION,
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
  };
}
