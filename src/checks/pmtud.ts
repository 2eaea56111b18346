import { makeFinding } from '../findings/finding.js';
import { formatEndpoint } from '../flows/endpoints.js';
import { message } from '../findings/messages.js';
import { reason } from '../findings/reasons.js';
import { defineCheck, groupBy, resendsOnlyFullSize, tcpFlow } from './check.js';
import { quotes } from './tcp-transfer.js';

/**
 * Path MTU black holes (RFC 2923): a hop with a smaller MTU drops full-size packets and its ICMP
 * "fragmentation needed" / "packet too big" never reaches the sender (or is filtered). Seen as:
 * the ICMP messages themselves (PMTUD working, or about to be needed); from the sender, its largest
 * segments retransmitted again and again with the ACK never moving; from the receiver, gaps that
 * never fill while only small segments arrive.
 */
export const pmtudBlackhole = defineCheck({
  code: 'tcp.pmtud_blackhole',
  description: 'full-size segments lost while small ones pass, or PMTU ICMP messages',
  run: ({ tcp, icmpErrors, thresholds }) => {
    const stallNs = thresholds.rtoStallMs * 1e6;
    const findings = [];
    const pmtu = icmpErrors.filter((e) => (e.version === 4 && e.type === 3 && e.code === 4) || (e.version === 6 && e.type === 2));
    for (const [key, list] of groupBy(pmtu, (e) => `${e.from}|${e.mtu}`)) {
      const [from, mtu] = key.split('|');
      const e = list[0];
      const conn = tcp.find((c) => quotes(e, c.origin.ip, c.origin.port, c.responder.ip, c.responder.port));
      const sender = conn === undefined ? undefined : conn.origin.ip === e.src ? conn.orig : conn.resp;
      const adapted = sender !== undefined && sender.ackMovedAfterRetransmit;
      // The message came, but only after the sender had stalled resending full-size segments: the
      // small hop cost real time (ICMP rate-limited, filtered for a while, or from a tunnel).
      const late = sender !== undefined && sender.fullSizeRetransmits >= 2 && sender.rtoStallNs >= stallNs;
      const sideName = conn !== undefined && sender === conn.orig ? 'client' : 'server';
      findings.push(
        makeFinding('tcp.pmtud_blackhole', {
          severity: late ? 'high' : adapted ? 'low' : 'medium',
          reasons: late
            ? [reason('pmtu.icmp_after_stall', { from, mtu, side: sideName, retransmits: sender.fullSizeRetransmits, stallMs: Math.round(sender.rtoStallNs / 1e6) }), reason('ruled_out.random_loss_size_dependent'), reason('next.ping_df_size', { peer: e.dst })]
            : [],
          message: message('tcp.pmtud_blackhole.icmp', { from, messages: list.length, src: e.src, dst: e.dst, mtu: Number(mtu), adapted }),
          frames: list.map((e) => e.frame),
          flow: { server: list[0].dst },
          metrics: { nextHopMtu: Number(mtu), messages: list.length },
          confidence: 0.9,
        }),
      );
    }
    for (const c of tcp) {
      for (const side of [c.orig, c.resp]) {
        const peer = side === c.orig ? c.resp : c.orig;
        const sender = side === c.orig ? 'client' : 'server';
        // Seen from the sender: its biggest segments resent again and again, the peer's ACK stuck.
        if (resendsOnlyFullSize(side)) {
          findings.push(
            makeFinding('tcp.pmtud_blackhole', {
              message: message('tcp.pmtud_blackhole.sender', { side: sender, size: side.maxPayload, retransmits: side.fullSizeRetransmits }),
              frames: c.evidence.get('retransmission') ?? [],
              frameCount: side.fullSizeRetransmits,
              flow: tcpFlow(c),
              metrics: { segmentBytes: side.maxPayload, fullSizeRetransmits: side.fullSizeRetransmits },
              confidence: pmtu.length > 0 ? 0.95 : 0.75,
              reasons: [reason('pmtu.full_size_lost_small_through', { side: sender, size: side.maxPayload, retransmits: side.fullSizeRetransmits }), reason('ruled_out.random_loss_size_dependent'), reason('next.ping_df_size', { peer: side === c.orig ? formatEndpoint(c.responder) : formatEndpoint(c.origin) })],
            }),
          );
        }
        const announcedMss = peer.mss > 0 ? peer.mss : 1460;
        const icmpForIt = pmtu.some((e) => quotes(e, c.origin.ip, c.origin.port, c.responder.ip, c.responder.port));
        // Seen from the sender: full-size segments resent unacknowledged through a stall, then the
        // transfer went on with smaller segments (Linux tcp_mtu_probing, Windows black hole detection).
        if (!icmpForIt && side.fullSizeRetransmits >= 2 && !side.bigDeliveredEarly && side.ackMovedAfterRetransmit && side.rtoStallNs >= stallNs && side.maxPayloadAfterRecovery > 0 && side.maxPayloadAfterRecovery < side.maxPayload - 40) {
          findings.push(
            makeFinding('tcp.pmtud_blackhole', {
              message: message('tcp.pmtud_blackhole.probed', { side: sender, size: side.maxPayload, retransmits: side.fullSizeRetransmits, stallMs: Math.round(side.rtoStallNs / 1e6), after: side.maxPayloadAfterRecovery }),
              frames: [side.firstRetransmitFrame, side.rtoStallFrame].filter((f) => f > 0),
              frameCount: side.fullSizeRetransmits,
              flow: tcpFlow(c),
              metrics: { segmentBytes: side.maxPayload, segmentBytesAfter: side.maxPayloadAfterRecovery, fullSizeRetransmits: side.fullSizeRetransmits, stallMs: Math.round(side.rtoStallNs / 1e6) },
              confidence: 0.85,
              reasons: [
                reason('pmtu.recovered_with_smaller_segments', { side: sender, retransmits: side.fullSizeRetransmits, size: side.maxPayload, after: side.maxPayloadAfterRecovery, stallMs: Math.round(side.rtoStallNs / 1e6) }),
                reason('ruled_out.random_loss_size_dependent'),
                reason('next.ping_df_size', { peer: side === c.orig ? formatEndpoint(c.responder) : formatEndpoint(c.origin) }),
              ],
            }),
          );
          continue;
        }
        // Seen from the receiver: the sender's data paused for a stall and then came only in
        // segments well below the MSS this side allowed, back to back: its full-size ones were lost.
        if (!icmpForIt && resendsOnlyFullSize(side) === false && side.dataGapNs >= stallNs && side.largestAfterGap >= 5 && side.maxPayloadAfterGap === side.maxPayload && side.maxPayload >= 200 && side.maxPayload < announcedMss - 100) {
          findings.push(
            makeFinding('tcp.pmtud_blackhole', {
              message: message('tcp.pmtud_blackhole.small_after_stall', { side: sender, stallMs: Math.round(side.dataGapNs / 1e6), size: side.maxPayload, mss: announcedMss }),
              frames: [side.dataGapFrame],
              flow: tcpFlow(c),
              metrics: { segmentBytes: side.maxPayload, announcedMss, stallMs: Math.round(side.dataGapNs / 1e6) },
              confidence: 0.65,
              reasons: [
                reason('pmtu.small_segments_after_stall', { side: sender, stallMs: Math.round(side.dataGapNs / 1e6), size: side.maxPayload, frame: side.dataGapFrame, mss: announcedMss }),
                reason('next.capture_at_sender', { side: sender }),
              ],
            }),
          );
          continue;
        }
        // Seen from the receiver: a gap that never fills, only small segments arriving, MSS larger.
        const senderState = side === c.orig ? c.analyzer.a : c.analyzer.b;
        const receiverState = side === c.orig ? c.analyzer.b : c.analyzer.a;
        const gapOpen = ((senderState.nextSeq - receiverState.lastAck) | 0) > 0 && senderState.nextSeq !== 0;
        if (c.semantic.lostSegments >= 1 && gapOpen && side.payloadBytes > 0 && side.maxPayload > 0 && side.maxPayload < announcedMss - 100) {
          findings.push(
            makeFinding('tcp.pmtud_blackhole', {
              message: message('tcp.pmtud_blackhole.gap', { side: sender, size: side.maxPayload, mss: announcedMss }),
              frames: c.evidence.get('lost_segment') ?? [],
              flow: tcpFlow(c),
              metrics: { largestSegmentBytes: side.maxPayload, announcedMss },
              confidence: 0.6,
            }),
          );
        }
      }
    }
    return findings;
  },
});
