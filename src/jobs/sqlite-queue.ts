import { setTimeout as sleep } from 'node:timers/promises';
import type { StoreDb } from '../store/dialect.js';
import { claimJob, finishJob, insertJob, listJobs, releaseJobs, retryJob } from '../store/job-repo.js';
import { ANALYSIS_QUEUE, backoffMs, PermanentJobError, type AnalysisJobData, type JobHandler, type JobQueue, type QueueSettings } from './queue.js';

/**
 * The embedded queue: a table in the SQLite store, polled by the workers of this process (woken at
 * once by an enqueue in the same process). Claiming a job is one BEGIN IMMEDIATE transaction, so
 * several processes on one file never take the same job.
 */
export function sqliteQueue(store: StoreDb, settings: QueueSettings, now: () => Date = () => new Date(), log: (message: string) => void = () => {}): JobQueue {
  let lastComplaint = 0;
  const complain = (what: string, error: unknown) => {
    // At most once a minute: a queue that cannot be read must not flood the log, nor stay silent.
    if (Date.now() - lastComplaint < 60_000) return;
    lastComplaint = Date.now();
    log(`job queue: ${what}: ${(error as Error).message ?? String(error)}`);
  };
  let stopping = false;
  const running = new Set<Promise<void>>();
  const wakers = new Set<() => void>();
  let workerName = '';
  return {
    kind: 'sqlite',
    async enqueue(data) {
      const id = await insertJob(store.db, ANALYSIS_QUEUE, data, settings.retryLimit, now());
      for (const wake of wakers) wake();
      return id;
    },
    async work(handler, concurrency, name) {
      workerName = name;
      for (let slot = 0; slot < concurrency; slot++) {
        const loop = (async () => {
          while (!stopping) {
            const job = await claimJob(store, ANALYSIS_QUEUE, name, now(), settings.expireInS * 1000).catch((error: unknown) => {
              complain('cannot take a job', error);
              return null;
            });
            if (job === null) {
              await new Promise<void>((wake) => {
                const timer = setTimeout(done, settings.pollMs);
                function done() {
                  clearTimeout(timer);
                  wakers.delete(done);
                  wake();
                }
                wakers.add(done);
              });
              continue;
            }
            await runOne(handler, job.id, job.data as AnalysisJobData, job.attempts, job.retryLimit, job.exhausted);
          }
        })();
        running.add(loop);
        void loop.finally(() => running.delete(loop));
      }
    },
    async stop(timeoutMs) {
      stopping = true;
      for (const wake of [...wakers]) wake();
      const timer = new AbortController();
      await Promise.race([Promise.all(running), sleep(timeoutMs, undefined, { signal: timer.signal }).catch(() => undefined)]);
      timer.abort();
      if (workerName) await releaseJobs(store.db, workerName, now());
    },
    async list(limit) {
      return (await listJobs(store.db, ANALYSIS_QUEUE, limit)).map((j) => ({
        id: j.id, state: j.state, attempts: j.attempts, retryLimit: j.retryLimit, data: j.data as AnalysisJobData, createdAt: j.createdAt, updatedAt: j.updatedAt,
        error: typeof j.output?.error === 'string' ? j.output.error : null,
      }));
    },
    retry: (id) => retryJob(store.db, id, now()),
    async close() {
      stopping = true;
    },
  };

  async function runOne(handler: JobHandler, id: string, data: AnalysisJobData, attempt: number, retryLimit: number, exhausted: boolean): Promise<void> {
    if (exhausted) {
      await handler(data, { id, attempt, retryLimit, giveUp: true }).catch(() => undefined);
      await finishJob(store.db, id, workerName, now(), { state: 'failed', output: { error: `did not finish in ${attempt} attempt(s): its worker stopped each time` } }).catch(() => false);
      return;
    }
    try {
      await handler(data, { id, attempt, retryLimit });
      await finishJob(store.db, id, workerName, now(), { state: 'completed' });
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      const last = error instanceof PermanentJobError || attempt > retryLimit;
      await finishJob(store.db, id, workerName, now(), last ? { state: 'failed', output: { error: message } } : { state: 'retry', retryAt: new Date(now().getTime() + backoffMs(settings, attempt)), output: { error: message } }).catch((e: unknown) => complain('cannot record a job', e));
    }
  }
}
