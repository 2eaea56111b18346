import { rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { matchCases, type CaseMatch, type FindingFacts } from '../cases/match-cases.js';
import type { CaseIndex } from '../cases/search-cases.js';
import type { Finding } from '../findings/finding.js';
import { findingsOf, replaceFindings, replaceMatches } from '../store/analysis-repo.js';
import { findCaptureBySha, findCaptureBySlackFile, getCapture, insertCapture, runningCaptures, updateCapture, updateCaptureOfRunner } from '../store/capture-repo.js';
import { isUniqueViolation, writeTransaction } from '../store/dialect.js';
import { newRowId, normalizeInvestigationId } from '../store/ids.js';
import { getInvestigation, updateInvestigation } from '../store/investigation-repo.js';
import type { CaptureRecord, CaptureStatus, StoredMatch } from '../store/records.js';
import type { CaptureTable } from '../store/schema.js';
import { addTimeline } from '../store/timeline-repo.js';
import { InvestigationError, type InvestigationsContext } from './context.js';
import { requireInvestigation } from './lifecycle.js';
import { redactReason } from './redact-reason.js';

export interface AttachInput {
  name: string;
  size: number;
  sha256: string;
  slackFileId?: string | null;
  spoolPath?: string | null;
  actor?: string | null;
}

/**
 * Attaches a capture (queued for analysis). The same content (sha256) is not analysed twice in one
 * investigation: the existing capture comes back with duplicate: true, and the new spool copy is removed.
 */
export async function attachCapture(ctx: InvestigationsContext, investigationId: string, input: AttachInput): Promise<{ capture: CaptureRecord; duplicate: boolean }> {
  if (!/^[0-9a-f]{64}$/.test(input.sha256)) throw new InvestigationError(`sha256 "${input.sha256.slice(0, 70)}" is not 64 hex digits`);
  if (!Number.isSafeInteger(input.size) || input.size < 0) throw new InvestigationError(`capture size ${input.size} is not a byte count`);
  const name = (input.name.trim() || 'capture').slice(0, 255);
  const inv = await requireInvestigation(ctx, investigationId);
  const now = ctx.now();
  const id = newRowId(now);
  const inserted = await writeTransaction(ctx.store, [inv.id], async (trx) => {
    if ((await findCaptureBySha(trx, inv.id, input.sha256)) !== null) return false;
    await insertCapture(trx, queuedCapture(id, inv.id, now, { name, size: input.size, sha256: input.sha256, slackFileId: input.slackFileId ?? null, spoolPath: input.spoolPath ?? null }));
    await updateInvestigation(trx, inv.id, { last_activity_at: now.toISOString(), updated_at: now.toISOString(), stale_at: null });
    await addTimeline(trx, inv.id, now, 'capture', input.actor ?? null, `capture attached: ${name} (${input.size} bytes)`);
    return true;
  });
  if (inserted) return { capture: (await getCapture(ctx.store.db, id))!, duplicate: false };
  const existing = (await findCaptureBySha(ctx.store.db, inv.id, input.sha256))!;
  if (input.spoolPath && input.spoolPath !== existing.spoolPath) await rm(input.spoolPath, { force: true });
  return { capture: existing, duplicate: true };
}

/** A new capture row, queued for analysis. */
function queuedCapture(id: string, investigationId: string, now: Date, f: { name: string; size: number; sha256: string; slackFileId: string | null; spoolPath: string | null }): CaptureTable {
  return {
    id, investigation_id: investigationId, slack_file_id: f.slackFileId, name: f.name, size: f.size, sha256: f.sha256, format: null, packets: null, duration_s: null,
    status: 'queued', progress: 0, error: null, spool_path: f.spoolPath, runner: null, heartbeat_at: null, status_ts: null, summary: null, created_at: now.toISOString(), analyzed_at: null, purged_at: null,
  };
}

export async function requireCapture(ctx: InvestigationsContext, captureId: string): Promise<CaptureRecord> {
  const c = await getCapture(ctx.store.db, captureId);
  if (c === null) throw new InvestigationError(`no capture with id "${captureId.slice(0, 40)}"`);
  return c;
}

/** This process, as a capture's runner: host, pid and start time. */
export function thisRunner(): string {
  return `${hostname()}:${process.pid}:${Math.round(performance.timeOrigin)}`;
}

/**
 * queued -> running; false when another runner took it first. `retryFailed` ("Analyse again")
 * also starts a failed or done one; `takeOver` (a job delivered again after its worker vanished)
 * also a running one.
 */
export async function startAnalysis(ctx: InvestigationsContext, captureId: string, runner = thisRunner(), options: { retryFailed?: boolean; takeOver?: boolean } = {}): Promise<boolean> {
  const now = ctx.now();
  const at = now.toISOString();
  const from: CaptureStatus[] = ['queued', ...(options.retryFailed ? (['failed', 'done'] as const) : [])];
  if (await updateCapture(ctx.store.db, captureId, { status: 'running', runner, heartbeat_at: at, progress: 0, error: null }, from)) return true;
  if (!options.takeOver) return false;
  // Take over a running capture only when its runner is gone: a dead process on this host, or no
  // heartbeat (progress every 2 s) for TAKEOVER_AFTER_MS. A live runner keeps it.
  const row = await ctx.store.db.selectFrom('capture').select(['status', 'runner', 'heartbeat_at']).where('id', '=', captureId).executeTakeFirst();
  if (row === undefined || row.status !== 'running') return false;
  const alive = row.runner === null ? false : localRunnerAlive(row.runner);
  const stale = row.heartbeat_at === null || row.heartbeat_at < new Date(now.getTime() - TAKEOVER_AFTER_MS).toISOString();
  if (alive === true || (alive === null && !stale)) return false;
  return updateCaptureOfRunner(ctx.store.db, captureId, 'running', row.runner, { runner, heartbeat_at: at, progress: 0, error: null });
}

/** A running capture without a heartbeat this long counts as abandoned by its runner. */
export const TAKEOVER_AFTER_MS = 15_000;

/** Progress 0..1 of a running analysis; also its heartbeat. */
export async function markProgress(ctx: InvestigationsContext, captureId: string, progress: number): Promise<void> {
  const p = Math.min(1, Math.max(0, Number.isFinite(progress) ? progress : 0));
  await updateCapture(ctx.store.db, captureId, { progress: p, heartbeat_at: ctx.now().toISOString() }, ['running']);
}

export interface AnalysisRecord {
  format: string;
  packets: number;
  durationS: number;
  /** What the bot shows about the capture (hosts, vantage); stored as JSON. */
  summary: Record<string, unknown>;
  findings: Finding[];
  /** The facts of each finding (parallel to findings), for re-ranking without the capture. */
  facts: FindingFacts[];
}

/**
 * Records a finished analysis in one transaction: the capture's numbers and findings, and the
 * investigation's case ranking over all its captures' findings and its symptom. Then the spooled
 * file is removed. Returns the new ranking.
 */
export async function recordAnalysis(ctx: InvestigationsContext, captureId: string, analysis: AnalysisRecord, index: CaseIndex): Promise<{ matches: CaseMatch[]; answer: string | null }> {
  const capture = await requireCapture(ctx, captureId);
  const now = ctx.now();
  const at = now.toISOString();
  const ranking = await writeTransaction(ctx.store, [capture.investigationId], async (trx) => {
    await updateCapture(trx, captureId, {
      status: 'done', progress: 1, format: analysis.format, packets: analysis.packets, duration_s: analysis.durationS, summary: JSON.stringify(analysis.summary), analyzed_at: at, error: null, spool_path: null, runner: null, heartbeat_at: null, purged_at: null,
    });
    await replaceFindings(trx, captureId, analysis.findings.map((finding, i) => ({ finding, facts: (analysis.facts[i] ?? {}) as Record<string, string | number | boolean> })));
    const result = await rank(trx, capture.investigationId, index);
    await updateInvestigation(trx, capture.investigationId, { last_activity_at: at, updated_at: at, stale_at: null });
    const top = analysis.findings[0];
    await addTimeline(trx, capture.investigationId, now, 'analysis', null, `${capture.name}: ${analysis.findings.length} finding(s)${top ? `, top ${top.code}` : ''}${result.answer ? `; answer ${result.answer}` : ''}`);
    return result;
  });
  if (capture.spoolPath) await rm(capture.spoolPath, { force: true });
  return ranking;
}

/**
 * The analysis failed: the investigation stays, with the reason (naming the capture, not its
 * spool path; never credentials: redact-reason.ts). A capture that cannot be read
 * will not read better next time, so its spool copy goes (`removeSpool`); after a transient
 * failure it stays for another attempt.
 */
export async function failAnalysis(ctx: InvestigationsContext, captureId: string, error: string, options: { removeSpool?: boolean } = {}): Promise<void> {
  const capture = await requireCapture(ctx, captureId);
  const now = ctx.now();
  error = redactReason(error, { name: capture.name, paths: [capture.spoolPath] });
  await writeTransaction(ctx.store, [capture.investigationId], async (trx) => {
    // A capture already recorded stays done: a late failure (a message that cannot be edited) does not undo it.
    if (!(await updateCapture(trx, captureId, { status: 'failed', error: error.slice(0, 1000), runner: null, heartbeat_at: null, ...(options.removeSpool ? { spool_path: null } : {}) }, ['queued', 'running', 'failed']))) return;
    await addTimeline(trx, capture.investigationId, now, 'analysis-failed', null, `${capture.name}: ${error.slice(0, 500)}`);
  });
  if (options.removeSpool && capture.spoolPath) await rm(capture.spoolPath, { force: true });
}

async function rank(trx: Parameters<typeof findingsOf>[0], investigationId: string, index: CaseIndex): Promise<{ matches: CaseMatch[]; answer: string | null }> {
  const inv = (await getInvestigation(trx, investigationId))!;
  const findings = await findingsOf(trx, investigationId);
  const analysed = await trx.selectFrom('capture').select('id').where('investigation_id', '=', investigationId).where('status', '=', 'done').executeTakeFirst();
  const m = matchCases(index, findings.map((f) => ({ finding: f, facts: f.facts as FindingFacts })), inv.symptom || null, 5, { noCapture: analysed === undefined });
  const stored: Omit<StoredMatch, 'feedback' | 'feedbackBy'>[] = m.candidates.map((c, i) => ({ caseId: c.id, title: c.title, score: c.score, rank: i + 1, strength: c.strength, why: c.why, explanation: { confidence: c.confidence, because: c.because, evidence: c.evidence, related: c.related } }));
  await replaceMatches(trx, investigationId, stored);
  await updateInvestigation(trx, investigationId, { answer_case_id: m.answer, no_answer: m.noAnswer === null ? null : JSON.stringify(m.noAnswer) });
  return { matches: m.candidates, answer: m.answer };
}

/**
 * Re-ranks the case matches after the symptom text changed; says what changed (the best case
 * before and after), so the bot can edit its message and explain.
 */
export async function rerankCases(ctx: InvestigationsContext, investigationId: string, index: CaseIndex): Promise<{ before: string | null; after: string | null; matches: CaseMatch[]; answer: string | null }> {
  const id = normalizeInvestigationId(investigationId);
  await requireInvestigation(ctx, id);
  const now = ctx.now();
  return writeTransaction(ctx.store, [id], async (trx) => {
    const old = await trx.selectFrom('case_match').select('case_id').where('investigation_id', '=', id).orderBy('rank').executeTakeFirst();
    const result = await rank(trx, id, index);
    const after = result.matches[0]?.id ?? null;
    const before = old?.case_id ?? null;
    if (before !== after) await addTimeline(trx, id, now, 'rerank', null, `best case ${before ?? 'none'} -> ${after ?? 'none'}`);
    return { before, after, ...result };
  });
}

/** How long a running capture may go without a heartbeat before it counts as abandoned. */
export const ABANDONED_AFTER_MS = 10 * 60_000;

/**
 * Captures left `running` by a crashed process go back to `queued`: those whose runner was a
 * process on this host that no longer exists, and another host's without a heartbeat for
 * ABANDONED_AFTER_MS.
 * Returns the ids requeued. Called when the store opens.
 */
export async function requeueAbandoned(ctx: InvestigationsContext, isAlive: (runner: string) => boolean | null = localRunnerAlive): Promise<string[]> {
  const cutoff = new Date(ctx.now().getTime() - ABANDONED_AFTER_MS).toISOString();
  const requeued: string[] = [];
  for (const r of await runningCaptures(ctx.store.db)) {
    // A runner on this host is judged by its pid; another host's by its heartbeat.
    if (!runnerGone(r.runner, r.heartbeatAt, cutoff, isAlive)) continue;
    if (await updateCaptureOfRunner(ctx.store.db, r.id, 'running', r.runner, { status: 'queued', runner: null, heartbeat_at: null, progress: 0 })) requeued.push(r.id);
  }
  return requeued;
}

/**
 * Whether a capture's runner is gone: a process on this host is judged by its pid, another
 * host's by its last heartbeat (`since`: older than `cutoff` means gone).
 */
export function runnerGone(runner: string | null, since: string | null, cutoff: string, isAlive: (runner: string) => boolean | null = localRunnerAlive): boolean {
  const alive = runner === null ? false : isAlive(runner);
  return alive === false || (alive === null && (since === null || since < cutoff));
}

/** true/false for a runner on this host (is its pid alive?), null for another host's (unknown). */
export function localRunnerAlive(runner: string): boolean | null {
  const [host, pid] = runner.split(':');
  if (host !== hostname()) return null;
  if (Number(pid) === process.pid) return runner === thisRunner();
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Stores the ts of the capture's status message in the thread (edited, never posted twice). */
export async function setCaptureStatusTs(ctx: InvestigationsContext, captureId: string, ts: string): Promise<void> {
  await updateCapture(ctx.store.db, captureId, { status_ts: ts });
}

/** The capture made from this Slack file, if any (a file is analysed once). */
export async function captureOfSlackFile(ctx: InvestigationsContext, slackFileId: string): Promise<CaptureRecord | null> {
  return findCaptureBySlackFile(ctx.store.db, slackFileId);
}

/**
 * A capture known from Slack but not yet downloaded: the worker that takes its job fetches it.
 * Its sha256 is a placeholder until then (unique per file), so the same upload cannot be
 * registered twice.
 */
export async function registerPendingCapture(ctx: InvestigationsContext, investigationId: string, input: { name: string; slackFileId: string; actor?: string | null }): Promise<CaptureRecord | null> {
  const inv = await requireInvestigation(ctx, investigationId);
  const now = ctx.now();
  const id = newRowId(now);
  const name = (input.name.trim() || 'capture').slice(0, 255);
  try {
    await writeTransaction(ctx.store, [inv.id], async (trx) => {
      await insertCapture(trx, queuedCapture(id, inv.id, now, { name, size: 0, sha256: `pending:${input.slackFileId}`, slackFileId: input.slackFileId, spoolPath: null }));
      await updateInvestigation(trx, inv.id, { last_activity_at: now.toISOString(), updated_at: now.toISOString(), stale_at: null });
      await addTimeline(trx, inv.id, now, 'capture', input.actor ?? null, `capture uploaded: ${name}`);
    });
  } catch (error) {
    // One capture per Slack file: another process registered this file a moment ago.
    if (isUniqueViolation(error)) return null;
    throw error;
  }
  return (await getCapture(ctx.store.db, id))!;
}

/**
 * The worker downloaded a pending capture: its size, sha256 and spool path are recorded. When the
 * same content is already in the investigation, the capture is a duplicate: it is removed with its
 * spool copy, and the one that has the content comes back.
 */
export async function completeCaptureDownload(ctx: InvestigationsContext, captureId: string, spooled: { path: string; size: number; sha256: string }): Promise<{ duplicateOf: CaptureRecord | null }> {
  const capture = await requireCapture(ctx, captureId);
  let duplicateOf: CaptureRecord | null = null;
  try {
    duplicateOf = await writeTransaction(ctx.store, [capture.investigationId], async (trx) => {
      const same = await findCaptureBySha(trx, capture.investigationId, spooled.sha256);
      if (same !== null && same.id !== captureId) {
        await trx.deleteFrom('capture').where('id', '=', captureId).execute();
        return same;
      }
      await updateCapture(trx, captureId, { size: spooled.size, sha256: spooled.sha256, spool_path: spooled.path });
      return null;
    });
  } catch (error) {
    // Never leave a spooled file nobody refers to (it would wait for the retention purge).
    await rm(spooled.path, { force: true });
    throw error;
  }
  if (duplicateOf !== null) {
    await rm(spooled.path, { force: true });
    return { duplicateOf };
  }
  if (capture.spoolPath && capture.spoolPath !== spooled.path) await rm(capture.spoolPath, { force: true });
  return { duplicateOf: null };
}
