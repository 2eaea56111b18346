import type { Kysely } from 'kysely';
import { newRowId } from './ids.js';
import type { TimelineEntry } from './records.js';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

/** Timeline texts are short by design; longer ones are cut (the investigation keeps the whole text). */
export const TIMELINE_TEXT_MAX = 4000;

export async function addTimeline(db: Db, investigationId: string, at: Date, kind: string, actor: string | null, text: string): Promise<void> {
  await db
    .insertInto('timeline')
    .values({ id: newRowId(at), investigation_id: investigationId, at: at.toISOString(), kind, actor, text: text.length > TIMELINE_TEXT_MAX ? `${text.slice(0, TIMELINE_TEXT_MAX - 1)}…` : text })
    .execute();
}

/** The newest `limit` entries, oldest first. */
export async function timelineOf(db: Db, investigationId: string, limit = 50): Promise<TimelineEntry[]> {
  const rows = await db.selectFrom('timeline').select(['at', 'kind', 'actor', 'text']).where('investigation_id', '=', investigationId).orderBy('id', 'desc').limit(limit).execute();
  return rows.reverse();
}
