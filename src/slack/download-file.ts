import { Readable } from 'node:stream';
import { InvestigationError } from '../investigations/context.js';
import { spoolCapture, type SpooledCapture } from '../investigations/spool-capture.js';

/** Slack's own file hosts; SLACK_API_URL's origin and SLACK_FILE_ORIGINS are added at start. */
export const SLACK_FILE_HOSTS = ['https://files.slack.com', 'https://files-origin.slack.com', 'https://slack-files.com'];

export type DownloadResult =
  | { ok: true; spooled: SpooledCapture }
  | { ok: false; reason: 'html' | 'untrusted' | 'credentials' | 'too-big' | 'http'; detail: string };

export interface DownloadOptions {
  token: string;
  trustedOrigins: Set<string>;
  maxBytes: number;
  spoolDir: string;
  name: string;
  /** Bounded: redirects followed at most this many times. */
  maxRedirects?: number;
  timeoutMs?: number;
}

/**
 * Slack's file links never carry a user name or password; one that does is refused (fetch would
 * refuse it too, repeating the whole URL in its error). The detail never repeats the URL.
 */
const CREDENTIALS: DownloadResult = { ok: false, reason: 'credentials', detail: 'a user name or password in the link' };

function hasCredentials(url: URL): boolean {
  return url.username !== '' || url.password !== '';
}

/**
 * Downloads a Slack file (url_private_download) into the spool, following redirects itself: the
 * bot token goes only to the file's own origin; a redirect is followed only to a trusted origin,
 * without the token; anything else is refused. An HTML answer means the token cannot read files
 * (a missing files:read scope).
 */
export async function downloadToSpool(url: string, o: DownloadOptions): Promise<DownloadResult> {
  let current: URL;
  try {
    current = new URL(url);
  } catch {
    return { ok: false, reason: 'untrusted', detail: 'not a URL' };
  }
  const fileOrigin = current.origin;
  if (!o.trustedOrigins.has(fileOrigin)) return { ok: false, reason: 'untrusted', detail: fileOrigin };
  if (hasCredentials(current)) return CREDENTIALS;
  const signal = AbortSignal.timeout(o.timeoutMs ?? 10 * 60_000);
  for (let hop = 0; hop <= (o.maxRedirects ?? 5); hop++) {
    const headers: Record<string, string> = current.origin === fileOrigin ? { authorization: `Bearer ${o.token}` } : {};
    const res = await fetch(current, { redirect: 'manual', headers, signal });
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      const location = res.headers.get('location');
      if (location === null) return { ok: false, reason: 'http', detail: `HTTP ${res.status} without a Location` };
      const next = new URL(location, current);
      if (!o.trustedOrigins.has(next.origin)) return { ok: false, reason: 'untrusted', detail: next.origin };
      if (hasCredentials(next)) return CREDENTIALS;
      current = next;
      continue;
    }
    if (!res.ok || res.body === null) {
      await res.body?.cancel();
      return { ok: false, reason: 'http', detail: `HTTP ${res.status}` };
    }
    if (/^text\/html/i.test(res.headers.get('content-type') ?? '')) {
      await res.body.cancel();
      return { ok: false, reason: 'html', detail: 'text/html' };
    }
    const length = Number(res.headers.get('content-length') ?? NaN);
    if (Number.isFinite(length) && length > o.maxBytes) {
      await res.body.cancel();
      return { ok: false, reason: 'too-big', detail: String(length) };
    }
    try {
      const spooled = await spoolCapture(Readable.fromWeb(res.body as never), o.spoolDir, { name: o.name, maxBytes: o.maxBytes });
      return { ok: true, spooled };
    } catch (error) {
      if (error instanceof InvestigationError && /larger than/.test(error.message)) return { ok: false, reason: 'too-big', detail: error.message };
      throw error;
    }
  }
  return { ok: false, reason: 'http', detail: 'too many redirects' };
}
