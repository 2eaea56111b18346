import type { Analysis } from '../analysis/analysis-types.js';
import { CaptureError } from '../capture/types.js';
import { analyzeFile, type AnalyzeFileOptions } from '../analysis/analyze-file.js';
import type { CaseIndex } from '../cases/search-cases.js';
import { commandContextOf } from '../commands/command-context.js';
import { failAnalysis, markProgress, recordAnalysis, requireCapture, startAnalysis, type AnalysisRecord } from './captures.js';
import { InvestigationError, type InvestigationsContext } from './context.js';
import { redactReason } from './redact-reason.js';

export interface RunAnalysisOptions extends Omit<AnalyzeFileOptions, 'onProgress'> {
  /** The loaded case library, to rank the investigation's cases. */
  index: CaseIndex;
  /** Where the capture is, when not (or no longer) in the spool. */
  path?: string;
  /** Called with 0..1 at most every `progressEveryMs` (also stored as the capture's progress). */
  onProgress?: (fraction: number) => void;
  progressEveryMs?: number;
  retryFailed?: boolean;
  takeOver?: boolean;
}

/**
 * Analyses one queued capture of an investigation: running -> done (findings and case ranking
 * recorded, spool file removed) or failed (the reason kept, the investigation too). Returns the
 * analyses, or null when another runner had already taken the capture.
 */
export async function runCaptureAnalysis(ctx: InvestigationsContext, captureId: string, options: RunAnalysisOptions): Promise<{ analyses: Analysis[]; answer: string | null } | null> {
  const capture = await requireCapture(ctx, captureId);
  const path = options.path ?? capture.spoolPath;
  if (path === null) throw new InvestigationError(`capture ${capture.name} has no file to analyse (its spool copy is gone)`);
  if (!(await startAnalysis(ctx, captureId, undefined, { retryFailed: options.retryFailed, takeOver: options.takeOver }))) return null;
  const every = options.progressEveryMs ?? 2000;
  let last = Date.now();
  let pending: Promise<void> = Promise.resolve();
  let analyses: Analysis[];
  try {
    analyses = await analyzeFile(path, {
      ...options,
      onProgress: (p) => {
        const now = Date.now();
        if (p.totalBytes === null || p.totalBytes === 0 || now - last < every) return;
        last = now;
        const fraction = Math.min(0.99, p.bytesRead / p.totalBytes);
        pending = pending.then(() => markProgress(ctx, captureId, fraction)).catch(() => {});
        options.onProgress?.(fraction);
      },
    });
  } catch (error) {
    await pending;
    // The reader names the file it read, the spool copy: say the capture's own name instead.
    const message = (error as Error).message ?? String(error);
    const reason = redactReason(message, { name: capture.name, paths: [path] });
    // An own property: a DOMException (the time limit's TimeoutError) has only a getter.
    if (reason !== message && error instanceof Error) Object.defineProperty(error, 'message', { value: reason, configurable: true, writable: true });
    await failAnalysis(ctx, captureId, reason, { removeSpool: error instanceof CaptureError });
    throw error;
  }
  await pending;
  const ranking = await recordAnalysis(ctx, captureId, toRecord(analyses), options.index);
  return { analyses, answer: ranking.answer };
}

/** Several captures in one file (a zip) are recorded as one capture: their findings together. */
export function toRecord(analyses: Analysis[]): AnalysisRecord {
  const first = analyses[0];
  const hosts = new Map<string, number>();
  for (const a of analyses) {
    for (const f of a.flows) {
      for (const end of [f.orig, f.resp]) {
        const host = end.replace(/^\[(.*)\]:\d+$/, '$1').replace(/^([^:\]]+):\d+$/, '$1');
        hosts.set(host, (hosts.get(host) ?? 0) + f.origSide.packets + f.respSide.packets);
      }
    }
  }
  return {
    format: first?.capture.format ?? 'unknown',
    packets: analyses.reduce((n, a) => n + a.capture.packets, 0),
    durationS: analyses.reduce((n, a) => n + (a.capture.durationMs ?? 0), 0) / 1000,
    summary: {
      files: analyses.map((a) => a.capture.file),
      firstTime: first?.capture.firstTime ?? null,
      lastTime: analyses.at(-1)?.capture.lastTime ?? null,
      vantage: first?.vantage ?? null,
      flows: { tcp: analyses.reduce((n, a) => n + a.flowCount.tcp, 0), udp: analyses.reduce((n, a) => n + a.flowCount.udp, 0) },
      hosts: [...hosts].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([h]) => h),
      warnings: analyses.flatMap((a) => a.capture.warnings.map((w) => w.code)),
      // What the card's commands are filled from (commands/stored-slot-source.ts reads it back).
      commandContext: commandContextOf(analyses),
    },
    findings: analyses.flatMap((a) => a.findings),
    facts: analyses.flatMap((a) => a.findingFacts),
  };
}
