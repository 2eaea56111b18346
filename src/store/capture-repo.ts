import type { Kysely, Selectable, Updateable } from 'kysely';
import type { CaptureRecord, CaptureStatus } from './records.js';
import type { CaptureTable, Database } from './schema.js';

type Db = Kysely<Database>;

export function toCapture(row: Selectable<CaptureTable>): CaptureRecord {
  return {
    id: row.id,
    investigationId: row.investigation_id,
    slackFileId: row.slack_file_id,
    name: row.name,
    size: Number(row.size),
    sha256: row.sha256,
    format: row.format,
    packets: row.packets === null ? null : Number(row.packets),
    durationS: row.duration_s,
    status: row.status as CaptureStatus,
    progress: row.progress,
    error: row.error,
    spoolPath: row.spool_path,
    statusTs: row.status_ts,
    summary: row.summary === null ? null : (JSON.parse(row.summary) as Record<string, unknown>),
    createdAt: row.created_at,
    analyzedAt: row.analyzed_at,
    purgedAt: row.purged_at,
  };
}

export async function insertCapture(db: Db, row: CaptureTable): Promise<void> {
  await db.insertInto('capture').values(row).execute();
}

export async function getCapture(db: Db, id: string): Promise<CaptureRecord | null> {
  const row = await db.selectFrom('capture').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? null : toCapture(row);
}

export async function findCaptureBySha(db: Db, investigationId: string, sha256: string): Promise<CaptureRecord | null> {
  const row = await db.selectFrom('capture').selectAll().where('investigation_id', '=', investigationId).where('sha256', '=', sha256).executeTakeFirst();
  return row === undefined ? null : toCapture(row);
}

/** The capture made from a Slack file, in any investigation (a file is analysed once). */
export async function findCaptureBySlackFile(db: Db, slackFileId: string): Promise<CaptureRecord | null> {
  const row = await db.selectFrom('capture').selectAll().where('slack_file_id', '=', slackFileId).orderBy('created_at').executeTakeFirst();
  return row === undefined ? null : toCapture(row);
}

export async function capturesOf(db: Db, investigationIds: string[]): Promise<CaptureRecord[]> {
  if (investigationIds.length === 0) return [];
  const rows = await db.selectFrom('capture').selectAll().where('investigation_id', 'in', investigationIds).orderBy('created_at').orderBy('id').execute();
  return rows.map(toCapture);
}

/** Returns false when no row matched (unknown id, or not in one of `onlyIfStatus`). */
export async function updateCapture(db: Db, id: string, patch: Updateable<CaptureTable>, onlyIfStatus?: CaptureStatus[]): Promise<boolean> {
  let q = db.updateTable('capture').set(patch).where('id', '=', id);
  if (onlyIfStatus !== undefined) q = q.where('status', 'in', onlyIfStatus);
  return Number((await q.executeTakeFirst()).numUpdatedRows) > 0;
}

export async function runningCaptures(db: Db): Promise<{ id: string; runner: string | null; heartbeatAt: string | null }[]> {
  const rows = await db.selectFrom('capture').select(['id', 'runner', 'heartbeat_at']).where('status', '=', 'running').execute();
  return rows.map((r) => ({ id: r.id, runner: r.runner, heartbeatAt: r.heartbeat_at }));
}

/** Queued or running captures without a Slack file: `analyze --save` runs them in process, no queue job ever will. */
export async function joblessUnfinishedCaptures(db: Db): Promise<{ id: string; investigationId: string; name: string; status: CaptureStatus; runner: string | null; heartbeatAt: string | null; createdAt: string; spoolPath: string | null }[]> {
  const rows = await db.selectFrom('capture').select(['id', 'investigation_id', 'name', 'status', 'runner', 'heartbeat_at', 'created_at', 'spool_path']).where('status', 'in', ['queued', 'running']).where('slack_file_id', 'is', null).execute();
  return rows.map((r) => ({ id: r.id, investigationId: r.investigation_id, name: r.name, status: r.status as CaptureStatus, runner: r.runner, heartbeatAt: r.heartbeat_at, createdAt: r.created_at, spoolPath: r.spool_path }));
}

/** Updates a capture only while it still has `status` and `runner` (null: none): a process that took it meanwhile keeps it. */
export async function updateCaptureOfRunner(db: Db, id: string, status: CaptureStatus, runner: string | null, patch: Updateable<CaptureTable>): Promise<boolean> {
  const r = await db
    .updateTable('capture')
    .set(patch)
    .where('id', '=', id)
    .where('status', '=', status)
    .where((eb) => (runner === null ? eb('runner', 'is', null) : eb('runner', '=', runner)))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Every spool path a capture row refers to. */
export async function referencedSpoolPaths(db: Db): Promise<string[]> {
  return (await db.selectFrom('capture').select('spool_path').where('spool_path', 'is not', null).execute()).map((r) => r.spool_path!);
}
