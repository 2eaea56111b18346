import { formatEndpoint } from '../flows/endpoints.js';
import { MAX_RTO_NS, type TcpConnection } from '../flows/tcp-connection.js';
import { makeFinding } from '../findings/finding.js';
import { message } from '../findings/messages.js';
import { reason } from '../findings/reasons.js';
import { defineCheck, groupBy, resendsOnlyFullSize, tcpFlow } from './check.js';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.floor(s.length / 2)];
};

/** SYN -> SYN-ACK far above the other connections' RTT (at least 10x the median and 200 ms). */
export const handshakeSlow = defineCheck({
  code: 'tcp.handshake_slow',
  description: 'SYN -> SYN-ACK far above the usual RTT',
  run: ({ tcp, thresholds }) => {
    // A SYN-ACK more than TCP's largest timeout after its SYN (and no SYN resent) is the capture's
    // clock, not a handshake.
    const times = tcp.filter((c) => c.synNs >= 0 && c.synAckNs >= 0 && c.synRetransmits === 0 && c.synAckNs - c.synNs <= MAX_RTO_NS).map((c) => ({ c, ms: (c.synAckNs - c.synNs) / 1e6 }));
    if (times.length === 0) return [];
    const typical = median(times.map((t) => t.ms));
    const slow = times.filter((t) => (t.ms >= thresholds.slowHandshakeMs && t.ms >= 10 * typical) || t.ms >= thresholds.slowHandshakeAbsoluteMs);
    return [...groupBy(slow, (t) => formatEndpoint(t.c.responder))].map(([server, list]) =>
      makeFinding('tcp.handshake_slow', {
        message: message('tcp.handshake_slow', { handshakes: list.length, server, worstMs: Math.round(Math.max(...list.map((t) => t.ms))), medianMs: typical }),
        frames: list.map((t) => t.c.orig.synFrame),
        flow: { server },
        metrics: { slowHandshakes: list.length, worstMs: Math.round(Math.max(...list.map((t) => t.ms))), medianMs: Math.round(typical * 10) / 10 },
        confidence: times.length >= 5 ? 0.85 : 0.6,
        reasons: list.some((t) => t.ms >= thresholds.slowHandshakeAbsoluteMs) ? [reason('tcp.handshake_slow_absolute', { ms: Math.round(Math.max(...list.map((t) => t.ms))), frame: list[0].c.orig.synFrame, bound: thresholds.slowHandshakeAbsoluteMs, handshakes: times.length })] : [],
      }),
    );
  },
});

/** A stall of a second or more ended by a timeout retransmission. */
export const rtoStall = defineCheck({
  code: 'tcp.rto_stall',
  description: 'a stall of one second or more ended by a timeout retransmission',
  run: ({ tcp, thresholds }) =>
    tcp.flatMap((c) =>
      [c.orig, c.resp]
        .filter((s) => s.rtoStallNs >= thresholds.rtoStallMs * 1e6)
        .map((s) => {
          // Full-size segments resent again and again with the ACK stuck: the stall is a symptom of a
          // path MTU black hole (tcp.pmtud_blackhole), which explains it better.
          const blackHole = resendsOnlyFullSize(s);
          return makeFinding('tcp.rto_stall', {
            severity: blackHole ? 'medium' : 'high',
            message: message('tcp.rto_stall', { side: s === c.orig ? 'client' : 'server', stallMs: Math.round(s.rtoStallNs / 1e6), frame: s.rtoStallFrame, fullSizeOnly: blackHole }),
            frames: [s.rtoStallFrame],
            flow: tcpFlow(c),
            metrics: { stallMs: Math.round(s.rtoStallNs / 1e6) },
          });
        }),
    ),
});

/** Keep-alives unanswered, then a reset or silence. */
export const keepaliveDeadPeer = defineCheck({
  code: 'tcp.keepalive_dead_peer',
  description: 'keep-alives unanswered, then reset or silence',
  run: ({ tcp }) =>
    tcp.flatMap((c) => {
      // Keep-alives sent after the last one that was answered.
      const answers = c.evidence.get('keep_alive_ack') ?? [];
      const lastAnswer = answers.length > 0 ? answers[answers.length - 1] : 0;
      const probes = (c.evidence.get('keep_alive') ?? []).filter((f) => f > lastAnswer);
      if (probes.length < 2) return [];
      return [
        makeFinding('tcp.keepalive_dead_peer', {
          message: message('tcp.keepalive_dead_peer', { probes: probes.length, answeredFrame: lastAnswer, reset: c.state.startsWith('RST') }),
          frames: probes,
          flow: tcpFlow(c),
          metrics: { unansweredKeepAlives: probes.length },
          confidence: 0.8,
        }),
      ];
    }),
});

/** Throughput bounded by the receive window: the sender keeps filling the advertised window. */
export const windowLimited = defineCheck({
  code: 'tcp.window_limited',
  description: 'throughput bounded by the receive window',
  run: ({ tcp, thresholds }) =>
    tcp.flatMap((c) => {
      // A zero window is the more specific diagnosis of the same stall (tcp.zero_window).
      if (c.semantic.windowFull < thresholds.windowFullSegments || c.semantic.zeroWindows > 0) return [];
      const noScaling = c.orig.windowScale < 0 || c.resp.windowScale < 0;
      return [
        makeFinding('tcp.window_limited', {
          message: message('tcp.window_limited', { windowFull: c.semantic.windowFull, noScaling, handshakeSeen: c.orig.synFrame !== 0 }),
          frames: c.evidence.get('window_full') ?? [],
          frameCount: c.semantic.windowFull,
          flow: tcpFlow(c),
          metrics: { windowFullSegments: c.semantic.windowFull },
          confidence: 0.7,
        }),
      ];
    }),
});

/** A SYN answered by a plain ACK for an old connection (the server still holds it in TIME_WAIT). */
export const synAnsweredByStaleAck = defineCheck({
  code: 'tcp.syn_answered_by_stale_ack',
  description: 'SYN answered by a plain ACK of an old connection',
  run: ({ tcp }) =>
    tcp
      .filter((c) => c.staleAckFrame > 0)
      .map((c: TcpConnection) =>
        makeFinding('tcp.syn_answered_by_stale_ack', {
          message: message('tcp.syn_answered_by_stale_ack', { server: formatEndpoint(c.responder), frame: c.staleAckFrame }),
          frames: [c.orig.synFrame, c.staleAckFrame],
          flow: tcpFlow(c),
          metrics: {},
        }),
      ),
});
