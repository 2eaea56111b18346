import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { StoreDb } from './dialect.js';
import { StoreError } from './store-error.js';

/** migrations/ at the package root, seen from src/store (tests) or dist/src/store (the built CLI). */
export function migrationsDir(): string {
  for (const relative of ['../../migrations', '../../../migrations']) {
    const dir = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(dir)) return dir;
  }
  throw new StoreError('the migrations/ folder of the netcase package is missing');
}

/** Plain .js files of migrations/, in name order, loaded by import() (no TypeScript runner needed). */
class FolderMigrations implements MigrationProvider {
  constructor(private readonly dir: string) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const file of readdirSync(this.dir).filter((f) => f.endsWith('.js')).sort()) {
      out[file.replace(/\.js$/, '')] = (await import(pathToFileURL(join(this.dir, file)).href)) as Migration;
    }
    return out;
  }
}

function migrator(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: new FolderMigrations(migrationsDir()) });
}

export interface MigrationState {
  name: string;
  executedAt: string | null;
}

export async function migrationStatus(db: Kysely<any>): Promise<MigrationState[]> {
  return (await migrator(db).getMigrations()).map((m) => ({ name: m.name, executedAt: m.executedAt?.toISOString() ?? null }));
}

/**
 * Migrates to the latest version (or one step down) under a lock, so that processes starting
 * together on a fresh database do not both create it. PostgreSQL: Kysely's migrator takes an
 * advisory lock inside its transaction. SQLite: Kysely runs SQLite migrations without a
 * transaction or lock, so the whole migration runs inside BEGIN IMMEDIATE on one connection; a
 * second process waits for the write lock (the busy timeout) and then finds nothing left to do.
 */
export async function migrate(store: StoreDb, direction: 'up' | 'down'): Promise<MigrationResultSet> {
  const run = async (db: Kysely<any>) => {
    const m = migrator(db);
    return direction === 'up' ? m.migrateToLatest() : m.migrateDown();
  };
  const result =
    store.dialect === 'postgres'
      ? await run(store.db)
      : await store.db.connection().execute(async (conn) => {
          await sql`begin immediate`.execute(conn);
          const r = await run(conn).catch((error: unknown) => ({ error, results: undefined }) as MigrationResultSet);
          await sql.raw(r.error === undefined ? 'commit' : 'rollback').execute(conn);
          return r;
        });
  if (result.error === undefined) return result;
  const failed = result.results?.find((r) => r.status === 'Error')?.migrationName;
  throw new StoreError(`migration ${failed ?? ''} failed: ${(result.error as Error).message ?? String(result.error)}`.replace('  ', ' '));
}
