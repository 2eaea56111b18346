import { createHmac } from 'node:crypto';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';

/** Posts to the bot's /slack/events as Slack would: signed with the signing secret. */
export async function signedPost(port: number, body: string, contentType: string, o: { secret?: string; ageS?: number; headers?: Record<string, string> } = {}): Promise<{ status: number; text: string; ms: number }> {
  const ts = Math.floor(Date.now() / 1000) - (o.ageS ?? 0);
  const sig = `v0=${createHmac('sha256', o.secret ?? SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  const started = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sig, ...(o.headers ?? {}) },
    body,
  });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - started };
}

let n = 0;

export function eventBody(event: Record<string, unknown>, eventId = `Ev${Date.now()}${++n}`): string {
  return JSON.stringify({ token: 'x', team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: eventId, event_time: Math.floor(Date.now() / 1000), event });
}

export function postEvent(port: number, event: Record<string, unknown>, eventId?: string, headers: Record<string, string> = {}) {
  return signedPost(port, eventBody(event, eventId), 'application/json', { headers });
}

export function commandBody(fields: Record<string, string>): string {
  return new URLSearchParams({ token: 'x', team_id: 'T1', user_id: 'U1', command: '/netcase', trigger_id: 'trig-1', ...fields }).toString();
}

export function postCommand(port: number, fields: Record<string, string>) {
  return signedPost(port, commandBody(fields), 'application/x-www-form-urlencoded');
}

export function postInteraction(port: number, payload: Record<string, unknown>) {
  return signedPost(port, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded');
}
