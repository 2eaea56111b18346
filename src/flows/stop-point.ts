import type { TcpConnection } from './tcp-connection.js';

/**
 * Where a conversation stopped, read from both sides' packets, and which sides' packets the
 * capture can vouch for. The first question of a differential diagnosis: a SYN never answered, a
 * refusal, an answer that went silent after the first data, a transfer stalled on a timeout, one
 * side closing early, or a conversation that completed (or was still open when the capture ended).
 */
export type StopPoint =
  | 'completed'
  | 'open'
  | 'never_answered'
  | 'refused'
  | 'silent_after_request'
  | 'stalled_mid_transfer'
  | 'closed_early_by_client'
  | 'closed_early_by_server';

export interface StopReading {
  at: StopPoint;
  /** The frame where it stopped (0 when none stands out). */
  frame: number;
  /**
   * A side whose packets arrive with their initial TTL left unreduced was captured on its host or
   * next to it: what it sent, the capture saw, and what is missing from it never left.
   */
  vouches: { client: boolean; server: boolean };
}

/** Silences of at least this long ended by a timeout retransmission are stalls (thresholds.rtoStallMs). */
export function stopPointOf(c: TcpConnection, stallMs: number): StopReading {
  const vouches = {
    client: c.orig.packets > 0 && c.orig.ttl === c.orig.initialTtl,
    server: c.resp.packets > 0 && c.resp.ttl === c.resp.initialTtl,
  };
  const reading = (at: StopPoint, frame: number): StopReading => ({ at, frame, vouches });
  const state = c.state;
  if (state === 'REJ') return reading('refused', c.resp.rstFrame);
  if (c.orig.synFrame !== 0 && c.synAckNs < 0 && c.resp.packets === 0) return reading('never_answered', c.orig.synFrame);
  for (const side of [c.orig, c.resp]) {
    if (side.rtoStallNs >= stallMs * 1e6) return reading('stalled_mid_transfer', side.rtoStallFrame);
  }
  if (c.orig.payloadBytes > 0 && c.resp.payloadBytes === 0 && c.resp.packets > 0 && (c.orig.finFrame > 0 || c.orig.rstFrame > 0 || c.resp.finFrame > 0 || c.resp.rstFrame > 0)) {
    return reading('silent_after_request', c.orig.finFrame || c.orig.rstFrame || c.resp.finFrame || c.resp.rstFrame);
  }
  // A reset is early unless the other side had already finished (its FIN came first).
  if (c.orig.rstFrame > 0 && (c.resp.finFrame === 0 || c.resp.finFrame > c.orig.rstFrame) && (c.resp.rstFrame === 0 || c.orig.rstFrame <= c.resp.rstFrame)) return reading('closed_early_by_client', c.orig.rstFrame);
  if (c.resp.rstFrame > 0 && (c.orig.finFrame === 0 || c.orig.finFrame > c.resp.rstFrame)) return reading('closed_early_by_server', c.resp.rstFrame);
  if (c.orig.finFrame > 0 || c.resp.finFrame > 0 || c.orig.rstFrame > 0 || c.resp.rstFrame > 0) return reading('completed', Math.max(c.orig.finFrame, c.resp.finFrame));
  return reading('open', 0);
}
