import type { Case } from '../cases/case.js';
import { CaseIndex } from '../cases/search-cases.js';
import { findingsOf, matchesOf, topFindingsOf } from '../store/analysis-repo.js';
import { capturesOf } from '../store/capture-repo.js';
import { listInvestigations } from '../store/investigation-repo.js';
import type { CaptureRecord, Investigation, InvestigationStatus, StoredFinding, StoredMatch, TimelineEntry } from '../store/records.js';
import { addTimeline, timelineOf } from '../store/timeline-repo.js';
import type { InvestigationsContext } from './context.js';
import { requireInvestigation } from './lifecycle.js';

/** One line of `investigations list`, and of the digest. */
export interface InvestigationItem {
  id: string;
  status: InvestigationStatus;
  title: string;
  channel: string | null;
  threadTs: string | null;
  owner: string | null;
  ticket: string | null;
  createdAt: string;
  lastActivityAt: string;
  ageDays: number;
  /** Days since the last activity. */
  idleDays: number;
  stale: boolean;
  topFinding: { code: string; title: string; severity: string } | null;
  bestCase: { id: string; title: string; strength: string; score: number } | null;
}

export interface InvestigationDetail extends InvestigationItem {
  symptom: string;
  resolution: Investigation['resolution'];
  resolvedAt: string | null;
  answerCaseId: string | null;
  /** Why the ranking has no answer, or null. */
  noAnswer: Investigation['noAnswer'];
  statusTs: string | null;
  captures: CaptureRecord[];
  findings: StoredFinding[];
  matches: StoredMatch[];
  timeline: TimelineEntry[];
}

const DAY_MS = 86_400_000;

function days(from: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(from)) / DAY_MS));
}

async function items(ctx: InvestigationsContext, list: Investigation[]): Promise<InvestigationItem[]> {
  const ids = list.map((i) => i.id);
  const tops = await topFindingsOf(ctx.store.db, ids);
  const best = new Map<string, StoredMatch>();
  for (const m of await matchesOf(ctx.store.db, ids)) if (!best.has(m.investigationId) && m.feedback !== 'wrong') best.set(m.investigationId, m);
  const now = ctx.now();
  return list.map((inv) => {
    const b = best.get(inv.id);
    return {
      id: inv.id, status: inv.status, title: inv.title, channel: inv.channel, threadTs: inv.threadTs, owner: inv.owner, ticket: inv.ticket, createdAt: inv.createdAt, lastActivityAt: inv.lastActivityAt,
      ageDays: days(inv.createdAt, now), idleDays: days(inv.lastActivityAt, now), stale: inv.staleAt !== null,
      topFinding: tops.get(inv.id) ?? null,
      bestCase: b === undefined ? null : { id: b.caseId, title: b.title, strength: b.strength, score: b.score },
    };
  });
}

/** Newest first; `limit` caps the list (default 200). */
export async function listInvestigationItems(ctx: InvestigationsContext, filter: { status: InvestigationStatus | 'all'; channel?: string; owner?: string; limit?: number }): Promise<InvestigationItem[]> {
  return items(ctx, await listInvestigations(ctx.store.db, { ...filter, limit: filter.limit ?? 200 }));
}

export async function showInvestigation(ctx: InvestigationsContext, id: string): Promise<InvestigationDetail> {
  const inv = await requireInvestigation(ctx, id);
  const [item] = await items(ctx, [inv]);
  return {
    ...item,
    symptom: inv.symptom,
    resolution: inv.resolution,
    resolvedAt: inv.resolvedAt,
    answerCaseId: inv.answerCaseId,
    noAnswer: inv.noAnswer,
    statusTs: inv.statusTs,
    captures: await capturesOf(ctx.store.db, [inv.id]),
    findings: await findingsOf(ctx.store.db, inv.id),
    matches: (await matchesOf(ctx.store.db, [inv.id])).map(({ investigationId: _, ...m }) => m),
    timeline: await timelineOf(ctx.store.db, inv.id),
  };
}

/**
 * Marks open investigations without activity for `staleDays` as stale (once; activity clears it)
 * and returns those newly marked.
 */
export async function markStale(ctx: InvestigationsContext, staleDays: number): Promise<string[]> {
  const now = ctx.now();
  const cutoff = new Date(now.getTime() - staleDays * DAY_MS).toISOString();
  const rows = await ctx.store.db.selectFrom('investigation').select('id').where('status', '=', 'open').where('stale_at', 'is', null).where('last_activity_at', '<', cutoff).execute();
  const marked: string[] = [];
  for (const { id } of rows) {
    const r = await ctx.store.db.updateTable('investigation').set({ stale_at: now.toISOString() }).where('id', '=', id).where('stale_at', 'is', null).where('last_activity_at', '<', cutoff).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) continue;
    await addTimeline(ctx.store.db, id, now, 'stale', null, `no activity for ${staleDays} days`);
    marked.push(id);
  }
  return marked;
}

export interface ResolvedHit {
  id: string;
  title: string;
  score: number;
  why: { fields: string[]; words: string[] };
  rootCause: string;
  fix: string;
  caseId: string | null;
  resolvedAt: string | null;
}

/**
 * Searches resolved investigations with the case library's own search (the same bilingual
 * tokenizer and ranking): each one is indexed like a case page made of its title, symptom,
 * findings, root cause, fix and commands. Searches the newest `scan` resolved ones.
 */
export async function searchResolved(ctx: InvestigationsContext, text: string, limit = 10, scan = 5000): Promise<ResolvedHit[]> {
  const resolved = await listInvestigations(ctx.store.db, { status: 'resolved', limit: scan });
  if (resolved.length === 0) return [];
  const codes = new Map<string, string[]>();
  const rows = await ctx.store.db
    .selectFrom('finding')
    .innerJoin('capture', 'capture.id', 'finding.capture_id')
    .select(['capture.investigation_id as inv', 'finding.code', 'finding.title'])
    .where('capture.investigation_id', 'in', resolved.map((r) => r.id))
    .execute();
  for (const r of rows) codes.set(r.inv, [...(codes.get(r.inv) ?? []), `${r.code} ${r.title}`]);
  const pages: Case[] = resolved.map((inv) => ({
    id: inv.id,
    title: inv.title,
    titleZh: '',
    aliases: [inv.ticket ?? '', inv.resolution?.caseId ?? ''].filter((x) => x !== ''),
    symptoms: inv.symptom === '' ? [] : [inv.symptom],
    platforms: [],
    instanceOf: null,
    catchAll: false,
    signatures: [],
    commands: inv.resolution?.commands ? [{ platform: '', shell: '', command: inv.resolution.commands, purpose: '', purposeZh: '', effect: 'change', risk: '', riskZh: '', reboot: false }] : [],
    references: [],
    ticket: inv.ticket,
    sections: { Summary: '', Symptoms: inv.symptom, 'How to confirm': [...new Set(codes.get(inv.id) ?? [])].join('\n'), 'Root cause': inv.resolution?.rootCause ?? '', Resolution: inv.resolution?.fix ?? '', 'What did not help': '' },
    file: '',
  }));
  const byId = new Map(resolved.map((r) => [r.id, r]));
  return new CaseIndex(pages).search(text, limit).map((hit) => {
    const inv = byId.get(hit.case.id)!;
    return { id: inv.id, title: inv.title, score: hit.score, why: hit.why, rootCause: inv.resolution?.rootCause ?? '', fix: inv.resolution?.fix ?? '', caseId: inv.resolution?.caseId ?? null, resolvedAt: inv.resolvedAt };
  });
}
