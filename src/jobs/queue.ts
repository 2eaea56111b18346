/**
 * Analysis jobs: an upload enqueues one; workers (in the bot process, or `netcase worker`
 * elsewhere) take them. Two implementations with the same semantics: pg-boss on PostgreSQL, and a
 * small queue table in the SQLite store. A job that throws is retried with back-off up to its
 * retry limit; a PermanentJobError (a bad capture) is not retried; an active job whose worker
 * vanished expires and runs again.
 */
export const ANALYSIS_QUEUE = 'netcase-analysis';
/** pg-boss moves jobs out of attempts here; a worker reports them (JobInfo.giveUp). */
export const DEAD_LETTER_QUEUE = 'netcase-analysis-dead';

export interface AnalysisJobData {
  investigationId: string;
  captureId: string;
  /** Where the worker fetches the capture (a Slack file URL), or null when it is in the spool. */
  url: string | null;
  name: string;
  [key: string]: unknown;
}

export interface JobInfo {
  id: string;
  /** 1 for the first attempt. */
  attempt: number;
  retryLimit: number;
  /**
   * The job is out of attempts without having finished (its workers kept vanishing): do not run
   * it again, only report that it did not finish.
   */
  giveUp?: boolean;
}

export type JobHandler = (data: AnalysisJobData, job: JobInfo) => Promise<void>;

/** The job failed for a reason a retry cannot fix (an unreadable capture, a capture over the limits). */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

export interface JobSummary {
  id: string;
  state: 'created' | 'retry' | 'active' | 'completed' | 'failed' | 'cancelled';
  attempts: number;
  retryLimit: number;
  data: AnalysisJobData;
  createdAt: string;
  updatedAt: string | null;
  error: string | null;
}

export interface QueueSettings {
  /** Retries after the first attempt (NETCASE_JOB_RETRIES). */
  retryLimit: number;
  /** First back-off delay in seconds; doubles each retry. */
  retryDelayS: number;
  /** An active job not finished by then is taken to be abandoned and runs again. */
  expireInS: number;
  /** How often an idle worker looks for work. */
  pollMs: number;
}

export interface JobQueue {
  kind: 'sqlite' | 'pg-boss';
  enqueue(data: AnalysisJobData): Promise<string>;
  /** Starts `concurrency` workers on this process. */
  work(handler: JobHandler, concurrency: number, workerName: string): Promise<void>;
  /** Stops taking jobs; waits up to `timeoutMs` for running ones, then hands the rest back. */
  stop(timeoutMs: number): Promise<void>;
  list(limit: number): Promise<JobSummary[]>;
  retry(id: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Back-off: retryDelayS, doubling each attempt, at most 10 minutes. */
export function backoffMs(settings: QueueSettings, attempt: number): number {
  return Math.min(600_000, settings.retryDelayS * 1000 * 2 ** Math.max(0, attempt - 1));
}
