import { etlConversions, FRAMES_PER_PART_FOR_ANALYSIS, framesPerPartUnder, splitCommand } from '../capture/file-commands.js';
import type { EtlKind } from '../capture/detect-format.js';
import { CaptureError } from '../capture/types.js';
import { codeBlock, esc } from '../report/mrkdwn.js';
import { words } from '../report/words.js';
import type { BotDeps } from './deps.js';
import type { DownloadResult } from './download-file.js';
import { publicReason } from './public-reason.js';

/**
 * What the thread says when a capture cannot be analysed, in words a user can act on: the bot's
 * limits as numbers with what to do about them (never the environment variables that set them),
 * the conversion an ETL trace needs, and whether *Analyse again* is offered. It is offered only
 * where another run can end differently:
 * - yes: a download refused for the bot's own set-up (a missing files:read scope, a file host not
 *   yet trusted: fixed by its admin, the same file then downloads), an HTTP error, a job that
 *   could not be queued or kept failing, a worker that stopped unexpectedly;
 * - no: a file that is not a capture, is cut short or damaged (the same bytes give the same
 *   answer: the message says what to upload instead), an ETL trace, a file over the size limit,
 *   an analysis over the time or memory limit (the same capture meets the same limit again: the
 *   message says how to cut it), a link with credentials, a file Slack no longer has.
 */
export interface Failure {
  icon: string;
  /** Section mrkdwn, already escaped. */
  mrkdwn: string;
  /**
   * What the capture's record keeps as its error (investigations show, the timeline, the report
   * file), when it is not what the reader already stored (a capture error's own one-line reason).
   */
  stored: string | null;
  again: boolean;
}

/** An analysis that ended for good (see analyseCapture): a capture error, the time or memory limit, a worker that stopped. */
export function analysisFailure(deps: Pick<BotDeps, 'lang' | 'spoolDir' | 'analysis'>, name: string, error: unknown): Failure {
  const w = words(deps.lang);
  const message = (error as Error).message ?? String(error);
  const split = splitCommand(name, FRAMES_PER_PART_FOR_ANALYSIS);
  if ((error as Error).name === 'TimeoutError') {
    const s = deps.analysis.maxAnalysisS;
    return { icon: ':x:', mrkdwn: esc(w.tooSlow(name, s, split)), stored: w.tooSlowReason(s), again: false };
  }
  if (/needed more than its/.test(message)) {
    const mb = deps.analysis.maxOldGenerationMb;
    return { icon: ':x:', mrkdwn: esc(w.tooMuchMemory(name, mb, split)), stored: w.tooMuchMemoryReason(mb), again: false };
  }
  if (error instanceof CaptureError && error.code === 'capture.decompression_limit') {
    const mb = Math.round(deps.analysis.maxDecompressedBytes / 1048576);
    return { icon: ':warning:', mrkdwn: esc(w.unpackedTooBig(name, mb)), stored: w.unpackedTooBigReason(mb), again: false };
  }
  const reason = publicReason(deps, message, name);
  if (error instanceof CaptureError) return { icon: ':warning:', mrkdwn: esc(w.notCapture(name, reason)), stored: null, again: false };
  // The analysis worker exited (killed, crashed): another run may well finish.
  return { icon: ':x:', mrkdwn: esc(w.failed(name, w.workerStopped)), stored: null, again: true };
}

/**
 * A refused download: Analyse again when the bot's set-up refused it (a missing scope, a host not
 * yet trusted) or Slack answered with an error; not for a file over the size limit (the message
 * gives the limit and editcap cutting this capture into parts under it) or a link with credentials.
 */
export function downloadRefusal(deps: Pick<BotDeps, 'lang' | 'maxCaptureBytes'>, name: string, r: Extract<DownloadResult, { ok: false }>): Failure {
  const w = words(deps.lang);
  const mb = Math.round(deps.maxCaptureBytes / 1048576);
  const tooBig = () => w.tooBig(mb, splitCommand(name, framesPerPartUnder(deps.maxCaptureBytes)));
  const text = r.reason === 'html' ? w.htmlAnswer : r.reason === 'untrusted' ? w.untrusted(r.detail) : r.reason === 'credentials' ? w.credentialsInLink : r.reason === 'too-big' ? tooBig() : w.downloadFailed(r.detail);
  return refused(text, r.reason !== 'too-big' && r.reason !== 'credentials');
}

/** A one-line refusal, kept as the capture's error as it is said. */
export function refused(text: string, again: boolean): Failure {
  return { icon: ':no_entry_sign:', mrkdwn: esc(text), stored: text, again };
}

/** An ETL trace: what it is and the conversion that fits it, as commands to copy; both, each named, when the kind is unknown. */
export function etlFailure(lang: BotDeps['lang'], name: string, kind: EtlKind): Failure {
  const w = words(lang);
  const conversions = etlConversions(kind, name);
  const intro = w.etl[kind](name);
  const lines = conversions.length === 1 ? [esc(intro), codeBlock(conversions[0].command)] : [esc(intro), ...conversions.flatMap((c) => [esc(c.kind === 'pktmon' ? w.etl.fromPktmon : w.etl.fromNetsh), codeBlock(c.command)])];
  const stored = [intro, ...conversions.map((c) => c.command)].join(' ');
  return { icon: ':warning:', mrkdwn: lines.join('\n'), stored, again: false };
}
