import { SEVERITY_RANK, type Severity } from '../findings/catalog.js';
import type { Finding } from '../findings/finding.js';
import type { Case, CaseCommand, ConditionKey } from './case.js';
import type { CaseIndex } from './search-cases.js';

/**
 * Matching a capture's findings and the symptom text to case pages. A page's signature matches a
 * finding with its code when every condition holds for that finding's facts; matched signatures
 * combine like independent evidence (1 - product of misses), weighted by the finding's severity
 * and confidence. The symptom text adds the page's search score. A candidate is a "match" only
 * when a problem finding (medium or worse) matched its signatures strongly enough; the answer is
 * the best match when it leads the next candidate clearly. A weak match is never the answer.
 */
export type FindingFacts = Partial<Record<ConditionKey, string | number | boolean>>;

export interface CaseMatch {
  id: string;
  title: string;
  /** 0..1 */
  score: number;
  strength: 'match' | 'weak';
  why: { codes: string[]; words: string[]; fields: string[] };
  commands: CaseCommand[];
}

export interface CaseMatches {
  candidates: CaseMatch[];
  /** The id of a confident match, or null. */
  answer: string | null;
}

const SEVERITY_WEIGHT: Record<Severity, number> = { critical: 1, high: 0.85, medium: 0.6, low: 0.25, info: 0.1 };
/** A medium problem at 0.9 confidence (0.6 x 0.9 x 0.9 = 0.486) is enough on its own. */
const MATCH_THRESHOLD = 0.45;
/** A clear lead: 10% of the runner-up's score, at least 0.03. */
const ANSWER_LEAD = 0.1;

export function matchCases(index: CaseIndex, findings: { finding: Finding; facts: FindingFacts }[], symptom: string | null, limit = 5): CaseMatches {
  const text = new Map<string, { score: number; words: string[]; fields: string[] }>();
  if (symptom !== null && symptom.trim() !== '') {
    for (const hit of index.search(symptom, 50)) text.set(hit.case.id, { score: hit.score, words: hit.why.words, fields: hit.why.fields });
  }
  const candidates: CaseMatch[] = [];
  const severity = new Map<string, number>();
  for (const c of index.cases) {
    const signature = signatureScore(c, findings);
    const t = text.get(c.id);
    if (signature.score === 0 && t === undefined) continue;
    const score = findings.length > 0 && signature.score > 0 ? 0.8 * signature.score + 0.2 * (t?.score ?? 0) : 0.6 * (t?.score ?? 0);
    const strength = signature.problem && signature.score >= MATCH_THRESHOLD ? 'match' : 'weak';
    severity.set(c.id, signature.maxSeverity);
    candidates.push({ id: c.id, title: c.title, score: Math.round(score * 1000) / 1000, strength, why: { codes: signature.codes, words: t?.words ?? [], fields: t?.fields ?? [] }, commands: c.commands });
  }
  candidates.sort((a, b) => Number(b.strength === 'match') - Number(a.strength === 'match') || b.score - a.score || a.id.localeCompare(b.id));
  const top = candidates.slice(0, limit);
  const [first, second] = top;
  // The answer leads clearly: by score, or by explaining a more severe finding than the runner-up.
  const leads = (a: CaseMatch, b: CaseMatch | undefined) =>
    b === undefined || b.strength === 'weak' || a.score - b.score >= Math.max(0.03, ANSWER_LEAD * b.score) || (severity.get(a.id) ?? -1) > (severity.get(b.id) ?? -1);
  const answer = first !== undefined && first.strength === 'match' && leads(first, second) ? first.id : null;
  return { candidates: top, answer };
}

function signatureScore(c: Case, findings: { finding: Finding; facts: FindingFacts }[]): { score: number; codes: string[]; problem: boolean; maxSeverity: number } {
  let miss = 1;
  let problem = false;
  let maxSeverity = -1;
  let penalty = 1;
  const codes = new Set<string>();
  for (const sig of c.signatures) {
    let best = 0;
    for (const { finding, facts } of findings) {
      if (finding.code !== sig.code) continue;
      const conditions = Object.entries(sig.when);
      if (!conditions.every(([k, v]) => facts[k as ConditionKey] === v)) {
        // The page expected this finding under other circumstances: a little evidence against it.
        if (conditions.some(([k]) => facts[k as ConditionKey] !== undefined)) penalty *= 0.9;
        continue;
      }
      const value = SEVERITY_WEIGHT[finding.severity] * finding.confidence * (conditions.length > 0 ? 1 : 0.9);
      if (value > best) best = value;
      codes.add(finding.code);
      if (SEVERITY_RANK[finding.severity] >= SEVERITY_RANK.medium) problem = true;
      maxSeverity = Math.max(maxSeverity, SEVERITY_RANK[finding.severity]);
    }
    miss *= 1 - best;
  }
  return { score: (1 - miss) * penalty, codes: [...codes], problem, maxSeverity };
}
