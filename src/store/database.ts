import { execFile } from 'node:child_process';
import { access, mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { promisify } from 'node:util';

/** What repositories need from a database: parameterised queries and transactions. */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
}

/** Inside a transaction, a whole SQL script may run too (several statements, `DO $$ … $$` blocks). */
export interface Transaction extends Queryable {
  exec(script: string): Promise<void>;
}

export interface Database extends Queryable {
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL URL (distributed mode); without it, embedded PGlite in `dataDir`. */
  url?: string;
  /** PGlite data folder, or 'memory://' for a throw-away database. */
  dataDir?: string;
  /** Postgres schema to work in; tests use their own and drop it afterwards. */
  schema?: string;
  /** Folder of the SQL migrations, applied in name order (default: the shipped ones). */
  migrationsDir?: string;
}

/** The configured database: PostgreSQL when DATABASE_URL is set, else the embedded one in the data folder. */
export function configuredDatabase(config: { databaseUrl: string | undefined; databaseSchema: string; dataDir: string }): DatabaseOptions {
  return config.databaseUrl ? { url: config.databaseUrl, schema: config.databaseSchema } : { dataDir: path.join(config.dataDir, 'db') };
}

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * Opens the claims database and brings its schema up to date. Embedded PGlite and a PostgreSQL
 * server run the very same SQL files: one dialect, one set of migrations.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const schema = options.schema ?? 'public';
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  const db = options.url ? await openPostgres(options.url, schema) : await openPglite(options.dataDir ?? 'memory://', schema);
  await migrate(db, schema, options.migrationsDir ?? MIGRATIONS_DIR);
  return db;
}

/**
 * Creating a PGlite cluster (initdb) grows the wasm heap to ~780 MB, and a heap never shrinks;
 * reopening an existing one takes ~260 MB. So a new data folder is initialised in a short-lived
 * child process, and this process only ever reopens.
 */
async function initialiseInChildProcess(dataDir: string): Promise<void> {
  const initialised = await access(path.join(dataDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
  if (initialised) return;
  await mkdir(dataDir, { recursive: true });
  const script = `const { PGlite } = await import(process.argv[1]); await (await PGlite.create(process.argv[2])).close();`;
  await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, import.meta.resolve('@electric-sql/pglite'), dataDir]);
}

/**
 * Postgres allocates and touches all of shared_buffers at start: the default 128 MB is 136 MB of
 * resident memory that never shrinks, sized for a server. The embedded database of one CLI run is
 * small and its files stay in the OS page cache, so 16 MB is enough.
 */
const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

async function openPglite(dataDir: string, schema: string): Promise<Database> {
  if (!dataDir.startsWith('memory://')) await initialiseInChildProcess(dataDir);
  const lite = await PGlite.create(dataDir, { startParams: PGLITE_START_PARAMS });
  await lite.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema};`);
  const run = async <Row>(q: Pick<PGlite, 'query'>, sql: string, params?: unknown[]) => (await q.query<Row>(sql, params)).rows;
  return {
    query: (sql, params) => run(lite, sql, params),
    transaction: (work) =>
      lite.transaction((tx) =>
        work({
          query: (sql, params) => run(tx, sql, params),
          exec: async (script) => void (await tx.exec(script)),
        }),
      ),
    close: () => lite.close(),
  };
}

async function openPostgres(url: string, schema: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 4, options: `-c search_path=${schema}` });
  // An idle connection dropped by a server restart must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  const run = async <Row>(q: pg.Pool | pg.PoolClient, sql: string, params?: unknown[]) => (await q.query(sql, params)).rows as Row[];
  return {
    query: (sql, params) => run(pool, sql, params),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        // A query without parameters goes by the simple protocol, which runs a whole script.
        const result = await work({
          query: (sql, params) => run(client, sql, params),
          exec: async (script) => void (await client.query(script)),
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

async function migrate(db: Database, schema: string, migrationsDir: string): Promise<void> {
  await db.query(
    `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
  );
  const files = (await readdir(migrationsDir)).filter((f) => f.endsWith('.sql')).sort();
  for (const name of files) {
    const sql = await readFile(path.join(migrationsDir, name), 'utf8');
    await db.transaction(async (tx) => {
      // The lock serialises two processes migrating the same database at once.
      await tx.query(`LOCK TABLE ${schema}.schema_migrations IN EXCLUSIVE MODE`);
      const done = await tx.query(`SELECT 1 FROM ${schema}.schema_migrations WHERE name = $1`, [name]);
      if (done.length > 0) return;
      await tx.exec(sql);
      await tx.query(`INSERT INTO ${schema}.schema_migrations (name) VALUES ($1)`, [name]);
    });
  }
}
