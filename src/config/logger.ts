import pino, { type Logger } from 'pino';
import type { Config } from './env.js';

/** Structured logs on stderr, so stdout stays the results (a table, or one JSON object a line). */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({ level: config.logLevel, base: undefined }, pino.destination(2));
}

export type { Logger };
