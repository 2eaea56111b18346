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

export interface StoredMatch {
  caseId: string;
  title: string;
  score: number;
  rank: number;
  strength: 'match' | 'weak';
  why: { codes: string[]; words: string[]; fields: string[] };
  feedback: Feedback | null;
  feedbackBy: string | null;
}

export interface TimelineEntry {
  at: string;
  kind: string;
  actor: string | null;
  text: string;
}
