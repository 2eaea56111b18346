import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Everything on which SQLite and PostgreSQL disagree, in one place (tested on both):
 * how a read-modify-write transaction takes its locks, and how their errors look.
 */
export type DialectName = 'sqlite' | 'postgres';

export interface StoreDb {
  db: Kysely<Database>;
  dialect: DialectName;
}

/**
 * Runs `fn` in a transaction that no other writer can interleave with. SQLite: BEGIN IMMEDIATE
 * takes the database's write lock up front (waiting up to the busy timeout), so a read inside the
 * transaction cannot go stale. PostgreSQL: READ COMMITTED plus a row lock on each investigation
 * named in `lock` (SELECT ... FOR UPDATE), taken in id order so two writers cannot deadlock.
 */
export async function writeTransaction<T>(store: StoreDb, lock: string[], fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  if (store.dialect === 'sqlite') return sqliteImmediate(store, fn);
  return store.db.transaction().execute(async (trx) => {
    for (const id of [...new Set(lock)].sort()) {
      await trx.selectFrom('investigation').select('id').where('id', '=', id).forUpdate().execute();
    }
    return fn(trx);
  });
}

/**
 * Migrations under a lock. PostgreSQL: Kysely's migrator takes an advisory lock inside its own
 * transaction, so `fn` runs as it is. SQLite: Kysely runs SQLite migrations with neither a
 * transaction nor a lock, so `fn` runs inside BEGIN IMMEDIATE: a second process starting at the
 * same moment waits for the write lock, then finds nothing left to do.
 */
export async function migrationLock<T>(store: StoreDb, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  return store.dialect === 'sqlite' ? sqliteImmediate(store, fn) : fn(store.db);
}

/** `fn` on one SQLite connection inside BEGIN IMMEDIATE (the database's write lock, taken up front). */
async function sqliteImmediate<T>(store: StoreDb, fn: (conn: Kysely<Database>) => Promise<T>): Promise<T> {
  return store.db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (error) {
      // SQLite may have rolled back already (disk full, I/O error): keep the real error.
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw error;
    }
  });
}

/** A primary-key or unique constraint refused the row. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
