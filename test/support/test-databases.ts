import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { DatabaseOptions } from '../../src/store/database.js';

const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The two databases every reprocessing behaviour must hold on: embedded PGlite and a PostgreSQL server. */
export const TEST_DATABASES: Array<[string, () => DatabaseOptions]> = [
  ['embedded PGlite', () => ({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'warranty-reprocess-')) })],
  ['PostgreSQL server', () => ({ url: POSTGRES_URL, schema: `test_${randomUUID().replace(/-/g, '')}` })],
];

/** Removes what `TEST_DATABASES` made: the data folder, or the schema. */
export async function dropTestDatabase(options: DatabaseOptions): Promise<void> {
  if (options.dataDir) rmSync(options.dataDir, { recursive: true, force: true });
  if (options.schema) {
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA ${options.schema} CASCADE`);
    await admin.end();
  }
}
