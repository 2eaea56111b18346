import { availableParallelism } from 'node:os';
import cron from 'node-cron';
import { ConfigError, readConfig, type Config } from '../config.js';

/**
 * The bot's configuration, read and validated once at start. An empty value counts as unset; a
 * missing or malformed required one stops the bot with one line saying which and how to fix it.
 */
export interface BotConfig extends Config {
  botToken: string;
  /** Required in HTTP mode; unused in Socket Mode. */
  signingSecret: string | null;
  /** Set: Socket Mode. */
  appToken: string | null;
  port: number;
  /** The Web API base, ending in /api/ (default Slack's own). */
  apiUrl: string | null;
  /** Origins a file download may be redirected to (beside Slack's file hosts and apiUrl's origin). */
  fileOrigins: string[];
  maxCaptureBytes: number;
  /** When set, the only channels the bot acts in. */
  channels: Set<string> | null;
  lang: 'en' | 'zh';
  digest: { channel: string; cron: string; tz: string } | null;
  staleDays: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** bot: Slack only (enqueues jobs); worker: jobs only; all: both (default). */
  role: 'bot' | 'worker' | 'all';
  workerConcurrency: number;
  maxAnalysisS: number;
  /** A capture download taking longer fails (and is retried). */
  downloadTimeoutS: number;
  /** Heap cap of the analysis worker thread (resourceLimits), MB. */
  analysisHeapMb: number;
  jobRetries: number;
}

function get(env: Record<string, string | undefined>, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function positiveInt(env: Record<string, string | undefined>, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = get(env, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max) throw new ConfigError(`${name}=${JSON.stringify(v)} is not a whole number from 1 to ${max} (unset it to use ${fallback})`);
  return Number(v);
}

export function readBotConfig(env: Record<string, string | undefined> = process.env): BotConfig {
  const base = readConfig(env);
  const botToken = get(env, 'SLACK_BOT_TOKEN');
  if (botToken === undefined) throw new ConfigError('SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-...) from your app\'s "OAuth & Permissions" page');
  if (!botToken.startsWith('xoxb-')) throw new ConfigError('SLACK_BOT_TOKEN must be a bot token starting with xoxb- (the Bot User OAuth Token on "OAuth & Permissions")');
  const appToken = get(env, 'SLACK_APP_TOKEN') ?? null;
  if (appToken !== null && !appToken.startsWith('xapp-')) throw new ConfigError('SLACK_APP_TOKEN must be an app-level token starting with xapp- ("Basic Information" > App-Level Tokens, scope connections:write), or unset for HTTP mode');
  const signingSecret = get(env, 'SLACK_SIGNING_SECRET') ?? null;
  if (appToken === null && signingSecret === null) throw new ConfigError('SLACK_SIGNING_SECRET is not set: copy the Signing Secret from your app\'s "Basic Information" page (or set SLACK_APP_TOKEN for Socket Mode)');
  const apiUrl = get(env, 'SLACK_API_URL') ?? null;
  if (apiUrl !== null && !isHttpUrl(apiUrl, true)) throw new ConfigError('SLACK_API_URL must be an http(s) URL ending in /api/ (e.g. https://slack.example/api/), or unset for Slack\'s own');
  const fileOrigins = (get(env, 'SLACK_FILE_ORIGINS') ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => {
    if (!isHttpUrl(s, false)) throw new ConfigError(`SLACK_FILE_ORIGINS: "${s.slice(0, 80)}" is not an http(s) origin (comma-separated, e.g. https://files.example)`);
    return new URL(s).origin;
  });
  const lang = get(env, 'NETCASE_LANG') ?? 'en';
  if (lang !== 'en' && lang !== 'zh') throw new ConfigError(`NETCASE_LANG=${JSON.stringify(lang)} must be en or zh`);
  const logLevel = (get(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) throw new ConfigError(`LOG_LEVEL=${JSON.stringify(logLevel)} must be debug, info, warn or error`);
  const role = get(env, 'NETCASE_ROLE') ?? 'all';
  if (!['bot', 'worker', 'all'].includes(role)) throw new ConfigError(`NETCASE_ROLE=${JSON.stringify(role)} must be bot, worker or all`);
  const channels = get(env, 'NETCASE_CHANNELS');
  const digestChannel = get(env, 'DIGEST_CHANNEL');
  const digestCron = get(env, 'DIGEST_CRON') ?? '0 9 * * 1-5';
  if (!cron.validate(digestCron)) throw new ConfigError(`DIGEST_CRON=${JSON.stringify(digestCron)} is not a cron expression (minute hour day month weekday, e.g. "0 9 * * 1-5")`);
  const tz = get(env, 'DIGEST_TZ') ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    throw new ConfigError(`DIGEST_TZ=${JSON.stringify(tz)} is not an IANA time zone (e.g. Asia/Shanghai, Europe/Berlin, UTC)`);
  }
  return {
    ...base,
    botToken,
    signingSecret,
    appToken,
    port: positiveInt(env, 'PORT', 3000, 65535),
    apiUrl,
    fileOrigins,
    maxCaptureBytes: positiveInt(env, 'NETCASE_MAX_CAPTURE_MB', 1024) * 1024 * 1024,
    channels: channels === undefined ? null : new Set(channels.split(',').map((c) => c.trim()).filter((c) => c !== '')),
    lang,
    digest: digestChannel === undefined ? null : { channel: digestChannel, cron: digestCron, tz },
    staleDays: positiveInt(env, 'STALE_DAYS', 3),
    logLevel: logLevel as BotConfig['logLevel'],
    role: role as BotConfig['role'],
    workerConcurrency: positiveInt(env, 'NETCASE_WORKER_CONCURRENCY', Math.max(1, availableParallelism() - 1), 64),
    maxAnalysisS: positiveInt(env, 'NETCASE_MAX_ANALYSIS_S', 600, 86_400),
    analysisHeapMb: positiveInt(env, 'NETCASE_ANALYSIS_HEAP_MB', 1024, 65_536),
    downloadTimeoutS: positiveInt(env, 'NETCASE_DOWNLOAD_TIMEOUT_S', 600, 86_400),
    jobRetries: nonNegativeInt(env, 'NETCASE_JOB_RETRIES', 3),
  };
}

function nonNegativeInt(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const v = get(env, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) > 100) throw new ConfigError(`${name}=${JSON.stringify(v)} is not a whole number from 0 to 100 (unset it to use ${fallback})`);
  return Number(v);
}

function isHttpUrl(text: string, apiBase: boolean): boolean {
  try {
    const u = new URL(text);
    return (u.protocol === 'http:' || u.protocol === 'https:') && (!apiBase || u.pathname.endsWith('/api/'));
  } catch {
    return false;
  }
}
