import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

/**
 * What the bot needs against Slack's event retries and for posting a digest slot once, with
 * several bot processes on one database: the first insert wins, the others see a conflict.
 */
export async function claimEvent(db: Db, eventId: string, at: Date): Promise<boolean> {
  const r = await db.insertInto('processed_event').values({ event_id: eventId, received_at: at.toISOString() }).onConflict((oc) => oc.column('event_id').doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Takes the lease for a digest slot (e.g. "C123@2026-11-25T09:00"); false when another process holds it. */
export async function acquireDigestLease(db: Db, slot: string, holder: string, at: Date): Promise<boolean> {
  const r = await db.insertInto('digest_lease').values({ slot, holder, acquired_at: at.toISOString(), posted_at: null }).onConflict((oc) => oc.column('slot').doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function markDigestPosted(db: Db, slot: string, holder: string, at: Date): Promise<void> {
  await db.updateTable('digest_lease').set({ posted_at: at.toISOString() }).where('slot', '=', slot).where('holder', '=', holder).execute();
}

/** Forgets processed events and digest leases older than `before` (they only matter for minutes). */
export async function forgetSlackState(db: Db, before: Date): Promise<number> {
  const a = await db.deleteFrom('processed_event').where('received_at', '<', before.toISOString()).executeTakeFirst();
  const b = await db.deleteFrom('digest_lease').where('acquired_at', '<', before.toISOString()).executeTakeFirst();
  return Number(a.numDeletedRows) + Number(b.numDeletedRows);
}
