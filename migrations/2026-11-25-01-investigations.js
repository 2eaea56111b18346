// @ts-check
/**
 * The investigations store, first version. Frozen: a later change is a new migration file, never
 * an edit of this one, and nothing here imports src/ (the schema must not move when the code does).
 * Plain JavaScript so that the built package runs it without a TypeScript runner.
 *
 * Portable on SQLite and PostgreSQL: times are ISO-8601 UTC text (they sort as text), JSON is
 * text, ids are text, sizes are bigint (read back through Number()).
 */

/** @param {import('kysely').Kysely<any>} db */
export async function up(db) {
  await db.schema
    .createTable('investigation')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace', 'text')
    .addColumn('channel', 'text')
    .addColumn('thread_ts', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('symptom', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('owner', 'text')
    .addColumn('ticket', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .addColumn('last_activity_at', 'text', (c) => c.notNull())
    .addColumn('stale_at', 'text')
    .addColumn('root_cause', 'text')
    .addColumn('fix', 'text')
    .addColumn('commands', 'text')
    .addColumn('resolved_case_id', 'text')
    .addColumn('status_ts', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('investigation_status_created').on('investigation').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('investigation_thread').on('investigation').columns(['channel', 'thread_ts']).execute();

  await db.schema
    .createTable('capture')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('investigation_id', 'text', (c) => c.notNull().references('investigation.id').onDelete('cascade'))
    .addColumn('slack_file_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('format', 'text')
    .addColumn('packets', 'bigint')
    .addColumn('duration_s', 'double precision')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('queued'))
    .addColumn('progress', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('spool_path', 'text')
    .addColumn('runner', 'text')
    .addColumn('heartbeat_at', 'text')
    .addColumn('status_ts', 'text')
    .addColumn('summary', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('analyzed_at', 'text')
    .addColumn('purged_at', 'text')
    .addUniqueConstraint('capture_investigation_sha256', ['investigation_id', 'sha256'])
    .execute();
  await db.schema.createIndex('capture_status').on('capture').columns(['status']).execute();

  await db.schema
    .createTable('finding')
    .addColumn('capture_id', 'text', (c) => c.notNull().references('capture.id').onDelete('cascade'))
    .addColumn('ordinal', 'integer', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('confidence', 'double precision', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('frames', 'text', (c) => c.notNull())
    .addColumn('frame_count', 'integer', (c) => c.notNull())
    .addColumn('flow', 'text')
    .addColumn('metrics', 'text', (c) => c.notNull())
    .addColumn('facts', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('finding_pk', ['capture_id', 'ordinal'])
    .execute();

  await db.schema
    .createTable('case_match')
    .addColumn('investigation_id', 'text', (c) => c.notNull().references('investigation.id').onDelete('cascade'))
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addColumn('strength', 'text', (c) => c.notNull())
    .addColumn('why', 'text', (c) => c.notNull())
    .addColumn('feedback', 'text')
    .addColumn('feedback_by', 'text')
    .addColumn('feedback_at', 'text')
    .addPrimaryKeyConstraint('case_match_pk', ['investigation_id', 'case_id'])
    .execute();

  await db.schema
    .createTable('timeline')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('investigation_id', 'text', (c) => c.notNull().references('investigation.id').onDelete('cascade'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('timeline_investigation').on('timeline').columns(['investigation_id', 'id']).execute();

  await db.schema
    .createTable('processed_event')
    .addColumn('event_id', 'text', (c) => c.primaryKey())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('digest_lease')
    .addColumn('slot', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('acquired_at', 'text', (c) => c.notNull())
    .addColumn('posted_at', 'text')
    .execute();
}

/** @param {import('kysely').Kysely<any>} db */
export async function down(db) {
  for (const table of ['digest_lease', 'processed_event', 'timeline', 'case_match', 'finding', 'capture', 'investigation']) {
    await db.schema.dropTable(table).execute();
  }
}
