import type { TcpConnection } from '../flows/tcp-connection.js';
import { makeFinding } from '../findings/finding.js';
import { message } from '../findings/messages.js';
import { defineCheck, tcpFlow } from './check.js';

/** Retransmitted over unique payload bytes above 1% (high at 5%), per connection. */
export const retransmissionRate = defineCheck({
  code: 'tcp.retransmission_rate',
  description: 'retransmitted over unique bytes above 1%',
  run: ({ tcp, icmpErrors, thresholds }) =>
    tcp.flatMap((c) => {
      const retransmitted = c.orig.retransmittedBytes + c.resp.retransmittedBytes;
      // Segments resent smaller after "fragmentation needed" are path MTU discovery at work.
      const pmtud = icmpErrors.some((e) => e.mtu > 0 && quotes(e, c.origin.ip, c.origin.port, c.responder.ip, c.responder.port)) || resizedWithoutDelay(c);
      const unique = c.orig.payloadBytes + c.resp.payloadBytes - retransmitted;
      if (unique < thresholds.retransmissionMinBytes || retransmitted / unique <= thresholds.retransmissionRatio) return [];
      const ratio = retransmitted / unique;
      const s = c.semantic;
      if (s.retransmissions + s.fastRetransmissions + s.spuriousRetransmissions < thresholds.retransmissionMinSegments) return [];
      const frames = [...(c.evidence.get('retransmission') ?? []), ...(c.evidence.get('fast_retransmission') ?? [])].sort((a, b) => a - b);
      return [
        makeFinding('tcp.retransmission_rate', {
          severity: pmtud ? 'low' : ratio >= thresholds.retransmissionRatioHigh ? 'high' : 'medium',
          message: message('tcp.retransmission_rate', {
            percent: ratio * 100,
            retransmittedBytes: retransmitted,
            uniqueBytes: unique,
            retransmissions: s.retransmissions,
            fast: s.fastRetransmissions,
            spurious: s.spuriousRetransmissions,
            cause: pmtud ? 'pmtud' : s.spuriousRetransmissions > s.retransmissions + s.fastRetransmissions ? 'spurious' : 'loss',
          }),
          frames,
          frameCount: s.retransmissions + s.fastRetransmissions + s.spuriousRetransmissions,
          flow: tcpFlow(c),
          metrics: { retransmittedBytes: retransmitted, uniqueBytes: unique, retransmissionPercent: Math.round(ratio * 1000) / 10 },
        }),
      ];
    }),
});

/**
 * Seen where the ICMP message is not visible (at the receiver): the sender's segments are all well
 * below the MSS the receiver allowed and its data never paused: the "retransmissions" are its data
 * resent in smaller pieces at once after a "packet too big", path MTU discovery that cost nothing.
 */
function resizedWithoutDelay(c: TcpConnection): boolean {
  return [c.orig, c.resp].some((side) => {
    const peer = side === c.orig ? c.resp : c.orig;
    return side.retransmittedBytes > 0 && peer.mss > 0 && side.maxPayload >= 500 && side.maxPayload < peer.mss - 100 && side.dataGapNs < 200e6 && side.rtoStallNs < 200e6;
  });
}

/** A receiver advertised a zero window: the sender had to stop. */
export const zeroWindow = defineCheck({
  code: 'tcp.zero_window',
  description: 'a receiver advertises zero window',
  run: ({ tcp }) =>
    tcp.flatMap((c) => {
      if (c.semantic.zeroWindows === 0) return [];
      const frames = [...(c.evidence.get('zero_window') ?? []), ...(c.evidence.get('zero_window_probe') ?? [])].sort((a, b) => a - b);
      return [
        makeFinding('tcp.zero_window', {
          message: message('tcp.zero_window', { zeroWindows: c.semantic.zeroWindows, probes: c.semantic.zeroWindowProbes }),
          frames,
          frameCount: c.semantic.zeroWindows + c.semantic.zeroWindowProbes,
          flow: tcpFlow(c),
          metrics: { zeroWindowSegments: c.semantic.zeroWindows, zeroWindowProbes: c.semantic.zeroWindowProbes },
        }),
      ];
    }),
});

/** Resets outside the handshake, by who sent them and whether data was outstanding. */
export const rstAbort = defineCheck({
  code: 'tcp.rst_abort',
  description: 'a reset outside the handshake',
  run: ({ tcp }) =>
    tcp.flatMap((c) => {
      if (c.state !== 'RSTO' && c.state !== 'RSTR') return [];
      const byOrig = c.state === 'RSTO';
      const frame = byOrig ? c.orig.rstFrame : c.resp.rstFrame;
      return [
        makeFinding('tcp.rst_abort', {
          message: message('tcp.rst_abort', { side: byOrig ? 'client' : 'server', frame, bytes: c.orig.payloadBytes + c.resp.payloadBytes }),
          frames: [frame],
          flow: tcpFlow(c),
          metrics: { bytesBeforeReset: c.orig.payloadBytes + c.resp.payloadBytes },
          confidence: 0.7,
        }),
      ];
    }),
});

/** ECN requested / accepted, per connection (informational: the basis of the ECN black-hole checks). */
export const ecnNegotiation = defineCheck({
  code: 'tcp.ecn_negotiation',
  description: 'ECN requested and accepted per connection',
  run: ({ tcp }) => {
    const asked = tcp.filter((c) => c.ecnSetupSyn);
    if (asked.length === 0) return [];
    const accepted = asked.filter((c) => c.ecnAccepted);
    return [
      makeFinding('tcp.ecn_negotiation', {
        message: message('tcp.ecn_negotiation', { requested: asked.length, accepted: accepted.length }),
        frames: asked.map((c) => c.orig.synFrame),
        frameCount: asked.length,
        metrics: { ecnRequested: asked.length, ecnAccepted: accepted.length },
        confidence: 1,
      }),
    ];
  },
});

/** Whether an ICMP error quotes a packet of this connection (either direction). */
export function quotes(e: { src: string; dst: string; srcPort: number; dstPort: number }, a: string, aPort: number, b: string, bPort: number): boolean {
  return (e.src === a && e.srcPort === aPort && e.dst === b && e.dstPort === bPort) || (e.src === b && e.srcPort === bPort && e.dst === a && e.dstPort === aPort);
}
