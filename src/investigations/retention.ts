import { readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { referencedSpoolPaths } from '../store/capture-repo.js';
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
 * stay: they are the team's memory. Orphaned spool files are removed too (removeOrphanSpoolFiles).
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
  spoolFilesRemoved += await removeOrphanSpoolFiles(ctx, spoolDir);
  return { findingsDeleted, capturesPurged: old.length, spoolFilesRemoved };
}

/**
 * A spool file no capture row refers to and nobody has written for this long is left by a process
 * that died (killed while spooling a download or an `analyze --save`, or between spooling and
 * recording). A live writer touches its file with every chunk, and downloads time out sooner
 * (NETCASE_DOWNLOAD_TIMEOUT_S, 10 minutes by default).
 */
export const ORPHAN_SPOOL_AFTER_MS = 60 * 60_000;

/** Removes orphaned and partial spool files older than ORPHAN_SPOOL_AFTER_MS; returns how many. */
export async function removeOrphanSpoolFiles(ctx: InvestigationsContext, spoolDir: string): Promise<number> {
  const cutoff = new Date(ctx.now().getTime() - ORPHAN_SPOOL_AFTER_MS);
  const referenced = new Set((await referencedSpoolPaths(ctx.store.db)).map((p) => resolve(p)));
  let names: string[] = [];
  try {
    names = await readdir(spoolDir);
  } catch {
    names = [];
  }
  let removed = 0;
  for (const name of names) {
    const path = resolve(join(spoolDir, name));
    if (referenced.has(path)) continue;
    const s = await stat(path).catch(() => null);
    if (s !== null && s.isFile() && s.mtime < cutoff) {
      await rm(path, { force: true });
      removed++;
    }
  }
  return removed;
}
