import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { HTTPModuleFunctions, verifySlackRequest, type BufferedIncomingMessage, type HTTPReceiver } from '@slack/bolt';

/**
 * How far a request's x-slack-request-timestamp may be from our clock, either way (Slack's own
 * rule is five minutes; Bolt 5 only rejects the past). A request stamped in the future could
 * otherwise be replayed for as long as its stamp lies ahead.
 */
export const MAX_CLOCK_SKEW_S = 300;

export type Verdict = { ok: true } | { ok: false; status: 400 | 401 | 413; why: string };

/**
 * Checks a request to /slack/events before Bolt sees it: the signature, a timestamp within
 * MAX_CLOCK_SKEW_S either way (401 otherwise, as for a bad signature), and a body that is a JSON
 * object (400 otherwise). Bolt 5 reads `body.ssl_check` of a correctly signed JSON `null` (or
 * form `payload=null`) in a promise nobody awaits, which ends the process; what reaches Bolt here
 * is always an object. The body is buffered with Bolt's own limit and handed on buffered, so Bolt
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
  const form = req.headers['content-type'] === 'application/x-www-form-urlencoded';
  // Slack's unsigned SSL check (parsed as Bolt parses it): Bolt answers it and strips the rest.
  if (form && parseQuery(text).ssl_check === '1') return { ok: true };
  const stamp = Number(req.headers['x-slack-request-timestamp']);
  if (!Number.isFinite(stamp) || Math.abs(nowMs / 1000 - stamp) > MAX_CLOCK_SKEW_S) return { ok: false, status: 401, why: 'timestamp missing or more than 5 minutes away' };
  try {
    const signature = req.headers['x-slack-signature'];
    if (typeof signature !== 'string') throw new Error('no signature');
    verifySlackRequest({ signingSecret, body: text, headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': stamp }, nowMilliseconds: nowMs });
  } catch {
    return { ok: false, status: 401, why: 'bad signature' };
  }
  let body: unknown;
  try {
    body = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
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
        res.writeHead(verdict.status).end();
      })
      .catch((error: unknown) => {
        o.onRefused?.(500, (error as Error).message ?? String(error));
        if (!res.headersSent) res.writeHead(500).end();
      });
  };
  return receiver;
}
