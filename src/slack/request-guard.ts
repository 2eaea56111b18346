import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { HTTPModuleFunctions, verifySlackRequest, type BufferedIncomingMessage, type HTTPReceiver } from '@slack/bolt';

/**
 * How far a request's x-slack-request-timestamp may be from our clock, either way (Slack's own
 * rule is five minutes; Bolt 5 only rejects the past). A request stamped in the future could
 * otherwise be replayed for as long as its stamp lies ahead.
 */
export const MAX_CLOCK_SKEW_S = 300;

/**
 * The largest slash command body parsed. netcase's commands take an id or at most 4 KB of search
 * text (SEARCH_TEXT_MAX_BYTES), which URL-encodes to at most 12 KB; the other fields Slack sends
 * take about 1 KB. Parsing a 1 MB form body holds the event loop for hundreds of milliseconds
 * (Bolt parses it twice more), so a larger command is answered here, signed and unparsed.
 */
export const MAX_COMMAND_BODY_BYTES = 16 * 1024;

/** The private answer to a slash command over MAX_COMMAND_BODY_BYTES (Slack shows a response body to its user). */
export const COMMAND_TOO_LONG = { response_type: 'ephemeral', text: 'That command is too long: netcase reads at most 4 KB (4,096 bytes) of search text. Keep the words that matter.' } as const;

export type Verdict = { ok: true } | { ok: false; status: 400 | 401 | 413; why: string } | { ok: false; status: 200; why: string; answer: typeof COMMAND_TOO_LONG };

/**
 * Checks a request to /slack/events before Bolt sees it: the signature, a timestamp within
 * MAX_CLOCK_SKEW_S either way (401 otherwise, as for a bad signature), and a body that is a JSON
 * object (400 otherwise); a slash command over MAX_COMMAND_BODY_BYTES gets its answer here. Bolt
 * 5 reads `body.ssl_check` of a correctly signed JSON `null` (or form `payload=null`) in a promise
 * nobody awaits, which ends the process; what reaches Bolt here is always an object. The body is buffered with Bolt's own limit and handed on buffered, so Bolt
 * reads it once more from memory, never from the socket.
 */
export async function checkSlackRequest(req: IncomingMessage, signingSecret: string, nowMs: number, bodyLimit = HTTPModuleFunctions.defaultBodyLimit): Promise<Verdict> {
  let buffered: BufferedIncomingMessage;
  try {
    buffered = await HTTPModuleFunctions.bufferIncomingMessage(req, bodyLimit);
  } catch (error) {
    const tooLarge = HTTPModuleFunctions.isRawBodyError(error) && (error as { statusCode: number }).statusCode === 413;
    return { ok: false, status: tooLarge ? 413 : 400, why: tooLarge ? 'body over the limit' : 'unreadable body' };
  }
  const text = buffered.rawBody.toString();
  const isForm = req.headers['content-type'] === 'application/x-www-form-urlencoded';
  // A long slash command is answered once it is known to be signed, without parsing it (below).
  const longCommand = isForm && buffered.rawBody.length > MAX_COMMAND_BODY_BYTES && /(?:^|&)command=/.test(text);
  // Parsed once, as Bolt parses it (HTTPModuleFunctions.parseHTTPRequestBody).
  const form = isForm && !longCommand ? parseQuery(text) : null;
  // Slack's unsigned SSL check: Bolt answers it and strips the rest.
  if (form !== null && form.ssl_check === '1') return { ok: true };
  const stamp = Number(req.headers['x-slack-request-timestamp']);
  if (!Number.isFinite(stamp) || Math.abs(nowMs / 1000 - stamp) > MAX_CLOCK_SKEW_S) return { ok: false, status: 401, why: 'timestamp missing or more than 5 minutes away' };
  try {
    const signature = req.headers['x-slack-signature'];
    if (typeof signature !== 'string') throw new Error('no signature');
    verifySlackRequest({ signingSecret, body: text, headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': stamp }, nowMilliseconds: nowMs });
  } catch {
    return { ok: false, status: 401, why: 'bad signature' };
  }
  if (longCommand) return { ok: false, status: 200, why: `slash command body of ${buffered.rawBody.length} bytes`, answer: COMMAND_TOO_LONG };
  let body: unknown;
  try {
    body = form === null ? JSON.parse(text) : typeof form.payload === 'string' ? JSON.parse(form.payload) : form;
  } catch {
    return { ok: false, status: 400, why: 'malformed body' };
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { ok: false, status: 400, why: 'body is not a JSON object' };
  return { ok: true };
}

/**
 * Puts checkSlackRequest in front of an HTTP receiver's handling of POSTs to `endpoint`; other
 * paths (/healthz, /readyz) go straight through.
 */
export function guardSlackRequests(receiver: HTTPReceiver, o: { signingSecret: string; endpoint: string; now?: () => number; onRefused?: (status: number, why: string) => void }): HTTPReceiver {
  const next: RequestListener = receiver.requestListener;
  receiver.requestListener = (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method?.toUpperCase() !== 'POST' || path !== o.endpoint) return next(req, res);
    checkSlackRequest(req, o.signingSecret, (o.now ?? Date.now)())
      .then((verdict) => {
        if (verdict.ok) return next(req, res);
        o.onRefused?.(verdict.status, verdict.why);
        if ('answer' in verdict) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(verdict.answer));
        else res.writeHead(verdict.status).end();
      })
      .catch((error: unknown) => {
        o.onRefused?.(500, (error as Error).message ?? String(error));
        if (!res.headersSent) res.writeHead(500).end();
      });
  };
  return receiver;
}
