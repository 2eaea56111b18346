import PgBoss from 'pg-boss';
import { ANALYSIS_QUEUE, DEAD_LETTER_QUEUE, PermanentJobError, type AnalysisJobData, type JobQueue, type JobSummary, type QueueSettings } from './queue.js';

/**
 * The queue on PostgreSQL: pg-boss 10 (its own schema "pgboss" in the same database). pg-boss 10
 * has no heartbeat, so a job's expiry is set above the longest analysis; an expired job (its
 * worker was killed) is retried like a failed one. A PermanentJobError completes the job with the
 * error as its output instead of failing it, so pg-boss does not retry it.
 */
export async function pgBossQueue(url: string, settings: QueueSettings, log: (message: string) => void = () => {}, supervise = true): Promise<JobQueue> {
  const boss = new PgBoss({ connectionString: url, schema: 'pgboss', max: 4, supervise, maintenanceIntervalSeconds: Math.max(1, Math.min(60, Math.floor(settings.expireInS / 4))) });
  boss.on('error', (error: Error) => log(`pg-boss: ${error.message}`));
  await boss.start();
  if ((await boss.getQueue(DEAD_LETTER_QUEUE)) === null) await boss.createQueue(DEAD_LETTER_QUEUE, { name: DEAD_LETTER_QUEUE }).catch(() => undefined);
  const existing = await boss.getQueue(ANALYSIS_QUEUE);
  const options = { name: ANALYSIS_QUEUE, retryLimit: settings.retryLimit, retryDelay: settings.retryDelayS, retryBackoff: true, expireInSeconds: settings.expireInS, deadLetter: DEAD_LETTER_QUEUE };
  if (existing === null) await boss.createQueue(ANALYSIS_QUEUE, options).catch(() => boss.updateQueue(ANALYSIS_QUEUE, options));
  else await boss.updateQueue(ANALYSIS_QUEUE, options);
  return {
    kind: 'pg-boss',
    async enqueue(data) {
      const id = await boss.send(ANALYSIS_QUEUE, data, options);
      if (id === null) throw new Error('pg-boss did not accept the job');
      return id;
    },
    async work(handler, concurrency) {
      // Jobs out of attempts (failed for good, or expired every time): report them, do not run them.
      await boss.work<AnalysisJobData>(DEAD_LETTER_QUEUE, { batchSize: 1, pollingIntervalSeconds: 2, includeMetadata: true }, async ([job]) => {
        await handler(job.data, { id: job.id, attempt: job.retryCount + 1, retryLimit: settings.retryLimit, giveUp: true }).catch(() => undefined);
        return {};
      });
      for (let i = 0; i < concurrency; i++) {
        await boss.work<AnalysisJobData>(ANALYSIS_QUEUE, { batchSize: 1, pollingIntervalSeconds: Math.max(0.5, settings.pollMs / 1000), includeMetadata: true }, async ([job]) => {
          try {
            await handler(job.data, { id: job.id, attempt: job.retryCount + 1, retryLimit: job.retryLimit });
            return {};
          } catch (error) {
            if (error instanceof PermanentJobError) return { error: error.message, permanent: true };
            throw error;
          }
        });
      }
    },
    async stop(timeoutMs) {
      await boss.offWork(ANALYSIS_QUEUE).catch(() => undefined);
      await boss.offWork(DEAD_LETTER_QUEUE).catch(() => undefined);
      await boss.stop({ graceful: true, wait: true, timeout: timeoutMs }).catch(() => undefined);
    },
    async list(limit) {
      const { rows } = await boss.getDb().executeSql(
        'select id, state, retry_count, retry_limit, data, output, created_on, completed_on, started_on from pgboss.job where name = $1 order by created_on desc limit $2',
        [ANALYSIS_QUEUE, limit],
      );
      return rows.map((r: { id: string; state: JobSummary['state']; retry_count: number; retry_limit: number; data: AnalysisJobData; output: { error?: string; permanent?: boolean; message?: string } | null; created_on: Date; completed_on: Date | null; started_on: Date | null }) => ({
        id: r.id,
        state: r.output?.permanent ? 'failed' : r.state,
        attempts: r.state === 'created' ? 0 : r.retry_count + 1,
        retryLimit: r.retry_limit,
        data: r.data,
        createdAt: new Date(r.created_on).toISOString(),
        updatedAt: r.completed_on ? new Date(r.completed_on).toISOString() : r.started_on ? new Date(r.started_on).toISOString() : null,
        error: r.output?.error ?? r.output?.message ?? null,
      }));
    },
    async retry(id) {
      const job = await boss.getJobById(ANALYSIS_QUEUE, id);
      if (job === null) return false;
      if (job.state === 'completed') {
        await boss.send(ANALYSIS_QUEUE, job.data as object, options);
        return true;
      }
      await boss.retry(ANALYSIS_QUEUE, id);
      return true;
    },
    async close() {
      await boss.stop({ graceful: false, wait: true, timeout: 5000 }).catch(() => undefined);
    },
  };
}
