// @ts-check
/**
 * The confident case match of an investigation (the ranking's "answer"), so the bot can redraw its
 * message from the store. Frozen like every migration.
 */

/** @param {import('kysely').Kysely<any>} db */
export async function up(db) {
  await db.schema.alterTable('investigation').addColumn('answer_case_id', 'text').execute();
}

/** @param {import('kysely').Kysely<any>} db */
export async function down(db) {
  await db.schema.alterTable('investigation').dropColumn('answer_case_id').execute();
}
