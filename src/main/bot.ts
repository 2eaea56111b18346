import { readdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { Server } from 'node:http';
import cron, { type ScheduledTask } from 'node-cron';
import { loadCaseLibrary } from '../cases/load-case-library.js';
import { CaseIndex } from '../cases/search-cases.js';
import { ConfigError } from '../config.js';
import { openInvestigations } from '../investigations/open-investigations.js';
import { purge } from '../investigations/retention.js';
import { chooseReceiver, createApp } from '../slack/app.js';
import type { SlackFile } from '../slack/capture-files.js';
import type { BotDeps } from '../slack/deps.js';
import { postScheduledDigest } from '../slack/digest.js';
import { downloadToSpool, SLACK_FILE_HOSTS } from '../slack/download-file.js';
import { analyseCapture } from '../slack/upload-flow.js';
import { TokenRefused, verifyToken, webNotifier, type AuthResult } from '../slack/web-notifier.js';
import { readThresholds } from '../cli/analyze-command.js';
import { readBotConfig, type BotConfig } from './bot-config.js';

export interface RunningBot {
  deps: BotDeps;
  config: BotConfig;
  /** The HTTP port actually listened on (HTTP mode). */
  port: number | null;
  receiverKind: 'http' | 'socket';
  /** Posts the digest for a slot (what the cron job runs). */
  digestNow(slot: Date): Promise<boolean>;
  stop(): Promise<void>;
}

type Log = BotDeps['log'];

/** A JSON line per event on stdout, filtered by LOG_LEVEL; never tokens or file contents. */
function logger(levelName: BotConfig['logLevel'], write: (line: string) => void): Log {
  const order = { debug: 10, info: 20, warn: 30, error: 40 } as const;
  return (level, message, fields = {}) => {
    if (order[level] < order[levelName]) return;
    write(`${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields })}\n`);
  };
}

/**
 * The composition root of the Slack bot: configuration, the store, the case library, the Web API
 * notifier (auth.test first), the Bolt app with its receiver, and the scheduled digest and purge.
 */
export async function startBot(env: Record<string, string | undefined>, options: { port?: number; write?: (line: string) => void; now?: () => Date; holder?: string } = {}): Promise<RunningBot> {
  const config = readBotConfig(env);
  const log = logger(config.logLevel, options.write ?? ((l) => process.stdout.write(l)));
  const apiOptions = config.apiUrl ? { slackApiUrl: config.apiUrl } : {};
  const notifier = webNotifier(config.botToken, apiOptions);
  let auth: AuthResult;
  try {
    auth = await verifyToken(config.botToken, apiOptions);
  } catch (error) {
    if (error instanceof TokenRefused) throw new ConfigError(`Slack refused SLACK_BOT_TOKEN at auth.test (${error.message}): copy the Bot User OAuth Token again from "OAuth & Permissions"${config.apiUrl ? ' and check SLACK_API_URL' : ''}`);
    throw new ConfigError(`cannot reach Slack's Web API${config.apiUrl ? ` at ${config.apiUrl}` : ''} for auth.test (${(error as Error).message}): check the network${config.apiUrl ? ' and SLACK_API_URL' : ''}`);
  }
  const store = await openInvestigations(config, options.now);
  const library = await loadCaseLibrary({ readdir, readFile }, config.caseLibraryDir);
  const trusted = new Set([...SLACK_FILE_HOSTS, ...(config.apiUrl ? [new URL(config.apiUrl).origin] : []), ...config.fileOrigins]);
  const deps: BotDeps = {
    inv: store,
    notifier,
    lang: config.lang,
    cases: { index: new CaseIndex(library.cases), byId: new Map(library.cases.map((c) => [c.id, c])) },
    spoolDir: config.spoolDir,
    maxCaptureBytes: config.maxCaptureBytes,
    download: (url, name) => downloadToSpool(url, { token: config.botToken, trustedOrigins: trusted, maxBytes: config.maxCaptureBytes, spoolDir: config.spoolDir, name }),
    fileInfo: async (fileId) => ((await notifier.client.files.info({ file: fileId })).file as SlackFile | undefined) ?? null,
    channels: config.channels,
    staleDays: config.staleDays,
    digestChannel: config.digest?.channel ?? null,
    workspaceUrl: auth.url,
    botUserId: auth.userId,
    analysis: { maxDecompressedBytes: config.maxDecompressedBytes, maxOldGenerationMb: 512, worker: true, thresholds: await readThresholds(config.thresholdsFile) },
    progressEveryMs: 2000,
    log,
  };
  const { kind, receiver } = chooseReceiver(config, [
    { path: '/healthz', method: ['GET'], handler: (_req, res) => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('ok\n'); } },
  ]);
  const app = createApp(deps, { token: config.botToken, receiver, apiUrl: config.apiUrl, logLevel: config.logLevel, botUserId: auth.userId, botId: auth.botId });
  const listening = (await app.start(kind === 'http' ? (options.port ?? config.port) : undefined as never)) as unknown as Server | undefined;
  const address = kind === 'http' ? listening?.address() : null;
  const port = address && typeof address === 'object' ? address.port : null;
  const holder = options.holder ?? `${hostname()}:${process.pid}`;
  const tasks: ScheduledTask[] = [];
  const digestNow = (slot: Date) => (config.digest === null ? Promise.resolve(false) : postScheduledDigest(deps, config.digest.channel, slot, holder));
  if (config.digest !== null) {
    tasks.push(cron.schedule(config.digest.cron, (ctx) => void digestNow(ctx.date).catch((e: Error) => log('error', 'digest failed', { error: e.message })), { timezone: config.digest.tz, name: 'netcase-digest' }));
  }
  tasks.push(cron.schedule('17 3 * * *', () => void purge(store, config.retentionDays, config.spoolDir).then((r) => log('info', 'purged', { ...r }), (e: Error) => log('error', 'purge failed', { error: e.message })), { name: 'netcase-purge' }));
  log('info', 'netcase bot started', { mode: kind, port, team: auth.team, store: store.store.describe, requeued: store.requeued.length });
  // Captures a stopped process left behind are analysed again now.
  for (const id of store.requeued) void analyseCapture(deps, id).catch((e: Error) => log('error', 'requeued analysis failed', { capture: id, error: e.message }));
  return {
    deps,
    config,
    port,
    receiverKind: kind,
    digestNow,
    async stop() {
      for (const t of tasks) await t.destroy();
      await app.stop();
      await store.store.close();
    },
  };
}
