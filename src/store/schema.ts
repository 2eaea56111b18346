/**
 * The tables as Kysely sees them (migrations/ creates them). Rows are plain data: repositories map
 * them to the records in records.ts. Times are ISO-8601 UTC text; JSON columns are text; bigint
 * columns come back as numbers from SQLite and as strings from PostgreSQL (read them with Number()).
 */
export interface Database {
  investigation: InvestigationTable;
  capture: CaptureTable;
  finding: FindingTable;
  case_match: CaseMatchTable;
  timeline: TimelineTable;
  processed_event: { event_id: string; received_at: string };
  digest_lease: { slot: string; holder: string; acquired_at: string; posted_at: string | null };
  job: JobTable;
}

export interface JobTable {
  id: string;
  queue: string;
  data: string;
  state: string;
  attempts: number;
  retry_limit: number;
  run_after: string;
  worker: string | null;
  expires_at: string | null;
  output: string | null;
  created_at: string;
  updated_at: string;
}

export interface InvestigationTable {
  id: string;
  workspace: string | null;
  channel: string | null;
  thread_ts: string | null;
  title: string;
  symptom: string;
  status: string;
  owner: string | null;
  ticket: string | null;
  created_at: string;
  updated_at: string;
  resolved_at: string | null;
  last_activity_at: string;
  stale_at: string | null;
  root_cause: string | null;
  fix: string | null;
  commands: string | null;
  resolved_case_id: string | null;
  status_ts: string | null;
  version: number;
  answer_case_id: string | null;
  /** Why the ranking has no answer (JSON NoAnswer, migration 07); null when it has one or before. */
  no_answer: string | null;
}

export interface CaptureTable {
  id: string;
  investigation_id: string;
  slack_file_id: string | null;
  name: string;
  size: number | string;
  sha256: string;
  format: string | null;
  packets: number | string | null;
  duration_s: number | null;
  status: string;
  progress: number;
  error: string | null;
  spool_path: string | null;
  runner: string | null;
  heartbeat_at: string | null;
  status_ts: string | null;
  summary: string | null;
  created_at: string;
  analyzed_at: string | null;
  purged_at: string | null;
}

export interface FindingTable {
  capture_id: string;
  ordinal: number;
  code: string;
  severity: string;
  confidence: number;
  title: string;
  summary: string;
  frames: string;
  frame_count: number;
  flow: string | null;
  metrics: string;
  facts: string;
  /** JSON {reasons, because, ruledOut, next}; null before migration 5. */
  explanation: string | null;
  /** Place, count, examples and affected conversations (migration 06), JSON; null before grouping. */
  grouping: string | null;
}

export interface CaseMatchTable {
  investigation_id: string;
  case_id: string;
  title: string;
  score: number;
  rank: number;
  strength: string;
  why: string;
  /** Confidence, because, evidence, related (JSON, migration 07); null before. */
  explanation: string | null;
  feedback: string | null;
  feedback_by: string | null;
  feedback_at: string | null;
}

export interface TimelineTable {
  id: string;
  investigation_id: string;
  at: string;
  kind: string;
  actor: string | null;
  text: string;
}
