import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Migrator, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import { migrationLock, type StoreDb } from './dialect.js';
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
 * Migrates to the latest version (or one step down) under the migration lock (dialect.ts), so that
 * processes starting together on a fresh database do not both create it.
 */
export async function migrate(store: StoreDb, direction: 'up' | 'down'): Promise<MigrationResultSet> {
  const result = await migrationLock(store, async (db) => {
    const m = migrator(db);
    const r = direction === 'up' ? await m.migrateToLatest() : await m.migrateDown();
    // A failed migration rolls the SQLite transaction back; Kysely reports it as a result, not a throw.
    if (r.error !== undefined) throw new MigrationFailed(r);
    return r;
  }).catch((error: unknown) => {
    if (error instanceof MigrationFailed) return error.result;
    throw error;
  });
  if (result.error === undefined) return result;
  const failed = result.results?.find((r) => r.status === 'Error')?.migrationName;
  throw new StoreError(`migration ${failed ?? ''} failed: ${(result.error as Error).message ?? String(result.error)}`.replace('  ', ' '));
}

class MigrationFailed extends Error {
  constructor(readonly result: MigrationResultSet) {
    super('migration failed');
  }
}
