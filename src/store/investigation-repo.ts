import type { Kysely, Selectable, Updateable } from 'kysely';
import type { Investigation, InvestigationStatus } from './records.js';
import type { Database, InvestigationTable } from './schema.js';

type Db = Kysely<Database>;

export function toInvestigation(row: Selectable<InvestigationTable>): Investigation {
  return {
    id: row.id,
    workspace: row.workspace,
    channel: row.channel,
    threadTs: row.thread_ts,
    title: row.title,
    symptom: row.symptom,
    status: row.status as InvestigationStatus,
    owner: row.owner,
    ticket: row.ticket,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    resolvedAt: row.resolved_at,
    lastActivityAt: row.last_activity_at,
    staleAt: row.stale_at,
    resolution: row.root_cause === null ? null : { rootCause: row.root_cause, fix: row.fix ?? '', commands: row.commands, caseId: row.resolved_case_id },
    statusTs: row.status_ts,
    answerCaseId: row.answer_case_id ?? null,
    noAnswer: row.no_answer ? (JSON.parse(row.no_answer) as Investigation['noAnswer']) : null,
  };
}

export async function insertInvestigation(db: Db, row: InvestigationTable): Promise<void> {
  await db.insertInto('investigation').values(row).execute();
}

export async function getInvestigation(db: Db, id: string): Promise<Investigation | null> {
  const row = await db.selectFrom('investigation').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? null : toInvestigation(row);
}

export async function findInvestigationByThread(db: Db, channel: string, threadTs: string): Promise<Investigation | null> {
  const row = await db.selectFrom('investigation').selectAll().where('channel', '=', channel).where('thread_ts', '=', threadTs).orderBy('created_at').executeTakeFirst();
  return row === undefined ? null : toInvestigation(row);
}

/** Newest first. */
export async function listInvestigations(db: Db, filter: { status: InvestigationStatus | 'all'; channel?: string; owner?: string; limit: number }): Promise<Investigation[]> {
  let q = db.selectFrom('investigation').selectAll();
  if (filter.status !== 'all') q = q.where('status', '=', filter.status);
  if (filter.channel !== undefined) q = q.where('channel', '=', filter.channel);
  if (filter.owner !== undefined) q = q.where('owner', '=', filter.owner);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
  return rows.map(toInvestigation);
}

/** Updates columns and bumps the row version; returns false when no row had that id (and status, when given). */
export async function updateInvestigation(db: Db, id: string, patch: Updateable<InvestigationTable>, onlyIfStatus?: InvestigationStatus[]): Promise<boolean> {
  let q = db
    .updateTable('investigation')
    .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
    .where('id', '=', id);
  if (onlyIfStatus !== undefined) q = q.where('status', 'in', onlyIfStatus);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
