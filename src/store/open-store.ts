import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type { Config } from '../config.js';
import type { StoreDb } from './dialect.js';
import { migrate } from './migrate.js';
import type { Database } from './schema.js';
import { StoreError } from './store-error.js';

export interface Store extends StoreDb {
  /** What the store is, for messages: the SQLite file, or PostgreSQL's host/database (never the password). */
  describe: string;
  close(): Promise<void>;
}

/** How long a SQLite writer waits for another process's write lock before giving up. */
const BUSY_TIMEOUT_MS = 10_000;

/**
 * Opens the configured store. By default it migrates to the latest version first (under the
 * migration lock), so a fresh database just works; `netcase migrate` opens it with migrate: false.
 */
export async function openStore(database: Config['database'], options: { migrate?: boolean } = {}): Promise<Store> {
  const store = database.kind === 'sqlite' ? openSqlite(database.file) : await openPostgres(database.url);
  if (options.migrate !== false) {
    try {
      await migrate(store, 'up');
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
}

function openSqlite(file: string): Store {
  let handle: BetterSqlite3.Database;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    handle = new BetterSqlite3(file);
    handle.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    handle.pragma('journal_mode = WAL');
    handle.pragma('synchronous = NORMAL');
    handle.pragma('foreign_keys = ON');
  } catch (error) {
    throw new StoreError(`${file}: cannot open the SQLite database (${(error as Error).message}) (NETCASE_DB)`);
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: handle }) });
  return { db, dialect: 'sqlite', describe: file, close: () => db.destroy() };
}

async function openPostgres(url: string): Promise<Store> {
  const where = describePostgres(url);
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 10_000 });
  // An idle client's error (the server restarting) must not crash the process; the next query reports it.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => {});
    throw new StoreError(`cannot connect to PostgreSQL at ${where}: ${(error as Error).message} (DATABASE_URL)`);
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', describe: `postgresql://${where}`, close: () => db.destroy() };
}

/** host:port/database of a PostgreSQL URL, without user or password. */
export function describePostgres(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname || '/'}`;
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}
