import { rm } from 'node:fs/promises';
import { joblessUnfinishedCaptures, updateCaptureOfRunner } from '../store/capture-repo.js';
import { writeTransaction } from '../store/dialect.js';
import { addTimeline } from '../store/timeline-repo.js';
import { ABANDONED_AFTER_MS, localRunnerAlive, requeueAbandoned, runnerGone } from './captures.js';
import type { InvestigationsContext } from './context.js';
import { removeOrphanSpoolFiles } from './retention.js';

export interface SettledRuns {
  /** Bot captures whose runner died: back in the queue, where their job finds them again. */
  requeued: string[];
  /** `analyze --save` captures whose process died: failed, with the reason. */
  failed: string[];
  /** Orphaned or partial spool files removed. */
  spoolFilesRemoved: number;
}

/**
 * What processes that died (kill -9, a crash, a power cut) left behind, settled when the store
 * opens:
 * - a bot capture (it has a Slack file, so a queue job) left running goes back to `queued`;
 * - an `analyze --save` capture (no Slack file: the CLI runs it in process, no job ever will) left
 *   running by a dead process, or left queued for ABANDONED_AFTER_MS (the run died before it
 *   started), is `failed` with the reason in the capture and the timeline, and its spool copy goes:
 *   running `analyze --save` again is the way to analyse it;
 * - spool files no capture refers to and untouched for an hour are removed (retention.ts).
 */
export async function settleDeadRuns(ctx: InvestigationsContext, spoolDir: string, isAlive: (runner: string) => boolean | null = localRunnerAlive): Promise<SettledRuns> {
  const failed = await failJoblessRuns(ctx, isAlive);
  const requeued = await requeueAbandoned(ctx, isAlive);
  const spoolFilesRemoved = await removeOrphanSpoolFiles(ctx, spoolDir);
  return { requeued, failed, spoolFilesRemoved };
}

async function failJoblessRuns(ctx: InvestigationsContext, isAlive: (runner: string) => boolean | null): Promise<string[]> {
  const now = ctx.now();
  const cutoff = new Date(now.getTime() - ABANDONED_AFTER_MS).toISOString();
  const failed: string[] = [];
  for (const c of await joblessUnfinishedCaptures(ctx.store.db)) {
    // Queued without a runner: the run died between attaching and starting (or never started).
    const gone = c.status === 'queued' && c.runner === null ? c.createdAt < cutoff : runnerGone(c.runner, c.heartbeatAt, cutoff, isAlive);
    if (!gone) continue;
    const reason = deadRunReason(c.runner);
    const done = await writeTransaction(ctx.store, [c.investigationId], async (trx) => {
      if (!(await updateCaptureOfRunner(trx, c.id, c.status, c.runner, { status: 'failed', error: reason, runner: null, heartbeat_at: null, spool_path: null }))) return false;
      await addTimeline(trx, c.investigationId, now, 'analysis-failed', null, `${c.name}: ${reason}`);
      return true;
    });
    if (!done) continue;
    if (c.spoolPath !== null) await rm(c.spoolPath, { force: true });
    failed.push(c.id);
  }
  return failed;
}

/** Why a capture of a dead `analyze --save` run failed, naming the process (host and pid) when it had started. */
function deadRunReason(runner: string | null): string {
  if (runner === null) return 'the netcase analyze --save run that attached it stopped before analysing it; run netcase analyze --save again to analyse it';
  const [host, pid] = runner.split(':');
  return `the netcase analyze --save run analysing it (process ${pid} on ${host}) stopped before it finished; run netcase analyze --save again to analyse it`;
}
