import { open } from 'node:fs/promises';
import { detectFormat, ETL_SNIFF_BYTES, etlKind, type EtlKind } from '../capture/detect-format.js';
import { completeCaptureDownload, failAnalysis, requireCapture } from '../investigations/captures.js';
import { requireInvestigation } from '../investigations/lifecycle.js';
import { getCaptureOrNull } from '../investigations/slack-state.js';
import { esc } from '../report/mrkdwn.js';
import { progressMessage, statusMessage } from '../report/slack-result.js';
import { words } from '../report/words.js';
import type { BotDeps } from './deps.js';
import type { DownloadResult } from './download-file.js';
import { downloadRefusal, etlFailure, refused, type Failure } from './failure-text.js';
import { publicReason } from './public-reason.js';
import { resultFromStore } from './result.js';
import { againButton, analyseCapture, editStatus } from './upload-flow.js';

/** Job data as the queue hands it over. */
export interface AnalysisJob {
  investigationId: string;
  captureId: string;
  url: string | null;
  name: string;
  again?: boolean;
}

/** Thrown for outcomes a retry cannot change; the worker wiring maps it to the queue's own. */
export class JobGaveUp extends Error {}

/**
 * One analysis job, in whichever process takes it: fetch the capture (unless it is in the spool),
 * record it (a duplicate of content already in the investigation ends here), analyse it in a
 * worker thread under the time limit, record, and edit the thread's status message. Idempotent:
 * a job delivered again after its worker died edits the same message, never posts a second one.
 * Transient failures (a reset download, Slack 5xx after the client's own retries) throw and are
 * retried by the queue; refusals and bad captures throw JobGaveUp.
 */
export async function processAnalysisJob(deps: BotDeps, job: AnalysisJob, attempt: number, lastAttempt = false, giveUp = false): Promise<void> {
  if (giveUp) return reportUnfinished(deps, job, `it did not finish in ${attempt} attempt(s): the worker analysing it stopped each time`);
  try {
    await runJob(deps, job, attempt);
  } catch (error) {
    // Out of retries for a transient failure: the thread says so, the investigation stays.
    if (!(error instanceof JobGaveUp) && lastAttempt) await reportUnfinished(deps, job, (error as Error).message);
    throw error;
  }
}

/** The ETL kind of a spooled file that is an ETL trace, or null: the first buffers name the tool that wrote it. */
async function etlKindOfFile(path: string): Promise<EtlKind | null> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(ETL_SNIFF_BYTES);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return detectFormat(head.subarray(0, bytesRead)) === 'etl' ? etlKind(head.subarray(0, bytesRead)) : null;
  } finally {
    await handle.close();
  }
}

/** The job will not run again: the status message says why and offers Analyse again (unless it was recorded). */
async function reportUnfinished(deps: BotDeps, job: AnalysisJob, reason: string): Promise<void> {
  const capture = await getCaptureOrNull(deps.inv, job.captureId);
  if (capture === null || capture.status === 'done') return;
  const inv = await requireInvestigation(deps.inv, capture.investigationId);
  const said = publicReason(deps, reason, capture.name);
  await failAnalysis(deps.inv, capture.id, said).catch(() => undefined);
  await editStatus(deps, inv.channel, capture.statusTs, statusMessage(':x:', esc(words(deps.lang).failed(capture.name, said)), [againButton(deps, capture.investigationId, capture.id)])).catch(() => undefined);
}

async function runJob(deps: BotDeps, job: AnalysisJob, attempt: number): Promise<void> {
  const w = words(deps.lang);
  const capture = await getCaptureOrNull(deps.inv, job.captureId);
  if (capture === null) return;
  const { channel } = await requireInvestigation(deps.inv, capture.investigationId);
  const edit = (m: Parameters<BotDeps['notifier']['update']>[2], bestEffort = false) => editStatus(deps, channel, capture.statusTs, m, bestEffort);
  // A refused download or an ETL trace ends the capture failed, with the reason (investigations
  // show, the timeline); Analyse again only where another run can end differently.
  const refuse = async (f: Failure, options: { removeSpool?: boolean } = {}): Promise<never> => {
    await failAnalysis(deps.inv, capture.id, f.stored ?? f.mrkdwn, options);
    await edit(statusMessage(f.icon, f.mrkdwn, f.again ? [againButton(deps, capture.investigationId, capture.id)] : []));
    throw new JobGaveUp(f.stored ?? f.mrkdwn);
  };
  if (capture.status === 'done' && !job.again) {
    // Recorded by an attempt that died before finishing the job: draw the result again.
    await edit(await resultFromStore(deps, capture.id));
    return;
  }
  // Fetch the file unless a spool copy is here (a re-run without a URL uses the spool copy).
  if (capture.spoolPath === null || (job.again === true && job.url !== null)) {
    if (job.url === null) await refuse(refused(w.downloadFailed(`the file ${capture.name} is no longer available`), false));
    await edit(progressMessage(deps.lang, capture.name, null, 'downloading'), true);
    const result: DownloadResult = await deps.download(job.url!, capture.name);
    if (!result.ok) {
      if (result.reason === 'http' && /HTTP 5\d\d/.test(result.detail)) throw new Error(`download: ${result.detail}`);
      await refuse(downloadRefusal(deps, capture.name, result));
      return;
    }
    const done = await completeCaptureDownload(deps.inv, capture.id, result.spooled);
    if (done.duplicateOf !== null) {
      await edit(statusMessage(':repeat:', esc(w.duplicate(capture.name))));
      return;
    }
  }
  // A Windows ETL trace is not analysed: the thread gets the conversion that fits it.
  const spoolPath = (await requireCapture(deps.inv, capture.id)).spoolPath;
  const etl = spoolPath === null ? null : await etlKindOfFile(spoolPath);
  if (etl !== null) await refuse(etlFailure(deps.lang, capture.name, etl), { removeSpool: true });
  // A job for a failed capture was started again on purpose (netcase jobs retry): run it again.
  const outcome = await analyseCapture(deps, capture.id, { retry: job.again === true || capture.status === 'failed', takeOver: attempt > 1 || capture.status === 'running' });
  if (outcome === 'busy') throw new Error(`${capture.name} is being analysed by another worker that is still alive; trying again later`);
  if (outcome === 'failed') {
    const after = await requireCapture(deps.inv, capture.id);
    throw new JobGaveUp(after.error ?? 'analysis failed');
  }
}
