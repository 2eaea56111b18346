import { CATALOG, SEVERITY_RANK, type FindingCode, type Severity } from './catalog.js';
import type { Reason } from './reasons.js';

/**
 * One distinct problem, aggregated per connection, server or client (never one per frame).
 * `frames` are 1-based evidence frames, first problem frames first, at most MAX_FRAMES.
 */
export interface Finding {
  code: FindingCode;
  severity: Severity;
  /** 0..1 */
  confidence: number;
  title: string;
  /** What was seen, in numbers, the benign explanation when there is one, and the next step. */
  summary: string;
  frames: number[];
  frameCount: number;
  flow: FindingFlow | null;
  /** Numbers with their units in their names (rttMs, retransmittedBytes). */
  metrics: Record<string, number>;
  /** Why, language-neutral: reason ids with their facts (see reasons.ts). */
  reasons: Reason[];
  /** The reasons in the output language (report/explain.ts): the evidence for the cause in one sentence, the runners-up and what rules them out, what to capture or check next. */
  because: string | null;
  ruledOut: string[];
  next: string | null;
}

export type FindingFlow = { proto: 'tcp' | 'udp'; orig: string; resp: string } | { server: string } | { client: string };

export const MAX_FRAMES = 20;

/** Builds a finding with the catalog's title and default severity unless the evidence says otherwise. */
export function makeFinding(code: FindingCode, fields: { summary: string; frames: number[]; frameCount?: number; flow?: FindingFlow | null; metrics?: Record<string, number>; confidence?: number; severity?: Severity; reasons?: Reason[] }): Finding {
  const frames = fields.frames.slice(0, MAX_FRAMES);
  return {
    code,
    severity: fields.severity ?? CATALOG[code].severity,
    confidence: Math.round((fields.confidence ?? 0.9) * 100) / 100,
    title: CATALOG[code].title,
    summary: fields.summary,
    frames,
    frameCount: fields.frameCount ?? fields.frames.length,
    flow: fields.flow ?? null,
    metrics: fields.metrics ?? {},
    reasons: fields.reasons ?? [],
    because: null,
    ruledOut: [],
    next: null,
  };
}

/** Severity, then confidence, then first frame. */
export function rankFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || b.confidence - a.confidence || (a.frames[0] ?? Infinity) - (b.frames[0] ?? Infinity),
  );
}
