import { formatEndpoint } from '../flows/endpoints.js';
import { MAX_RTO_NS, type TcpConnection } from '../flows/tcp-connection.js';
import { makeFinding } from '../findings/finding.js';
import { reason } from '../findings/reasons.js';
import { defineCheck, groupBy, plural, resendsOnlyFullSize, tcpFlow } from './check.js';

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
        summary: `${plural(list.length, 'handshake')} with ${server} took up to ${Math.round(Math.max(...list.map((t) => t.ms)))} ms from SYN to SYN-ACK, against a median of ${typical.toFixed(1)} ms for the capture's connections. The server's listener is slow to accept (a full backlog, a loaded host) or a device on the path holds SYNs.`,
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
            summary: `The ${s === c.orig ? 'client' : 'server'} sent nothing for ${Math.round(s.rtoStallNs / 1e6)} ms and then retransmitted (frame ${s.rtoStallFrame}): its retransmission timer expired because neither its data nor the ACKs for it got through. ${blackHole ? 'Only its full-size segments are lost (see tcp.pmtud_blackhole).' : 'Users see this as a hang; look for loss bursts, a black hole (MTU, ECN) or an overloaded middlebox.'}`,
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
          summary: `${plural(probes.length, 'keep-alive')} got no answer${answers.length > 0 ? ` (earlier ones were answered, the last at frame ${lastAnswer})` : ''}${c.state.startsWith('RST') ? ' and the connection was then reset' : ''}: the peer is gone (crashed, rebooted) or a firewall dropped the idle connection from its table. Applications then see a reset on their next send; shorten keep-alive intervals below the firewall's idle timeout.`,
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
          summary: `The sender filled the receiver's advertised window ${plural(c.semantic.windowFull, 'time')} and had to wait for it to open${noScaling && c.orig.synFrame ? ': window scaling was not negotiated, so the window cannot exceed 64 KB' : ''}. Throughput is capped at window / round-trip time; raise the receiver's buffer (autotuning) or ${noScaling ? 'enable window scaling' : 'check the receiving application'}.`,
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
          summary: `The SYN to ${formatEndpoint(c.responder)} was answered by a plain ACK (frame ${c.staleAckFrame}) instead of a SYN-ACK: the server still holds the previous connection on the same ports. The client must reset and retry, which costs a second or more. The client reuses ports too soon: see the ephemeral port range and TIME_WAIT settings.`,
          frames: [c.orig.synFrame, c.staleAckFrame],
          flow: tcpFlow(c),
          metrics: {},
        }),
      ),
});
