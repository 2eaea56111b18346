import type { Kysely } from 'kysely';
import type { Feedback, StoredFinding, StoredMatch } from './records.js';
import type { Database } from './schema.js';
import type { FindingCode } from '../findings/catalog.js';
import type { Finding } from '../findings/finding.js';
import { messageOf } from '../findings/finding-text.js';

type Db = Kysely<Database>;

/** Replaces a capture's findings (a re-analysis supersedes the last one). */
export async function replaceFindings(db: Db, captureId: string, findings: { finding: Finding; facts: Record<string, string | number | boolean> }[]): Promise<void> {
  await db.deleteFrom('finding').where('capture_id', '=', captureId).execute();
  if (findings.length === 0) return;
  const rows = findings.map(({ finding: f, facts }, ordinal) => ({
    capture_id: captureId,
    ordinal,
    code: f.code,
    severity: f.severity,
    confidence: f.confidence,
    title: f.title,
    summary: f.summary,
    frames: JSON.stringify(f.frames),
    frame_count: f.frameCount,
    flow: f.flow === null ? null : JSON.stringify(f.flow),
    metrics: JSON.stringify(f.metrics),
    facts: JSON.stringify(facts),
    explanation: JSON.stringify({ reasons: f.reasons, because: f.because, ruledOut: f.ruledOut, next: f.next, message: f.message }),
    grouping: JSON.stringify({ place: f.place, count: f.count, examples: f.examples, affected: f.affected }),
  }));
  // Chunked: PostgreSQL allows 65,535 parameters per statement and SQLite 32,766.
  for (let i = 0; i < rows.length; i += 200) await db.insertInto('finding').values(rows.slice(i, i + 200)).execute();
}

/** Every finding of an investigation's captures, in capture then finding order. */
export async function findingsOf(db: Db, investigationId: string): Promise<StoredFinding[]> {
  const rows = await db
    .selectFrom('finding')
    .innerJoin('capture', 'capture.id', 'finding.capture_id')
    .selectAll('finding')
    .where('capture.investigation_id', '=', investigationId)
    .orderBy('capture.created_at')
    .orderBy('capture.id')
    .orderBy('finding.ordinal')
    .execute();
  return rows.map((r) => ({
    captureId: r.capture_id,
    code: r.code as FindingCode,
    severity: r.severity as Finding['severity'],
    confidence: r.confidence,
    title: r.title,
    summary: r.summary,
    frames: JSON.parse(r.frames) as number[],
    frameCount: r.frame_count,
    flow: r.flow === null ? null : (JSON.parse(r.flow) as Finding['flow']),
    metrics: JSON.parse(r.metrics) as Record<string, number>,
    facts: JSON.parse(r.facts) as Record<string, string | number | boolean>,
    ...explanationOf(r.explanation),
    ...groupingOf(r.grouping, r.flow === null ? null : (JSON.parse(r.flow) as Finding['flow'])),
  }));
}

type Explanation = Pick<Finding, 'reasons' | 'because' | 'ruledOut' | 'next' | 'message'>;

/**
 * A stored explanation, or none for findings recorded before reasons existed; the summary's message
 * (its id and facts, for renderers in other languages) is null for findings recorded before
 * messages existed, or one this build cannot render: they show the stored English summary.
 */
function explanationOf(text: string | null): Explanation {
  const none = { reasons: [], because: null, ruledOut: [], next: null, message: null };
  if (text === null) return none;
  const stored = JSON.parse(text) as Partial<Omit<Explanation, 'message'>> & { message?: unknown };
  return { ...none, ...stored, message: messageOf(stored.message ?? null) };
}

type Grouping = Pick<Finding, 'place' | 'count' | 'examples' | 'affected'>;

/** A stored grouping, or for findings recorded before grouping: one finding at its own flow's place. */
function groupingOf(text: string | null, flow: Finding['flow']): Grouping {
  if (text !== null) return JSON.parse(text) as Grouping;
  return { place: { kind: flow === null ? 'capture' : 'client' in flow ? 'client' : 'server', name: null, port: null, addresses: [], hosts: flow === null ? 0 : 1, conversations: 0 }, count: 1, examples: [], affected: flow === null ? [] : [flow] };
}

/** Replaces the ranked matches, keeping feedback already given on a case that is still a candidate. */
export async function replaceMatches(db: Db, investigationId: string, matches: Omit<StoredMatch, 'feedback' | 'feedbackBy'>[]): Promise<void> {
  const old = await db.selectFrom('case_match').select(['case_id', 'feedback', 'feedback_by', 'feedback_at']).where('investigation_id', '=', investigationId).execute();
  const kept = new Map(old.map((r) => [r.case_id, r]));
  await db.deleteFrom('case_match').where('investigation_id', '=', investigationId).execute();
  if (matches.length === 0) return;
  await db
    .insertInto('case_match')
    .values(
      matches.map((m) => ({
        investigation_id: investigationId,
        case_id: m.caseId,
        title: m.title,
        score: m.score,
        rank: m.rank,
        strength: m.strength,
        why: JSON.stringify(m.why),
        explanation: m.explanation === null ? null : JSON.stringify(m.explanation),
        feedback: kept.get(m.caseId)?.feedback ?? null,
        feedback_by: kept.get(m.caseId)?.feedback_by ?? null,
        feedback_at: kept.get(m.caseId)?.feedback_at ?? null,
      })),
    )
    .execute();
}

export async function matchesOf(db: Db, investigationIds: string[]): Promise<(StoredMatch & { investigationId: string })[]> {
  if (investigationIds.length === 0) return [];
  const rows = await db.selectFrom('case_match').selectAll().where('investigation_id', 'in', investigationIds).orderBy('investigation_id').orderBy('rank').execute();
  return rows.map((r) => ({
    investigationId: r.investigation_id,
    caseId: r.case_id,
    title: r.title,
    score: r.score,
    rank: r.rank,
    strength: r.strength as StoredMatch['strength'],
    why: JSON.parse(r.why) as StoredMatch['why'],
    explanation: r.explanation ? (JSON.parse(r.explanation) as StoredMatch['explanation']) : null,
    feedback: r.feedback as Feedback | null,
    feedbackBy: r.feedback_by,
  }));
}

export async function setMatchFeedback(db: Db, investigationId: string, caseId: string, feedback: Feedback, by: string | null, at: string): Promise<boolean> {
  const r = await db.updateTable('case_match').set({ feedback, feedback_by: by, feedback_at: at }).where('investigation_id', '=', investigationId).where('case_id', '=', caseId).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** The top finding of each investigation (most severe, then most confident), for lists. */
export async function topFindingsOf(db: Db, investigationIds: string[]): Promise<Map<string, { code: string; title: string; severity: string }>> {
  const out = new Map<string, { code: string; title: string; severity: string; rank: number; confidence: number }>();
  if (investigationIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('finding')
    .innerJoin('capture', 'capture.id', 'finding.capture_id')
    .select(['capture.investigation_id as inv', 'finding.code', 'finding.title', 'finding.severity', 'finding.confidence'])
    .where('capture.investigation_id', 'in', investigationIds)
    .execute();
  const RANK: Record<string, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };
  for (const r of rows) {
    const rank = RANK[r.severity] ?? 0;
    const best = out.get(r.inv);
    if (best === undefined || rank > best.rank || (rank === best.rank && r.confidence > best.confidence)) out.set(r.inv, { code: r.code, title: r.title, severity: r.severity, rank, confidence: r.confidence });
  }
  return new Map([...out].map(([k, v]) => [k, { code: v.code, title: v.title, severity: v.severity }]));
}
