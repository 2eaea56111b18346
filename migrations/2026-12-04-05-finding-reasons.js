// @ts-check
/**
 * A finding's reasons (language-neutral ids with their facts) and their sentences as rendered when
 * it was recorded (because, ruled out, next), kept as one JSON text. Null for findings recorded
 * before. Frozen like every migration.
 */

/** @param {import('kysely').Kysely<any>} db */
export async function up(db) {
  await db.schema.alterTable('finding').addColumn('explanation', 'text').execute();
}

/** @param {import('kysely').Kysely<any>} db */
export async function down(db) {
  await db.schema.alterTable('finding').dropColumn('explanation').execute();
}
