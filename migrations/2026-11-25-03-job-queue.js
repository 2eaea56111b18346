// @ts-check
/**
 * The embedded job queue (SQLite): analysis jobs with the same semantics as pg-boss on PostgreSQL
 * (created -> active -> completed | failed, retries with back-off, expiry of active jobs whose
 * worker vanished). PostgreSQL deployments use pg-boss's own schema; the table is created on
 * both so the migration history stays one. Frozen like every migration.
 */

/** @param {import('kysely').Kysely<any>} db */
export async function up(db) {
  await db.schema
    .createTable('job')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('queue', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('retry_limit', 'integer', (c) => c.notNull())
    .addColumn('run_after', 'text', (c) => c.notNull())
    .addColumn('worker', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('output', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('job_fetch').on('job').columns(['queue', 'state', 'run_after']).execute();
}

/** @param {import('kysely').Kysely<any>} db */
export async function down(db) {
  await db.schema.dropTable('job').execute();
}
