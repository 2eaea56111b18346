import { readdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { Server } from 'node:http';
import cron, { type ScheduledTask } from 'node-cron';
import pino from 'pino';
import { loadCaseLibrary } from '../cases/load-case-library.js';
import { CaseIndex } from '../cases/search-cases.js';
import { readThresholds } from '../cli/analyze-command.js';
import { ConfigError } from '../config.js';
import { openInvestigations } from '../investigations/open-investigations.js';
import { purge } from '../investigations/retention.js';
import { openQueue } from '../jobs/open-queue.js';
import { PermanentJobError, type JobQueue } from '../jobs/queue.js';
import { JobGaveUp, processAnalysisJob } from '../slack/analysis-job.js';
import { chooseReceiver, createApp } from '../slack/app.js';
import type { SlackFile } from '../slack/capture-files.js';
import type { BotDeps } from '../slack/deps.js';
import { postScheduledDigest } from '../slack/digest.js';
import { downloadToSpool, SLACK_FILE_HOSTS } from '../slack/download-file.js';
import { TokenRefused, verifyToken, webNotifier, type AuthResult } from '../slack/web-notifier.js';
import { readBotConfig, type BotConfig } from './bot-config.js';

/**
 * How long a job may stay active before it counts as abandoned (pg-boss 10 has no heartbeat): the
 * download, the analysis, and a margin for recording and posting. Shorter, and a slow but live
 * job would be started a second time.
 */
export function jobExpiryS(c: Pick<BotConfig, 'maxAnalysisS' | 'downloadTimeoutS'>): number {
  const work = c.maxAnalysisS + c.downloadTimeoutS;
  return work + Math.min(120, work);
}

export interface RunningBot {
  deps: BotDeps;
  config: BotConfig;
  queue: JobQueue;
  /** The HTTP port actually listened on (HTTP mode, bot role). */
  port: number | null;
  receiverKind: 'http' | 'socket' | null;
  /** Posts the digest for a slot (what the cron job runs). */
  digestNow(slot: Date): Promise<boolean>;
  stop(): Promise<void>;
}

type Log = BotDeps['log'];

/**
 * Structured JSON logs (pino), one line per event on stdout, filtered by LOG_LEVEL, with the
 * process's role and id on every line and the investigation, capture and job ids where there are
 * some. Never tokens, file contents or request secrets: callers pass ids and messages only, and
 * the token-bearing keys are redacted in case one slips in.
 */
function logger(levelName: BotConfig['logLevel'], write: (line: string) => void, base: Record<string, unknown>): Log {
  const p = pino(
    {
      level: levelName,
      base,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: ['token', 'authorization', 'headers.authorization', '*.token'], censor: '[redacted]' },
    },
    { write },
  );
  return (level, message, fields = {}) => p[level](fields, message);
}

/**
 * The composition root of the Slack bot and its workers: configuration, the store, the case
 * library, the Web API notifier (auth.test first), the job queue (pg-boss on PostgreSQL, the
 * store's queue table on SQLite), and by NETCASE_ROLE the Bolt app with its receiver (bot), the
 * analysis workers (worker), or both (all, the default); plus the scheduled digest and purge.
 */
export async function startBot(env: Record<string, string | undefined>, options: { port?: number; write?: (line: string) => void; now?: () => Date; holder?: string; role?: BotConfig['role'] } = {}): Promise<RunningBot> {
  const config = readBotConfig(env);
  const role = options.role ?? config.role;
  const holder = options.holder ?? `${hostname()}:${process.pid}`;
  const log = logger(config.logLevel, options.write ?? ((l) => process.stdout.write(l)), { role, process: holder });
  const apiOptions = config.apiUrl ? { slackApiUrl: config.apiUrl } : {};
  let auth: AuthResult;
  try {
    auth = await verifyToken(config.botToken, apiOptions);
  } catch (error) {
    if (error instanceof TokenRefused) throw new ConfigError(`Slack refused SLACK_BOT_TOKEN at auth.test (${error.message}): copy the Bot User OAuth Token again from "OAuth & Permissions"${config.apiUrl ? ' and check SLACK_API_URL' : ''}`);
    throw new ConfigError(`cannot reach Slack's Web API${config.apiUrl ? ` at ${config.apiUrl}` : ''} for auth.test (${(error as Error).message}): check the network${config.apiUrl ? ' and SLACK_API_URL' : ''}`);
  }
  const notifier = webNotifier(config.botToken, apiOptions);
  const store = await openInvestigations(config, options.now);
  const queue = await openQueue(config.database, store.store, { retryLimit: config.jobRetries, retryDelayS: 5, expireInS: jobExpiryS(config), pollMs: 500 }, (m) => log('warn', m));
  /** One cheap query: does the database answer? */
  const pingDatabase = () => store.store.db.selectFrom('investigation').select('id').limit(1).execute();
  const library = await loadCaseLibrary({ readdir, readFile }, config.caseLibraryDir);
  const trusted = new Set([...SLACK_FILE_HOSTS, ...(config.apiUrl ? [new URL(config.apiUrl).origin] : []), ...config.fileOrigins]);
  const deps: BotDeps = {
    inv: store,
    notifier,
    lang: config.lang,
    cases: { index: new CaseIndex(library.cases), byId: new Map(library.cases.map((c) => [c.id, c])) },
    spoolDir: config.spoolDir,
    maxCaptureBytes: config.maxCaptureBytes,
    download: (url, name) => downloadToSpool(url, { token: config.botToken, trustedOrigins: trusted, maxBytes: config.maxCaptureBytes, spoolDir: config.spoolDir, name, timeoutMs: config.downloadTimeoutS * 1000 }),
    fileInfo: async (fileId) => {
      try {
        return ((await notifier.client.files.info({ file: fileId })).file as SlackFile | undefined) ?? null;
      } catch (error) {
        // A file deleted from Slack is simply gone; anything else is a real error.
        if (['file_not_found', 'file_deleted'].includes((error as { data?: { error?: string } }).data?.error ?? '')) return null;
        throw error;
      }
    },
    channels: config.channels,
    staleDays: config.staleDays,
    digestChannel: config.digest?.channel ?? null,
    workspaceUrl: auth.url,
    botUserId: auth.userId,
    analysis: { maxDecompressedBytes: config.maxDecompressedBytes, maxOldGenerationMb: config.analysisHeapMb, worker: true, thresholds: await readThresholds(config.thresholdsFile), maxAnalysisS: config.maxAnalysisS, draw: true },
    enqueue: (data) => queue.enqueue(data),
    waitForDatabase: async () => {
      // Bounded: five minutes of one-second tries, then the work goes ahead and reports its own error.
      for (let i = 0; i < 300; i++) {
        try {
          await pingDatabase();
          return;
        } catch (error) {
          if (i === 0) log('warn', 'database unreachable; waiting', { error: (error as Error).message });
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    },
    progressEveryMs: 2000,
    log,
  };

  let port: number | null = null;
  let receiverKind: 'http' | 'socket' | null = null;
  let app: ReturnType<typeof createApp> | null = null;
  const tasks: ScheduledTask[] = [];
  const digestNow = (slot: Date) => (config.digest === null ? Promise.resolve(false) : postScheduledDigest(deps, config.digest.channel, slot, holder));
  if (role !== 'worker') {
    // auth.test at most every 30 s: /readyz is unauthenticated and may be polled often.
    let slackCheckedAt = 0;
    const ready = async () => {
      await pingDatabase();
      if (Date.now() - slackCheckedAt > 30_000) {
        await verifyToken(config.botToken, apiOptions);
        slackCheckedAt = Date.now();
      }
    };
    const { kind, receiver } = chooseReceiver(config, [
      { path: '/healthz', method: ['GET'], handler: (_req, res) => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('ok\n'); } },
      {
        path: '/readyz',
        method: ['GET'],
        handler: (_req, res) => {
          ready().then(
            () => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('ready\n'); },
            (e: Error) => { res.writeHead(503, { 'content-type': 'text/plain' }); res.end(`not ready: ${e.message.split('\n')[0]}\n`); },
          );
        },
      },
    ], (status, why) => log('warn', 'request refused', { status, why }));
    app = createApp(deps, { token: config.botToken, receiver, apiUrl: config.apiUrl, logLevel: config.logLevel, botUserId: auth.userId, botId: auth.botId });
    const listening = (await app.start(kind === 'http' ? (options.port ?? config.port) : (undefined as never))) as unknown as Server | undefined;
    const address = kind === 'http' ? listening?.address() : null;
    port = address && typeof address === 'object' ? address.port : null;
    receiverKind = kind;
    if (config.digest !== null) {
      tasks.push(cron.schedule(config.digest.cron, (ctx) => void digestNow(ctx.date).catch((e: Error) => log('error', 'digest failed', { error: e.message })), { timezone: config.digest.tz, name: 'netcase-digest' }));
    }
    tasks.push(cron.schedule('17 3 * * *', () => void purge(store, config.retentionDays, config.spoolDir).then((r) => log('info', 'purged', { ...r }), (e: Error) => log('error', 'purge failed', { error: e.message })), { name: 'netcase-purge' }));
  }
  if (role !== 'bot') {
    await queue.work(
      async (data, job) => {
        log('info', 'job started', { job: job.id, attempt: job.attempt, investigation: data.investigationId, capture: data.captureId });
        try {
          await processAnalysisJob(deps, data, job.attempt, job.attempt > job.retryLimit, job.giveUp === true);
          log('info', 'job done', { job: job.id, investigation: data.investigationId, capture: data.captureId });
        } catch (error) {
          log(error instanceof JobGaveUp ? 'info' : 'warn', 'job failed', { job: job.id, investigation: data.investigationId, capture: data.captureId, error: (error as Error).message, retry: !(error instanceof JobGaveUp) });
          throw error instanceof JobGaveUp ? new PermanentJobError(error.message) : error;
        }
      },
      config.workerConcurrency,
      holder,
    );
  }
  log('info', 'netcase bot started', { mode: receiverKind, port, team: auth.team, store: store.store.describe, queue: queue.kind, requeued: store.requeued.length, failedDeadRuns: store.failed.length, spoolFilesRemoved: store.spoolFilesRemoved });
  let stopped = false;
  return {
    deps,
    config,
    queue,
    port,
    receiverKind,
    digestNow,
    /** Graceful: stop taking events and jobs, finish or hand back running ones, close the database. */
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const t of tasks) await t.destroy();
      if (app !== null) await app.stop();
      await queue.stop(15_000);
      await queue.close();
      await store.store.close();
    },
  };
}
