import type { SlackMessage } from './slack-blocks.js';

/**
 * Everything the bot says goes through this port (implemented with @slack/web-api in
 * src/slack/web-notifier.ts), so a separate worker process can post the same way. Every message
 * is sent without link_names, parse=full or unfurling.
 */
export interface Notifier {
  /** Posts a message (in a thread when threadTs is set) and returns its ts. */
  post(channel: string, threadTs: string | null, message: SlackMessage): Promise<string>;
  /** Edits a message. `bestEffort` (progress bars): dropped, not retried, when Slack is busy. */
  update(channel: string, ts: string, message: SlackMessage, options?: { bestEffort?: boolean }): Promise<void>;
  /** A message only `user` sees. */
  ephemeral(channel: string, user: string, message: SlackMessage, threadTs?: string | null): Promise<void>;
  /** Uploads a file into a thread. */
  upload(channel: string, threadTs: string | null, file: { filename: string; content: string | Buffer; title: string; altText?: string }): Promise<void>;
}
