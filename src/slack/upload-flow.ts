import { CaptureError } from '../capture/types.js';
import { captureOfSlackFile, failAnalysis, registerPendingCapture, requireCapture, setCaptureStatusTs } from '../investigations/captures.js';
import { requireInvestigation, openInvestigation, updateSymptom } from '../investigations/lifecycle.js';
import { investigationOfThread } from '../investigations/slack-state.js';
import { runCaptureAnalysis } from '../investigations/run-analysis.js';
import { showInvestigation } from '../investigations/queries.js';
import { markdownReport } from '../report/markdown-report.js';
import type { Picture } from '../analysis/analyze-file.js';
import { cut, esc } from '../report/mrkdwn.js';
import { progressMessage, statusMessage } from '../report/slack-result.js';
import { actions, button } from '../report/slack-blocks.js';
import { words } from '../report/words.js';
import { fileVerdict, type SlackFile } from './capture-files.js';
import type { BotDeps } from './deps.js';
import { analysisFailure } from './failure-text.js';
import { publicReason } from './public-reason.js';
import { resultFromStore } from './result.js';

export interface Upload {
  workspace: string | null;
  channel: string;
  user: string | null;
  /** The message's ts. */
  ts: string;
  /** Set when the message is a reply in a thread. */
  threadTs: string | null;
  text: string;
  files: SlackFile[];
}

/** The symptom from a message: its text without mentions of the bot. */
export function symptomOf(text: string, botUserId: string | null): string {
  const withoutBot = botUserId ? text.replaceAll(`<@${botUserId}>`, ' ') : text;
  return withoutBot.replace(/\s+\n/g, '\n').trim();
}

/**
 * A message with files: captures open an investigation (its thread is the message), or attach to
 * the investigation of the thread they were posted in; several files in one message are one
 * investigation. Files that are not captures are ignored quietly; an ETL trace is downloaded like
 * a capture, so that its content says which conversion fits it (analysis-job.ts), and the
 * converted capture uploaded in the thread joins the same investigation. Returns the
 * investigation id, or null when nothing was worth analysing.
 */
export async function handleUpload(deps: BotDeps, u: Upload): Promise<string | null> {
  const thread = u.threadTs ?? u.ts;
  const wanted: SlackFile[] = [];
  for (const f of u.files) {
    if (fileVerdict(f) === 'skip' || !(f.url_private_download ?? f.url_private)) continue;
    if ((await captureOfSlackFile(deps.inv, f.id)) !== null) continue;
    wanted.push(f);
  }
  if (wanted.length === 0) return null;
  const symptom = symptomOf(u.text, deps.botUserId);
  let investigation = u.threadTs === null ? null : await investigationOfThread(deps.inv, u.channel, u.threadTs);
  if (investigation === null) {
    const names = wanted.map((f) => f.name ?? f.id).join(', ');
    investigation = await openInvestigation(deps.inv, {
      title: cut(symptom.split('\n')[0] || `Capture ${names}`, 200),
      symptom: cut(symptom, 20_000),
      workspace: u.workspace,
      channel: u.channel,
      threadTs: thread,
      owner: u.user,
      actor: u.user,
      source: 'upload',
    });
  } else if (symptom !== '') {
    await updateSymptom(deps.inv, investigation.id, cut(symptom, 4000), { append: true, actor: u.user }).catch(() => undefined);
  }
  for (const f of wanted) await uploadOne(deps, investigation.id, u, thread, f);
  return investigation.id;
}

async function uploadOne(deps: BotDeps, investigationId: string, u: Upload, thread: string, f: SlackFile): Promise<void> {
  const name = f.name ?? f.title ?? f.id;
  const capture = await registerPendingCapture(deps.inv, investigationId, { name, slackFileId: f.id, actor: u.user });
  // Another bot process registered this file at the same moment: it posts and queues it.
  if (capture === null) return;
  const captureId = capture.id;
  const statusTs = await deps.notifier.post(u.channel, thread, progressMessage(deps.lang, name, null, 'queued'));
  try {
    await setCaptureStatusTs(deps.inv, capture.id, statusTs);
    const job = await deps.enqueue({ investigationId, captureId: capture.id, url: (f.url_private_download ?? f.url_private)!, name });
    deps.log('info', 'analysis queued', { investigation: investigationId, capture: capture.id, job });
  } catch (error) {
    // Never leave "Waiting for analysis…" up with no job behind it: say so, keep the capture as
    // failed (Analyse again runs it), and go on with the message's other files.
    const reason = publicReason(deps, (error as Error).message ?? String(error), name, 300);
    deps.log('error', 'could not queue the analysis', { investigation: investigationId, capture: captureId, error: reason });
    await failAnalysis(deps.inv, captureId, `could not queue the analysis: ${reason}`).catch(() => undefined);
    await editStatus(deps, u.channel, statusTs, statusMessage(':x:', esc(words(deps.lang).failed(name, `it could not be queued (${reason})`)), [againButton(deps, investigationId, captureId)])).catch(() => undefined);
  }
}

/**
 * Analyses a capture already in the spool (or at `path`) in a worker thread, edits the status
 * message with a progress bar at most every 2 s, and finally writes the findings into it.
 */
export async function analyseCapture(deps: BotDeps, captureId: string, options: { path?: string; retry?: boolean; takeOver?: boolean } = {}): Promise<'done' | 'failed' | 'busy'> {
  const capture = await requireCapture(deps.inv, captureId);
  const inv = await requireInvestigation(deps.inv, capture.investigationId);
  const channel = inv.channel;
  const ts = capture.statusTs;
  const edit = (message: Parameters<BotDeps['notifier']['update']>[2], bestEffort = false) => editStatus(deps, channel, ts, message, bestEffort);
  await edit(progressMessage(deps.lang, capture.name, 0, 'analysing'), true);
  let progressing = Promise.resolve();
  let pictures: Picture[] = [];
  try {
    const done = await runCaptureAnalysis(deps.inv, captureId, {
      index: deps.cases.index,
      path: options.path,
      retryFailed: options.retry,
      takeOver: options.takeOver,
      signal: AbortSignal.timeout(deps.analysis.maxAnalysisS * 1000),
      worker: deps.analysis.worker,
      maxOldGenerationMb: deps.analysis.maxOldGenerationMb,
      maxDecompressedBytes: deps.analysis.maxDecompressedBytes,
      thresholds: deps.analysis.thresholds,
      progressEveryMs: deps.progressEveryMs,
      draw: deps.analysis.draw,
      onPictures: (p) => {
        pictures = p;
      },
      onProgress: (fraction) => {
        progressing = progressing.then(() => edit(progressMessage(deps.lang, capture.name, fraction, 'analysing'), true)).catch(() => {});
      },
    });
    await progressing;
    if (done === null) return 'busy';
  } catch (error) {
    await progressing;
    const timedOut = (error as Error).name === 'TimeoutError';
    const message = (error as Error).message ?? String(error);
    // Only what another attempt cannot change fails the capture here: an unreadable capture, the
    // time limit, the heap limit, a worker that died. Anything else (a database or network
    // hiccup) goes back to the queue for a retry.
    const permanent = error instanceof CaptureError || timedOut || /needed more than its|analysis worker exited/.test(message);
    if (!permanent) throw error;
    const failure = analysisFailure(deps, capture.name, error);
    if (failure.stored !== null) await failAnalysis(deps.inv, captureId, failure.stored).catch(() => undefined);
    const logged = timedOut ? `over the time limit of ${deps.analysis.maxAnalysisS} s (NETCASE_MAX_ANALYSIS_S)` : publicReason(deps, message, capture.name);
    deps.log(error instanceof CaptureError ? 'info' : 'error', 'analysis failed', { investigation: inv.id, capture: captureId, error: logged });
    await edit(statusMessage(failure.icon, failure.mrkdwn, failure.again ? [againButton(deps, inv.id, captureId)] : []));
    return 'failed';
  }
  const final = await resultFromStore(deps, captureId);
  await edit(final);
  // The pictures of the top finding, with alt text saying what they show.
  for (const p of pictures) {
    if (channel === null) break;
    await deps.notifier.upload(channel, inv.threadTs, { filename: `${p.name}.png`, content: p.png, title: p.alt.split(':')[0], altText: p.alt }).catch((e: Error) => deps.log('warn', 'picture upload failed', { investigation: inv.id, capture: captureId, error: e.message }));
  }
  // What did not fit in the message goes into the report file, in the same thread.
  if (final.overflow && channel !== null) {
    const d = await showInvestigation(deps.inv, inv.id);
    await deps.notifier.upload(channel, inv.threadTs, { filename: `${inv.id}.md`, content: markdownReport(d, deps.cases.byId), title: `netcase report ${inv.id}`, altText: `netcase report for investigation ${inv.id}: ${d.findings.length} findings` });
  }
  deps.log('info', 'analysis recorded', { investigation: inv.id, capture: captureId });
  return 'done';
}

/** The "Analyse again" button under a failure, so a capture can be run again from Slack. */
export function againButton(deps: BotDeps, investigationId: string, captureId: string) {
  return actions('netcase_failed', [button(words(deps.lang).buttons.again, 'nc_again', { i: investigationId, c: captureId, k: null })]);
}

const GONE = new Set(['message_not_found', 'channel_not_found', 'cant_update_message', 'is_archived', 'not_in_channel', 'edit_window_closed']);

/**
 * Edits a capture's status message. A message or channel that is gone (deleted, archived) is not
 * a reason to fail or retry the analysis: it is logged and the work goes on.
 */
export async function editStatus(deps: BotDeps, channel: string | null, ts: string | null, message: Parameters<BotDeps['notifier']['update']>[2], bestEffort = false): Promise<void> {
  if (channel === null || ts === null) return;
  try {
    await deps.notifier.update(channel, ts, message, { bestEffort });
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    if (code !== undefined && GONE.has(code)) {
      deps.log('warn', 'status message cannot be edited', { channel, error: code });
      return;
    }
    throw error;
  }
}

/** "Analyse again": a new job fetches the file from Slack again (the spool copy is gone once recorded) and re-runs. */
export async function analyseAgain(deps: BotDeps, captureId: string): Promise<string | null> {
  const w = words(deps.lang);
  const capture = await requireCapture(deps.inv, captureId);
  const info = capture.slackFileId === null ? null : await deps.fileInfo(capture.slackFileId).catch(() => null);
  const url = info?.url_private_download ?? info?.url_private ?? null;
  if (url === null && capture.spoolPath === null) return w.downloadFailed(`the file ${capture.name} is no longer available in Slack`);
  await deps.enqueue({ investigationId: capture.investigationId, captureId, url, name: capture.name, again: true });
  return null;
}
