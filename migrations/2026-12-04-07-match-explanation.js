// @ts-check
/**
 * Why a case page was ranked where it was: its confidence word (strong, likely, possible), the
 * because-sentence, the matched evidence and related pages, as one JSON text per match; and, per
 * investigation, why there is no answer (JSON), when there is none. Null for rankings recorded
 * before. Frozen like every migration.
 */

/** @param {import('kysely').Kysely<any>} db */
export async function up(db) {
  await db.schema.alterTable('case_match').addColumn('explanation', 'text').execute();
  await db.schema.alterTable('investigation').addColumn('no_answer', 'text').execute();
}

/** @param {import('kysely').Kysely<any>} db */
export async function down(db) {
  await db.schema.alterTable('investigation').dropColumn('no_answer').execute();
  await db.schema.alterTable('case_match').dropColumn('explanation').execute();
}
