// @ts-check
/**
 * A grouped finding's place, count, worst examples and affected conversations (one finding per
 * code and place), kept as one JSON text. Null for findings recorded before grouping: they read
 * back as one finding at one place. Frozen like every migration.
 */

/** @param {import('kysely').Kysely<any>} db */
export async function up(db) {
  await db.schema.alterTable('finding').addColumn('grouping', 'text').execute();
}

/** @param {import('kysely').Kysely<any>} db */
export async function down(db) {
  await db.schema.alterTable('finding').dropColumn('grouping').execute();
}
