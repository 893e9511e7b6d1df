import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseOptions } from '../../../src/store/database.js';
import { dropTestDatabase, TEST_DATABASES } from '../../support/test-databases.js';

// A migration is one SQL script: a `DO $$ … $$` block and a literal holding `;` must run as written.
const SCRIPT = `
CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL);
INSERT INTO notes (body) VALUES ('one; two -- not a comment');
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM notes WHERE body LIKE 'three%') THEN
    INSERT INTO notes (body) VALUES ('three; from a block');
  END IF;
END
$$;
`;

describe.each(TEST_DATABASES)('migrations on %s', (_name, options) => {
  let migrationsDir: string;
  let db: DatabaseOptions;
  beforeAll(async () => {
    migrationsDir = await mkdtemp(path.join(os.tmpdir(), 'migrations-'));
    await writeFile(path.join(migrationsDir, '001_notes.sql'), SCRIPT);
    db = { ...options(), migrationsDir };
  });
  afterAll(async () => {
    await dropTestDatabase(db);
    await rm(migrationsDir, { recursive: true, force: true });
  });

  it('runs a script with a DO block and semicolons inside literals, once however often the database is opened', async () => {
    for (let opening = 0; opening < 2; opening++) {
      const database = await openDatabase(db);
      const rows = await database.query<{ body: string }>('SELECT body FROM notes ORDER BY id');
      expect(rows.map((r) => r.body)).toEqual(['one; two -- not a comment', 'three; from a block']);
      await database.close();
    }
  });
});
