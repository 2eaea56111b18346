import { LogLevel, WebClient, type WebClientOptions } from '@slack/web-api';
import type { Notifier } from '../report/notifier.js';

export interface AuthResult {
  userId: string | null;
  botId: string | null;
  url: string | null;
  team: string | null;
  /** The token's scopes (from the x-oauth-scopes header), when Slack said. */
  scopes: string[] | null;
}

/**
 * auth.test at start: who the token is. Throws a one-line reason: refused (a wrong token) or
 * unreachable (network, SLACK_API_URL), after two quick retries.
 */
export async function verifyToken(token: string, options: WebClientOptions = {}): Promise<AuthResult> {
  const client = new WebClient(token, { logLevel: LogLevel.ERROR, retryConfig: { retries: 2, minTimeout: 200, maxTimeout: 1000 }, ...options });
  try {
    const r = await client.auth.test();
    return { userId: r.user_id ?? null, botId: r.bot_id ?? null, url: r.url ?? null, team: r.team ?? null, scopes: r.response_metadata?.scopes ?? null };
  } catch (error) {
    const e = error as { code?: string; data?: { error?: string }; original?: Error; message: string };
    if (e.code === 'slack_webapi_platform_error') throw new TokenRefused(e.data?.error ?? 'refused');
    throw new SlackUnreachable(e.original?.message ?? e.message);
  }
}

export class TokenRefused extends Error {}
class SlackUnreachable extends Error {}

/**
 * The notifier over Slack's Web API. Final messages go through a client that waits out 429s
 * (Retry-After) and retries 5xx answers; progress updates through one that gives up at once, so
 * when Slack is busy progress is dropped before any final message is.
 */
export function webNotifier(token: string, options: WebClientOptions = {}): Notifier & { client: WebClient } {
  const quiet = { logLevel: LogLevel.ERROR, ...options };
  const client = new WebClient(token, { retryConfig: { retries: 6, factor: 1.6, minTimeout: 200, maxTimeout: 10_000, randomize: true }, ...quiet });
  const quick = new WebClient(token, { ...quiet, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
  const plain = { unfurl_links: false, unfurl_media: false } as const;
  return {
    client,
    async post(channel, threadTs, message) {
      const r = await client.chat.postMessage({ channel, ...(threadTs ? { thread_ts: threadTs } : {}), text: message.text, blocks: message.blocks as never, ...plain });
      return r.ts as string;
    },
    async update(channel, ts, message, opts = {}) {
      const c = opts.bestEffort ? quick : client;
      try {
        await c.chat.update({ channel, ts, text: message.text, blocks: message.blocks as never });
      } catch (error) {
        if (!opts.bestEffort) throw error;
      }
    },
    async ephemeral(channel, user, message, threadTs) {
      await client.chat.postEphemeral({ channel, user, text: message.text, blocks: message.blocks as never, ...(threadTs ? { thread_ts: threadTs } : {}) });
    },
    async upload(channel, threadTs, file) {
      await client.filesUploadV2({ channel_id: channel, ...(threadTs ? { thread_ts: threadTs } : {}), filename: file.filename, file: typeof file.content === 'string' ? Buffer.from(file.content) : file.content, title: file.title, ...(file.altText ? { alt_text: file.altText } : {}) } as never);
    },
  };
}
