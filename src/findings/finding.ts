import { CATALOG, SEVERITY_RANK, type FindingCode, type Severity } from './catalog.js';
import { renderMessage } from './finding-text.js';
import type { Message } from './messages.js';
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
  /** What was seen, in numbers, the benign explanation when there is one, and the next step: `message` in English. */
  summary: string;
  /** The summary as data (messages.ts): any renderer writes it in its language. Null for findings stored before messages existed. */
  message: Message | null;
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
  /** What the finding is about, after grouping (checks/group-findings.ts): one finding per code and place. */
  place: FindingPlace;
  /** Conversations or events it covers (refused SYNs, unanswered queries, conversations), over every member. */
  count: number;
  /** Up to MAX_EXAMPLES members, worst first; `frames` of the finding start with theirs. */
  examples: FindingExample[];
  /** The conversations (or servers, clients) it covers, up to MAX_AFFECTED; `count` counts them all. */
  affected: FindingFlow[];
}

/**
 * server: one service (address and port; a DNS or SNI name ties its addresses together);
 * service: one port at several servers; client: one host; capture: the whole capture.
 */
export interface FindingPlace {
  kind: 'server' | 'service' | 'client' | 'capture';
  /** The name clients used for it (TLS SNI, HTTP Host, DNS answer), when one name ties its addresses. */
  name: string | null;
  port: number | null;
  /** Server endpoints or host addresses, up to MAX_AFFECTED. */
  addresses: string[];
  /** How many distinct servers (or clients) the members were at. */
  hosts: number;
  /** Conversations at this place in the whole capture: the share's denominator. */
  conversations: number;
}

export interface FindingExample {
  flow: FindingFlow | null;
  frames: number[];
  metrics: Record<string, number>;
}

export const MAX_EXAMPLES = 5;
export const MAX_AFFECTED = 50;

export type FindingFlow = { proto: 'tcp' | 'udp'; orig: string; resp: string } | { server: string } | { client: string };

export const MAX_FRAMES = 20;

/** What a finding says: a message (checks), or a ready sentence (tests, hand-made findings). */
type Says = { message: Message; summary?: never } | { summary: string; message?: never };

/** Builds a finding with the catalog's title and default severity unless the evidence says otherwise; the summary is the message in English. */
export function makeFinding(code: FindingCode, fields: Says & { frames: number[]; frameCount?: number; flow?: FindingFlow | null; metrics?: Record<string, number>; confidence?: number; severity?: Severity; reasons?: Reason[] }): Finding {
  const frames = fields.frames.slice(0, MAX_FRAMES);
  return {
    code,
    severity: fields.severity ?? CATALOG[code].severity,
    confidence: Math.round((fields.confidence ?? 0.9) * 100) / 100,
    title: CATALOG[code].title,
    summary: fields.message === undefined ? fields.summary : renderMessage(fields.message, 'en'),
    message: fields.message ?? null,
    frames,
    frameCount: fields.frameCount ?? fields.frames.length,
    flow: fields.flow ?? null,
    metrics: fields.metrics ?? {},
    reasons: fields.reasons ?? [],
    because: null,
    ruledOut: [],
    next: null,
    place: { kind: 'capture', name: null, port: null, addresses: [], hosts: 0, conversations: 0 },
    count: 1,
    examples: [],
    affected: [],
  };
}

/** Severity, then confidence, then first frame. */
export function rankFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || b.confidence - a.confidence || (a.frames[0] ?? Infinity) - (b.frames[0] ?? Infinity),
  );
}
