import { isIP } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors/config-error.js';

const positiveInt = z.coerce.number().int().positive();

/** `203.0.113.7`, `10.0.0.0/8`, `fd00::/8`. */
function isAddressOrRange(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128));
}

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
  /** A PostgreSQL schema for every table (tests and side-by-side installs); default public. */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case SQL identifier')
    .default('public'),

  // Distributed mode only (API and workers); checked by requireDistributed().
  REDIS_URL: z.string().url().optional(),
  /** Prefix of every BullMQ key, so several installs (or test runs) share one Redis. */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only')
    .default('warranty'),
  /** Tries a stage job gets before it counts as failed (at least 2: one retry for a passing fault). */
  QUEUE_JOB_ATTEMPTS: z.coerce.number().int().min(2).default(9),
  /** Pause before a stage job's first retry; each further one doubles, with ±50% jitter. */
  QUEUE_BACKOFF_MS: positiveInt.default(500),
  S3_ENDPOINT: z.string().url().optional(),
  S3_ACCESS_KEY: z.string().min(1).optional(),
  S3_SECRET_KEY: z.string().min(1).optional(),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name')
    .default('warranty-receipts'),
  S3_REGION: z.string().min(1).default('us-east-1'),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** How long a presigned receipt link stays valid. */
  RECEIPT_LINK_SECONDS: positiveInt.max(7 * 24 * 3600).default(300),
  UPLOAD_DIR: z.string().min(1).default(os.tmpdir()),
  API_REQUEST_TIMEOUT_SECONDS: positiveInt.max(3600).default(300),
  /**
   * Reverse proxies (addresses or CIDR ranges, comma-separated) whose X-Forwarded-For names the
   * client: per-address sign-in limits then count the client, not the proxy. Unset: none trusted.
   */
  API_TRUSTED_PROXIES: z
    .string()
    .transform((list) => list.split(',').map((entry) => entry.trim()))
    .refine((entries) => entries.every(isAddressOrRange), 'must be IP addresses or CIDR ranges, comma-separated')
    .optional(),
  /** The reviewer workbench: the service-level target for a claim's age in the review queue. */
  REVIEW_SLA_HOURS: positiveInt.default(48),
  /** How long opening a claim reserves it for one reviewer (renewed while the claim stays open). */
  REVIEW_LEASE_SECONDS: positiveInt.max(24 * 3600).default(600),
  REVIEW_SESSION_HOURS: positiveInt.max(24 * 30).default(12),
  /** Workbench sign-in attempts per client address (whatever the account) and per account (from whatever address), per 15 minutes. */
  SIGN_IN_ATTEMPTS_PER_ADDRESS: positiveInt.default(60),
  SIGN_IN_ATTEMPTS_PER_ACCOUNT: positiveInt.default(20),
  /**
   * Passwords hashed at once (scrypt, 32 MiB and ~0.1 s each, on libuv's pool of 4 threads that file
   * access and DNS share); four times as many wait, more are answered 503 at once.
   */
  PASSWORD_HASH_CONCURRENCY: positiveInt.max(16).default(2),
  /** Secure session cookies (HTTPS only). Off only for local development over plain HTTP on another host than localhost. */
  REVIEW_COOKIE_SECURE: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /**
   * Port of a worker's own /metrics (each worker process is scraped on its own); unset: none. It
   * listens on WORKER_METRICS_HOST, loopback unless set, since it carries no authentication.
   */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  WORKER_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** A claim undecided and untouched this long is queued again (its job was lost); also the sweep's period. */
  WORKER_RECOVERY_MS: positiveInt.default(60_000),
  /**
   * Scheduling priority of a worker process (nice, 0–19): OCR saturates the cores it gets, and an
   * API on the same host must still answer uploads at once.
   */
  WORKER_NICE: z.coerce.number().int().min(0).max(19).default(10),
  /** On SIGTERM, how long running jobs may take to finish before they are handed back. */
  WORKER_SHUTDOWN_GRACE_MS: positiveInt.default(25_000),
  /** How long a worker holds a job without renewing its lock before another worker may take it. */
  WORKER_LOCK_MS: positiveInt.default(30_000),
  /**
   * How often the workers' job scheduler closes claims whose customer did not answer by the
   * deadline and sends the reminders due (at least a second; a deadline is days long).
   */
  CUSTOMER_DEADLINES_EVERY_MS: positiveInt.min(1000).default(15 * 60_000),

  /**
   * Webhook URLs over plain http, or whose host resolves to a loopback, private, link-local or other
   * non-public address. Off in production (a webhook must not reach into the internal network); tests
   * and local development turn it on.
   */
  WEBHOOK_ALLOW_PRIVATE_URLS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Tries a delivery gets from the queue before it is marked failed (the relay hands it over again later). */
  WEBHOOK_ATTEMPTS: positiveInt.max(50).default(8),
  /** Pause before a delivery's first retry; each further one doubles (by default 10 s … 21 min, ~21 min in all). */
  WEBHOOK_BACKOFF_MS: positiveInt.default(10_000),
  /** How long a receiver may take to answer a delivery. */
  WEBHOOK_TIMEOUT_MS: positiveInt.max(60_000).default(10_000),
  /** How much of a receiver's answer is read; a longer one is cut off (the status code decides). */
  WEBHOOK_MAX_RESPONSE_BYTES: positiveInt.default(64 * 1024),
  /** How often each worker looks for deliveries to hand to the queue (new events, re-sends, failed ones due again). */
  WEBHOOK_RELAY_MS: positiveInt.default(1000),
  /** How long a failed delivery (its retries ran out) waits before it is handed to the queue again with a fresh budget. */
  WEBHOOK_RETRY_FAILED_MS: positiveInt.default(15 * 60_000),
  /** How long delivered events stay listed (with their attempts) before they are deleted. */
  WEBHOOK_RETENTION_DAYS: positiveInt.default(30),
});

/** Every variable the programs read, for checking deployment files against. */
export const ENVIRONMENT_VARIABLES: readonly string[] = Object.keys(EnvSchema.shape);

export interface Config {
  dataDir: string;
  limits: { maxFileBytes: number; maxPixels: number; maxPdfPages: number };
  ocrWorkers: number;
  defaultCountry: string;
  policyVersion: string | undefined;
  databaseUrl: string | undefined;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  databaseSchema: string;
  redisUrl: string | undefined;
  queuePrefix: string;
  /** The retry budget of a stage job: attempts with exponential backoff from backoffMs. */
  jobRetries: { attempts: number; backoffMs: number };
  s3: { endpoint: string | undefined; accessKey: string | undefined; secretKey: string | undefined; bucket: string; region: string };
  api: {
    host: string;
    port: number;
    receiptLinkSeconds: number;
    uploadDir: string;
    requestTimeoutSeconds: number;
    trustedProxies: string[];
  };
  review: {
    slaHours: number;
    leaseSeconds: number;
    sessionHours: number;
    secureCookie: boolean;
    signIn: SignInLimits;
  };
  worker: {
    metricsPort: number | undefined;
    metricsHost: string;
    lockMs: number;
    recoveryIdleMs: number;
    shutdownGraceMs: number;
    nice: number;
    /** The period of the customer-deadline job (CustomerDeadlineService). */
    deadlinesEveryMs: number;
  };
  webhooks: WebhookSettings;
}

export interface WebhookSettings {
  allowPrivateUrls: boolean;
  attempts: number;
  backoffMs: number;
  timeoutMs: number;
  maxResponseBytes: number;
  relayMs: number;
  retryFailedMs: number;
  retentionDays: number;
}

export interface SignInLimits {
  attemptsPerAddress: number;
  attemptsPerAccount: number;
  hashConcurrency: number;
}

/** The settings distributed mode cannot run without, all present. */
export interface DistributedConfig extends Config {
  databaseUrl: string;
  redisUrl: string;
  s3: { endpoint: string; accessKey: string; secretKey: string; bucket: string; region: string };
}

/** Checks that every setting the API and workers need is set, naming each one that is missing. */
export function requireDistributed(config: Config): DistributedConfig {
  const missing = [
    !config.databaseUrl && 'DATABASE_URL: required in distributed mode (a PostgreSQL URL)',
    !config.redisUrl && 'REDIS_URL: required in distributed mode (e.g. redis://127.0.0.1:6379)',
    !config.s3.endpoint && 'S3_ENDPOINT: required in distributed mode (e.g. http://minio:9000)',
    !config.s3.accessKey && 'S3_ACCESS_KEY: required in distributed mode',
    !config.s3.secretKey && 'S3_SECRET_KEY: required in distributed mode',
  ].filter((m): m is string => Boolean(m));
  if (missing.length > 0) throw new ConfigError(`Invalid environment:\n${missing.map((m) => `  ${m}`).join('\n')}`);
  return config as DistributedConfig;
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
    databaseSchema: e.DATABASE_SCHEMA,
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    jobRetries: { attempts: e.QUEUE_JOB_ATTEMPTS, backoffMs: e.QUEUE_BACKOFF_MS },
    s3: { endpoint: e.S3_ENDPOINT, accessKey: e.S3_ACCESS_KEY, secretKey: e.S3_SECRET_KEY, bucket: e.S3_BUCKET, region: e.S3_REGION },
    api: {
      host: e.API_HOST,
      port: e.API_PORT,
      receiptLinkSeconds: e.RECEIPT_LINK_SECONDS,
      uploadDir: path.resolve(e.UPLOAD_DIR),
      requestTimeoutSeconds: e.API_REQUEST_TIMEOUT_SECONDS,
      trustedProxies: e.API_TRUSTED_PROXIES ?? [],
    },
    review: {
      slaHours: e.REVIEW_SLA_HOURS,
      leaseSeconds: e.REVIEW_LEASE_SECONDS,
      sessionHours: e.REVIEW_SESSION_HOURS,
      secureCookie: e.REVIEW_COOKIE_SECURE,
      signIn: {
        attemptsPerAddress: e.SIGN_IN_ATTEMPTS_PER_ADDRESS,
        attemptsPerAccount: e.SIGN_IN_ATTEMPTS_PER_ACCOUNT,
        hashConcurrency: e.PASSWORD_HASH_CONCURRENCY,
      },
    },
    worker: {
      metricsPort: e.WORKER_METRICS_PORT,
      metricsHost: e.WORKER_METRICS_HOST,
      lockMs: e.WORKER_LOCK_MS,
      recoveryIdleMs: e.WORKER_RECOVERY_MS,
      shutdownGraceMs: e.WORKER_SHUTDOWN_GRACE_MS,
      nice: e.WORKER_NICE,
      deadlinesEveryMs: e.CUSTOMER_DEADLINES_EVERY_MS,
    },
    webhooks: {
      allowPrivateUrls: e.WEBHOOK_ALLOW_PRIVATE_URLS,
      attempts: e.WEBHOOK_ATTEMPTS,
      backoffMs: e.WEBHOOK_BACKOFF_MS,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      maxResponseBytes: e.WEBHOOK_MAX_RESPONSE_BYTES,
      relayMs: e.WEBHOOK_RELAY_MS,
      retryFailedMs: e.WEBHOOK_RETRY_FAILED_MS,
      retentionDays: e.WEBHOOK_RETENTION_DAYS,
    },
  };
}
