import type { Kysely, Selectable } from 'kysely';
import { writeTransaction, type StoreDb } from './dialect.js';
import { newRowId } from './ids.js';
import type { Database, JobTable } from './schema.js';

type Db = Kysely<Database>;

/** A job of the embedded (SQLite) queue, as the jobs module sees it. */
export interface JobRecord {
  id: string;
  queue: string;
  data: Record<string, unknown>;
  state: 'created' | 'retry' | 'active' | 'completed' | 'failed';
  attempts: number;
  retryLimit: number;
  runAfter: string;
  worker: string | null;
  expiresAt: string | null;
  output: Record<string, unknown> | null;
  createdAt: string;
  updatedAt: string;
}

function toJob(r: Selectable<JobTable>): JobRecord {
  return {
    id: r.id, queue: r.queue, data: JSON.parse(r.data), state: r.state as JobRecord['state'], attempts: r.attempts, retryLimit: r.retry_limit, runAfter: r.run_after,
    worker: r.worker, expiresAt: r.expires_at, output: r.output === null ? null : JSON.parse(r.output), createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

export async function insertJob(db: Db, queue: string, data: Record<string, unknown>, retryLimit: number, at: Date): Promise<string> {
  const id = newRowId(at);
  const iso = at.toISOString();
  await db.insertInto('job').values({ id, queue, data: JSON.stringify(data), state: 'created', attempts: 0, retry_limit: retryLimit, run_after: iso, worker: null, expires_at: null, output: null, created_at: iso, updated_at: iso }).execute();
  return id;
}

/**
 * Takes the oldest job that is due (created, or waiting to be retried), or an active one whose
 * worker let it expire (a crashed process), in one write transaction so two workers never take
 * the same job.
 */
export async function claimJob(store: StoreDb, queue: string, worker: string, at: Date, expiresInMs: number): Promise<(JobRecord & { exhausted: boolean }) | null> {
  const iso = at.toISOString();
  return writeTransaction(store, [], async (trx) => {
    const row = await trx
      .selectFrom('job')
      .selectAll()
      .where('queue', '=', queue)
      .where((eb) => eb.or([eb.and([eb('state', 'in', ['created', 'retry']), eb('run_after', '<=', iso)]), eb.and([eb('state', '=', 'active'), eb('expires_at', '<', iso)])]))
      .orderBy('run_after')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    if (row === undefined) return null;
    const expires = new Date(at.getTime() + expiresInMs).toISOString();
    // An expired job already delivered as often as its retries allow is not run again: the
    // worker that claims it only reports that it never finished (a capture that kills its process
    // must not loop).
    const exhausted = row.state === 'active' && row.attempts > row.retry_limit;
    const attempts = exhausted ? row.attempts : row.attempts + 1;
    await trx.updateTable('job').set({ state: 'active', attempts, worker, expires_at: expires, updated_at: iso }).where('id', '=', row.id).execute();
    return { ...toJob({ ...row, state: 'active', attempts, worker, expires_at: expires, updated_at: iso }), exhausted };
  });
}

/** Ends a job this worker holds: completed, failed for good, or back to wait until `retryAt`. */
export async function finishJob(db: Db, id: string, worker: string, at: Date, outcome: { state: 'completed' | 'failed'; output?: Record<string, unknown> } | { state: 'retry'; retryAt: Date; output?: Record<string, unknown> }): Promise<boolean> {
  const r = await db
    .updateTable('job')
    .set({ state: outcome.state, output: outcome.output ? JSON.stringify(outcome.output) : null, worker: null, expires_at: null, updated_at: at.toISOString(), ...(outcome.state === 'retry' ? { run_after: outcome.retryAt.toISOString() } : {}) })
    .where('id', '=', id)
    .where('state', '=', 'active')
    .where('worker', '=', worker)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Active jobs of workers that stopped (graceful shutdown) go back to the queue at once. */
export async function releaseJobs(db: Db, worker: string, at: Date): Promise<number> {
  const r = await db.updateTable('job').set({ state: 'retry', worker: null, expires_at: null, run_after: at.toISOString(), updated_at: at.toISOString() }).where('state', '=', 'active').where('worker', '=', worker).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function listJobs(db: Db, queue: string, limit: number): Promise<JobRecord[]> {
  return (await db.selectFrom('job').selectAll().where('queue', '=', queue).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute()).map(toJob);
}

/** A failed (or completed) job runs again. */
export async function retryJob(db: Db, id: string, at: Date): Promise<boolean> {
  const r = await db.updateTable('job').set({ state: 'retry', run_after: at.toISOString(), updated_at: at.toISOString(), attempts: 0 }).where('id', '=', id).where('state', 'in', ['failed', 'completed']).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
