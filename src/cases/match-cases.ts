import { SEVERITY_RANK, type Severity } from '../findings/catalog.js';
import type { Finding } from '../findings/finding.js';
import { becauseSentence, noAnswerSentence } from './because.js';
import type { Case, CaseCommand, CaseSignature, ConditionKey } from './case.js';
import type { CaseIndex } from './search-cases.js';
import { isDistinctive, symptomWeigher } from './symptom-words.js';

/**
 * Matching a capture's findings and the symptom text to case pages.
 *
 * Signatures have roles. A page's **cause** signatures combine like independent evidence
 * (1 - product of misses), weighted by each finding's severity and confidence; **supports** add at
 * half weight and never make a match alone; each **contradicts** present at medium or above halves
 * the page's evidence. A finding that defers to another cause (`symptom.explained_by`) only ever
 * supports. The symptom counts through the page's title, aliases and symptoms, with words every
 * complaint uses weighed down (symptom-words.ts).
 *
 * A page is a **match** when a cause finding at medium or above gives enough evidence, or when
 * some signature is present at any severity and the symptom names what is distinctive to the page
 * (two distinctive words and a clear symptom score). Relations: an incident page (`instance_of`)
 * leads its general page only with distinctive evidence (a finding or condition the general page
 * lacks, or a symptom that fits it better), else the general page leads and names it; a catch-all
 * page (the capture guide) never outranks a page for the problem it covers, and answers only when
 * every problem in the capture is the capture's own. A capture without a problem (nothing at medium
 * or above that is not explained by another finding) gets no answer and no list, unless the
 * symptom lifts a page as above.
 */
export type FindingFacts = Partial<Record<ConditionKey, string | number | boolean>>;

export type Confidence = 'strong' | 'likely' | 'possible';

export interface EvidenceItem {
  code: string;
  severity: Severity;
  frames: number[];
}

export interface CaseEvidence {
  causes: EvidenceItem[];
  supports: EvidenceItem[];
  contradicts: EvidenceItem[];
  /** Distinctive symptom words that matched the page's title, aliases or symptoms. */
  symptomWords: string[];
  /** Incident pages this general page's evidence also fits ("this looks like case NNN"). */
  looksLike: string[];
}

export interface CaseMatch {
  id: string;
  title: string;
  /** 0..1 */
  score: number;
  strength: 'match' | 'weak';
  confidence: Confidence;
  /** One sentence (English): the matched evidence and symptom phrases. */
  because: string;
  evidence: CaseEvidence;
  /** Ids of related pages (instance_of both ways, the catch-all's specific pages). */
  related: string[];
  why: { codes: string[]; words: string[]; fields: string[] };
  commands: CaseCommand[];
}

export interface NoAnswer {
  reason: 'healthy' | 'no_capture' | 'no_candidate' | 'weak' | 'tie' | 'contradicted';
  closest: string | null;
  other: string | null;
  code: string | null;
  /** The reason in one English line. */
  text: string;
}

export interface CaseMatches {
  candidates: CaseMatch[];
  /** The id of a confident match, or null. */
  answer: string | null;
  /** Why there is no answer, or null when there is one. */
  noAnswer: NoAnswer | null;
}

export const SEVERITY_WEIGHT: Record<Severity, number> = { critical: 1, high: 0.85, medium: 0.6, low: 0.25, info: 0.1 };
/** A medium problem at 0.9 confidence (0.6 x 0.9 x 0.9 = 0.486) is enough on its own. */
export const MATCH_THRESHOLD = 0.45;
/** A clear lead over the best unrelated candidate: 10% of its score, at least 0.03. */
const ANSWER_LEAD = 0.1;
/** A symptom score (0..1, distinctive fields, common words weighed down) that lifts a page whose signature is present. */
export const SYMPTOM_LIFT = 0.35;
const SYMPTOM_LIFT_WORDS = 2;
/** Evidence for a strong answer: a high or critical cause finding (0.85 x 0.9 confidence x 0.9 = 0.69), or a medium one with the symptom agreeing. */
const STRONG_EVIDENCE = 0.6;

type Matched = { finding: Finding; facts: FindingFacts };

interface Scored {
  page: Case;
  signature: number;
  causeProblem: boolean;
  anyPresent: boolean;
  maxSeverity: number;
  evidence: CaseEvidence;
  symptom: number;
  symptomWords: string[];
  fields: string[];
  lifted: boolean;
  contradicted: EvidenceItem | null;
  /** The cause signatures that held for some finding. */
  heldCauses: CaseSignature[];
}

/**
 * `noCapture`: the investigation has no analysed capture yet (a symptom typed before any upload):
 * pages are ranked by the symptom alone, never as an answer.
 */
export function matchCases(index: CaseIndex, findings: Matched[], symptom: string | null, limit = 5, options: { noCapture?: boolean } = {}): CaseMatches {
  if (options.noCapture === true) return bySymptomAlone(index, symptom, limit);
  const problems = findings.filter(({ finding }) => SEVERITY_RANK[finding.severity] >= SEVERITY_RANK.medium && !deferred(finding) && !missedAFrame(finding));
  const text = symptomScores(index, symptom);
  const scored: Scored[] = [];
  for (const page of index.cases) {
    const s = scorePage(page, findings);
    const t = text.get(page.id);
    if (s.signature === 0 && !s.anyPresent && (t === undefined || t.distinctive.length === 0)) continue;
    const lifted = s.anyPresent && t !== undefined && t.score >= SYMPTOM_LIFT && t.distinctive.length >= SYMPTOM_LIFT_WORDS;
    scored.push({ page, ...s, symptom: t?.score ?? 0, symptomWords: t?.distinctive ?? [], fields: t?.fields ?? [], lifted, evidence: { ...s.evidence, symptomWords: (t?.distinctive ?? []).filter((w) => !w.startsWith('syn:')) } });
  }
  // A capture where nothing went wrong: only a page the symptom lifts is worth showing.
  const healthy = problems.length === 0;
  const shown = healthy ? scored.filter((s) => s.lifted) : scored;
  const captureOnly = problems.every(({ finding }) => finding.code.startsWith('capture.'));
  const matches = shown.map((s) => toMatch(s, captureOnly, index.related.get(s.page.id) ?? []));
  applyRelations(matches, shown, index.cases);
  matches.sort((a, b) => Number(b.strength === 'match') - Number(a.strength === 'match') || b.score - a.score || a.id.localeCompare(b.id));
  orderFamilies(matches, shown);

  const top = matches.slice(0, limit);
  const scoredById = new Map(shown.map((s) => [s.page.id, s]));
  const answer = pickAnswer(top, scoredById);
  for (const m of top) {
    const s = scoredById.get(m.id) as Scored;
    m.confidence = m.id === answer ? (strongEvidence(s) ? 'strong' : 'likely') : 'possible';
    m.because = becauseSentence(m.evidence, 'en');
  }
  if (answer !== null) {
    const i = top.findIndex((m) => m.id === answer);
    if (i > 0) top.unshift(...top.splice(i, 1));
  }
  return { candidates: top, answer, noAnswer: answer !== null ? null : whyNoAnswer(top, scoredById, healthy) };
}

/** The capture missed a frame or two: the network and applications still worked; not a problem to answer. */
export const MISSED_FRAMES_NOT_A_PROBLEM = 2;

function missedAFrame(f: Finding): boolean {
  if (f.code !== 'capture.drops_suspected') return false;
  const m = f.metrics;
  return (m.interfaceDrops ?? 0) === 0 && (m.ackedUnseenSegments ?? 0) + (m.missedSynAcks ?? 0) <= MISSED_FRAMES_NOT_A_PROBLEM;
}

function bySymptomAlone(index: CaseIndex, symptom: string | null, limit: number): CaseMatches {
  const candidates: CaseMatch[] = [];
  for (const [id, t] of symptomScores(index, symptom)) {
    if (t.distinctive.length === 0) continue;
    const page = t.page;
    const evidence: CaseEvidence = { causes: [], supports: [], contradicts: [], symptomWords: t.distinctive.filter((w) => !w.startsWith('syn:')), looksLike: [] };
    const related = index.related.get(id) ?? [];
    candidates.push({ id, title: page.title, score: Math.round(0.5 * t.score * 1000) / 1000, strength: 'weak', confidence: 'possible', because: becauseSentence(evidence, 'en'), evidence, related, why: { codes: [], words: evidence.symptomWords, fields: t.fields }, commands: page.commands });
  }
  candidates.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  const reason = { reason: 'no_capture' as const, closest: candidates[0]?.id ?? null, other: null, code: null };
  return { candidates: candidates.slice(0, limit), answer: null, noAnswer: { ...reason, text: noAnswerSentence(reason, 'en') } };
}

function deferred(f: Finding): boolean {
  return f.reasons.some((r) => r.id === 'symptom.explained_by');
}

function symptomScores(index: CaseIndex, symptom: string | null): Map<string, { page: Case; score: number; distinctive: string[]; fields: string[] }> {
  const out = new Map<string, { page: Case; score: number; distinctive: string[]; fields: string[] }>();
  if (symptom === null || symptom.trim() === '') return out;
  const weigh = symptomWeigher(symptom);
  for (const hit of index.distinctive.search(symptom, 50, { weigh })) {
    out.set(hit.case.id, { page: hit.case, score: hit.score, distinctive: hit.tokens.filter((t) => isDistinctive(t, weigh)), fields: hit.why.fields });
  }
  return out;
}

function holds(sig: CaseSignature, m: Matched): boolean {
  if (m.finding.code !== sig.code) return false;
  return Object.entries(sig.when).every(([k, v]) => (k === 'reason' ? m.finding.reasons.some((r) => r.id === v) : m.facts[k as ConditionKey] === v));
}

function item(f: Finding): EvidenceItem {
  return { code: f.code, severity: f.severity, frames: f.frames.slice(0, 4) };
}

function scorePage(page: Case, findings: Matched[]): Omit<Scored, 'page' | 'symptom' | 'symptomWords' | 'fields' | 'lifted'> {
  let causeMiss = 1;
  let supportMiss = 1;
  let contra = 1;
  let penalty = 1;
  let causeProblem = false;
  let anyPresent = false;
  let maxSeverity = -1;
  let contradicted: EvidenceItem | null = null;
  const heldCauses: CaseSignature[] = [];
  const causes = new Map<string, EvidenceItem>();
  const supports = new Map<string, EvidenceItem>();
  const contradicts = new Map<string, EvidenceItem>();
  for (const sig of page.signatures) {
    let best = 0;
    let bestSupport = 0;
    for (const m of findings) {
      if (m.finding.code !== sig.code) continue;
      const conditions = Object.keys(sig.when);
      if (!holds(sig, m)) {
        // The page expected this finding under other circumstances: a little evidence against it.
        if (sig.role !== 'contradicts' && conditions.some((k) => k !== 'reason' && m.facts[k as ConditionKey] !== undefined)) penalty *= 0.9;
        continue;
      }
      const f = m.finding;
      if (sig.role === 'contradicts') {
        if (SEVERITY_RANK[f.severity] >= SEVERITY_RANK.medium && !deferred(f) && !contradicts.has(f.code)) {
          contra *= 0.5;
          contradicts.set(f.code, item(f));
          contradicted ??= item(f);
        }
        continue;
      }
      anyPresent = true;
      const value = SEVERITY_WEIGHT[f.severity] * f.confidence * (conditions.length > 0 ? 1 : 0.9);
      if (sig.role === 'cause' && !deferred(f)) {
        if (value > best) best = value;
        if (!heldCauses.includes(sig)) heldCauses.push(sig);
        if (!causes.has(f.code) || SEVERITY_RANK[f.severity] > SEVERITY_RANK[(causes.get(f.code) as EvidenceItem).severity]) causes.set(f.code, item(f));
        if (SEVERITY_RANK[f.severity] >= SEVERITY_RANK.medium) causeProblem = true;
        maxSeverity = Math.max(maxSeverity, SEVERITY_RANK[f.severity]);
      } else {
        if (value / 2 > bestSupport) bestSupport = value / 2;
        if (!causes.has(f.code)) supports.set(f.code, item(f));
      }
    }
    causeMiss *= 1 - best;
    supportMiss *= 1 - bestSupport;
  }
  const cause = 1 - causeMiss;
  // Supporting evidence alone never reaches a match.
  const raw = cause > 0 ? 1 - causeMiss * supportMiss : Math.min(1 - supportMiss, MATCH_THRESHOLD * 0.6);
  for (const code of causes.keys()) supports.delete(code);
  return {
    signature: raw * contra * penalty,
    causeProblem,
    anyPresent,
    maxSeverity,
    contradicted,
    heldCauses,
    evidence: { causes: [...causes.values()], supports: [...supports.values()], contradicts: [...contradicts.values()], symptomWords: [], looksLike: [] },
  };
}

function toMatch(s: Scored, captureOnly: boolean, related: string[]): CaseMatch {
  const score = s.signature > 0 ? 0.75 * s.signature + 0.25 * s.symptom : 0.5 * s.symptom;
  let strength: CaseMatch['strength'] = (s.causeProblem && s.signature >= MATCH_THRESHOLD) || s.lifted ? 'match' : 'weak';
  // The capture guide answers only when the capture's own defects are what the findings come down to.
  if (s.page.catchAll && !captureOnly) strength = 'weak';
  return {
    id: s.page.id,
    title: s.page.title,
    score: Math.round(score * 1000) / 1000,
    strength,
    confidence: 'possible',
    because: '',
    evidence: s.evidence,
    related: [...related],
    why: { codes: [...s.evidence.causes, ...s.evidence.supports].map((e) => e.code), words: s.symptomWords.filter((w) => !w.startsWith('syn:')), fields: s.fields },
    commands: s.page.commands,
  };
}

/** Incident and general page: which leads, and the general page names the incident its evidence fits. */
function applyRelations(matches: CaseMatch[], scored: Scored[], cases: readonly Case[]): void {
  const m = new Map(matches.map((x) => [x.id, x]));
  const s = new Map(scored.map((x) => [x.page.id, x]));
  for (const page of cases) {
    if (page.instanceOf === null) continue;
    const inst = m.get(page.id);
    const gen = m.get(page.instanceOf);
    if (inst === undefined || gen === undefined || inst.strength !== 'match') continue;
    const general = s.get(gen.id) as Scored;
    if (!general.page.catchAll && !distinctive(s.get(inst.id) as Scored, general)) {
      if (!gen.evidence.looksLike.includes(inst.id)) gen.evidence.looksLike.push(inst.id);
    }
  }
}

/** The incident shows something its general page does not: a cause code or condition the general page lacks, or a symptom that fits it better. */
function distinctive(inst: Scored, general: Scored): boolean {
  const generalCodes = new Set(general.page.signatures.filter((x) => x.role !== 'contradicts').map((x) => x.code));
  if (inst.heldCauses.some((x) => !generalCodes.has(x.code))) return true;
  // A condition the general page does not have held (the Windows server's TTL class, the Android client's).
  if (inst.heldCauses.some((x) => Object.keys(x.when).length > 0 && !general.page.signatures.some((g) => g.code === x.code && JSON.stringify(g.when) === JSON.stringify(x.when)))) return true;
  return inst.symptomWords.length >= SYMPTOM_LIFT_WORDS && inst.symptom >= general.symptom + 0.1;
}

/** Within a family, the page that should lead comes first (right before its relative). */
function orderFamilies(matches: CaseMatch[], scored: Scored[]): void {
  const s = new Map(scored.map((x) => [x.page.id, x]));
  const byId = new Map(scored.map((x) => [x.page.id, x.page]));
  for (let guard = 0; guard < matches.length; guard++) {
    let moved = false;
    for (let i = 0; i < matches.length && !moved; i++) {
      const page = byId.get(matches[i].id) as Case;
      for (let j = i + 1; j < matches.length; j++) {
        const other = byId.get(matches[j].id) as Case;
        if ((matches[j].strength === 'match') !== (matches[i].strength === 'match') || !leadsOver(other, page, s)) continue;
        matches.splice(i, 0, ...matches.splice(j, 1));
        moved = true;
        break;
      }
    }
    if (!moved) return;
  }
}

/** Should page `a` lead page `b` of the same family? */
function leadsOver(a: Case, b: Case, s: Map<string, Scored>): boolean {
  const sa = s.get(a.id) as Scored;
  const sb = s.get(b.id) as Scored;
  if (a.instanceOf === b.id) return b.catchAll || distinctive(sa, sb);
  if (b.instanceOf === a.id) return !a.catchAll && !distinctive(sb, sa);
  return false;
}

function pickAnswer(top: CaseMatch[], s: Map<string, Scored>): string | null {
  const first = top[0];
  if (first === undefined || first.strength !== 'match') return null;
  const family = new Set([first.id, ...first.related]);
  const rival = top.find((m) => !family.has(m.id) && m.strength === 'match');
  if (rival === undefined) return first.id;
  const a = s.get(first.id) as Scored;
  const b = s.get(rival.id) as Scored;
  if (first.score - rival.score >= Math.max(0.03, ANSWER_LEAD * rival.score) || a.maxSeverity > b.maxSeverity) return first.id;
  return null;
}

function strongEvidence(s: Scored): boolean {
  return (s.signature >= STRONG_EVIDENCE && s.maxSeverity >= SEVERITY_RANK.high) || (s.causeProblem && s.lifted);
}

function whyNoAnswer(top: CaseMatch[], s: Map<string, Scored>, healthy: boolean): NoAnswer {
  const make = (reason: NoAnswer['reason'], closest: string | null, other: string | null, code: string | null): NoAnswer => ({ reason, closest, other, code, text: noAnswerSentence({ reason, closest, other, code }, 'en') });
  if (healthy && top.length === 0) return make('healthy', null, null, null);
  if (top.length === 0) return make('no_candidate', null, null, null);
  // The closest page that is about a specific problem (a catch-all only when nothing else is there).
  const first = top.find((m) => !(s.get(m.id) as Scored).page.catchAll) ?? top[0];
  const sf = s.get(first.id) as Scored;
  if (sf.contradicted !== null && first.strength === 'weak') return make('contradicted', first.id, null, sf.contradicted.code);
  if (first.strength === 'weak') return make('weak', first.id, null, null);
  const family = new Set([first.id, ...first.related]);
  const rival = top.find((m) => !family.has(m.id));
  const shared = rival === undefined ? null : (first.why.codes.find((c) => rival.why.codes.includes(c)) ?? null);
  return make('tie', first.id, rival?.id ?? null, shared);
}
