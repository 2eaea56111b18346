import { readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { forgetSlackState } from '../store/slack-state-repo.js';
import type { InvestigationsContext } from './context.js';

export interface PurgeResult {
  findingsDeleted: number;
  capturesPurged: number;
  spoolFilesRemoved: number;
}

/**
 * Retention: stored analyses (the findings of captures analysed more than `days` ago) and spooled
 * files older than that are deleted. Investigations, their case matches, resolutions and timelines
 * stay: they are the team's memory. Spool files no capture refers to are removed too.
 */
export async function purge(ctx: InvestigationsContext, days: number, spoolDir: string): Promise<PurgeResult> {
  const now = ctx.now();
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  const iso = cutoff.toISOString();
  const db = ctx.store.db;
  const old = await db
    .selectFrom('capture')
    .select(['id', 'spool_path'])
    .where('purged_at', 'is', null)
    .where((eb) => eb.or([eb('analyzed_at', '<', iso), eb.and([eb('analyzed_at', 'is', null), eb('created_at', '<', iso), eb('status', '!=', 'running')])]))
    .execute();
  let findingsDeleted = 0;
  let spoolFilesRemoved = 0;
  for (const c of old) {
    const r = await db.deleteFrom('finding').where('capture_id', '=', c.id).executeTakeFirst();
    findingsDeleted += Number(r.numDeletedRows);
    if (c.spool_path) {
      await rm(c.spool_path, { force: true });
      spoolFilesRemoved++;
    }
    await db.updateTable('capture').set({ purged_at: now.toISOString(), spool_path: null }).where('id', '=', c.id).execute();
  }
  await forgetSlackState(db, new Date(now.getTime() - 7 * 86_400_000));
  // Files in the spool that no capture row refers to (a crash between spooling and recording).
  const referenced = new Set((await db.selectFrom('capture').select('spool_path').where('spool_path', 'is not', null).execute()).map((r) => resolve(r.spool_path!)));
  let names: string[] = [];
  try {
    names = await readdir(spoolDir);
  } catch {
    names = [];
  }
  for (const name of names) {
    const path = resolve(join(spoolDir, name));
    if (referenced.has(path)) continue;
    const s = await stat(path).catch(() => null);
    if (s !== null && s.isFile() && s.mtime < cutoff) {
      await rm(path, { force: true });
      spoolFilesRemoved++;
    }
  }
  return { findingsDeleted, capturesPurged: old.length, spoolFilesRemoved };
}
