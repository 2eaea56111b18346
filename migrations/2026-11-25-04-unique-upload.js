// @ts-check
/**
 * One capture per Slack file and one investigation per Slack thread, enforced by the database:
 * an upload event and the "Analyse with netcase" shortcut for the same message, handled at the
 * same moment by two bot processes, cannot both register it. Frozen like every migration.
 */
import { sql } from 'kysely';

/** @param {import('kysely').Kysely<any>} db */
export async function up(db) {
  await db.schema.createIndex('capture_slack_file').on('capture').column('slack_file_id').unique().where(sql.ref('slack_file_id'), 'is not', null).execute();
  await db.schema.createIndex('investigation_thread_unique').on('investigation').columns(['channel', 'thread_ts']).unique().where(sql.ref('thread_ts'), 'is not', null).execute();
}

/** @param {import('kysely').Kysely<any>} db */
export async function down(db) {
  await db.schema.dropIndex('investigation_thread_unique').execute();
  await db.schema.dropIndex('capture_slack_file').execute();
}
