import type { Finding } from '../findings/finding.js';

/** The store's domain records: what repositories return, mapped from rows (schema.ts). */
export type InvestigationStatus = 'open' | 'resolved' | 'dismissed';
export const INVESTIGATION_STATUSES: readonly InvestigationStatus[] = ['open', 'resolved', 'dismissed'];

export type CaptureStatus = 'queued' | 'running' | 'done' | 'failed';

export interface Investigation {
  id: string;
  workspace: string | null;
  channel: string | null;
  threadTs: string | null;
  title: string;
  symptom: string;
  status: InvestigationStatus;
  owner: string | null;
  ticket: string | null;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  lastActivityAt: string;
  staleAt: string | null;
  resolution: Resolution | null;
  statusTs: string | null;
  /** The confident case match of the current ranking, or null. */
  answerCaseId: string | null;
  /** Why the ranking has no answer; null when it has one. */
  noAnswer: StoredNoAnswer | null;
}

export interface Resolution {
  rootCause: string;
  fix: string;
  commands: string | null;
  caseId: string | null;
}

export interface CaptureRecord {
  id: string;
  investigationId: string;
  slackFileId: string | null;
  name: string;
  size: number;
  sha256: string;
  format: string | null;
  packets: number | null;
  durationS: number | null;
  status: CaptureStatus;
  progress: number;
  error: string | null;
  spoolPath: string | null;
  statusTs: string | null;
  /** What the bot shows about the capture (hosts, vantage, ...), as the analysis summarised it. */
  summary: Record<string, unknown> | null;
  createdAt: string;
  analyzedAt: string | null;
  purgedAt: string | null;
}

/** A finding as stored, with the facts case matching needs to re-rank without the capture. */
export interface StoredFinding extends Finding {
  captureId: string;
  facts: Record<string, string | number | boolean>;
}

export type Feedback = 'useful' | 'wrong';

/** The store's copy of cases/match-cases.ts NoAnswer (the store sits below the cases stage). */
export interface StoredNoAnswer {
  reason: string;
  closest: string | null;
  other: string | null;
  code: string | null;
  text: string;
}

export interface StoredEvidence {
  code: string;
  severity: Finding['severity'];
  frames: number[];
}

/** A match's confidence, because-sentence, evidence and related pages, as ranked. */
export interface StoredMatchExplanation {
  confidence: 'strong' | 'likely' | 'possible';
  because: string;
  evidence: { causes: StoredEvidence[]; supports: StoredEvidence[]; contradicts: StoredEvidence[]; symptomWords: string[]; looksLike: string[] };
  related: string[];
}

export interface StoredMatch {
  caseId: string;
  title: string;
  score: number;
  rank: number;
  strength: 'match' | 'weak';
  why: { codes: string[]; words: string[]; fields: string[] };
  /** Null for rankings recorded before migration 07. */
  explanation: StoredMatchExplanation | null;
  feedback: Feedback | null;
  feedbackBy: string | null;
}

export interface TimelineEntry {
  at: string;
  kind: string;
  actor: string | null;
  text: string;
}
