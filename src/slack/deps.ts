import type { Case } from '../cases/case.js';
import type { CaseIndex } from '../cases/search-cases.js';
import type { AnalyzeFileOptions } from '../analysis/analyze-file.js';
import type { InvestigationsContext } from '../investigations/context.js';
import type { Notifier } from '../report/notifier.js';
import type { Lang } from '../report/words.js';
import type { SlackFile } from './capture-files.js';
import type { DownloadResult } from './download-file.js';

/** What the listeners work with, wired by the composition root (src/main/bot.ts). */
export interface BotDeps {
  inv: InvestigationsContext;
  notifier: Notifier;
  lang: Lang;
  cases: { index: CaseIndex; byId: Map<string, Case> };
  spoolDir: string;
  maxCaptureBytes: number;
  /** Downloads a Slack file into the spool (token and trusted origins bound in). */
  download: (url: string, name: string) => Promise<DownloadResult>;
  /** files.info, for "Analyse again" after the spool copy is gone. */
  fileInfo: (fileId: string) => Promise<SlackFile | null>;
  /** When set, the only channels the bot acts in. */
  channels: Set<string> | null;
  staleDays: number;
  digestChannel: string | null;
  /** The workspace's URL from auth.test (for thread links), e.g. https://team.slack.com/ */
  workspaceUrl: string | null;
  botUserId: string | null;
  analysis: { maxDecompressedBytes: number; thresholds?: AnalyzeFileOptions['thresholds']; maxOldGenerationMb: number; worker: boolean; maxAnalysisS: number; draw: boolean };
  /** Puts an analysis job on the queue (src/jobs); a worker runs processAnalysisJob. */
  enqueue: (data: { investigationId: string; captureId: string; url: string | null; name: string; again?: boolean }) => Promise<string>;
  /** At most one progress edit per this many ms (2,000). */
  progressEveryMs: number;
  /** Resolves once the database answers (bounded): events wait out a short outage instead of failing. */
  waitForDatabase: () => Promise<void>;
  log: (level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}
