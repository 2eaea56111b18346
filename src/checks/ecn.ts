import { formatEndpoint } from '../flows/endpoints.js';
import { makeFinding } from '../findings/finding.js';
import { message } from '../findings/messages.js';
import { reason } from '../findings/reasons.js';
import { defineCheck, groupBy, tcpFlow } from './check.js';

/**
 * ECN black holes (the seed's first case): a middlebox that drops packets carrying ECN signals.
 * Windows Server 2012 and Linux with net.ipv4.tcp_ecn=1 ask for ECN; a path that drops ECN-setup
 * SYNs or ECT-marked data breaks exactly the hosts that ask, while others reach the same service.
 */
export const ecnSynBlackhole = defineCheck({
  code: 'tcp.ecn_syn_blackhole',
  description: 'ECN-setup SYNs unanswered while SYNs without ECN to the same server succeed',
  run: ({ tcp }) => {
    const findings = tcp.flatMap((c) => {
      // The ECN SYNs must have gone unanswered: a SYN-ACK before the plain SYN means they arrived.
      if (c.ecnSyns === 0 || c.plainSynAfterEcnFrame === 0 || c.synAckNs < 0 || (c.resp.synFrame !== 0 && c.resp.synFrame < c.plainSynAfterEcnFrame)) return [];
      const waitedMs = c.synAckNs >= 0 && c.synNs >= 0 ? (c.synAckNs - c.synNs) / 1e6 : 0;
      return [
        makeFinding('tcp.ecn_syn_blackhole', {
          message: message('tcp.ecn_syn_blackhole.fallback', { ecnSyns: c.ecnSyns, server: formatEndpoint(c.responder), plainFrame: c.plainSynAfterEcnFrame, delayMs: Math.round(waitedMs) }),
          frames: [c.orig.synFrame, c.plainSynAfterEcnFrame],
          flow: tcpFlow(c),
          metrics: { ecnSyns: c.ecnSyns, delayMs: Math.round(waitedMs) },
          confidence: 0.9,
          reasons: [reason('ecn.plain_syn_same_server_answered', { ecnSyns: c.ecnSyns, server: formatEndpoint(c.responder), frame: c.orig.synFrame, plainFrame: c.plainSynAfterEcnFrame }), reason('next.disable_ecn_and_retry')],
        }),
      ];
    });
    // A host that never falls back (Windows without the fallback Linux has): its connections send
    // only ECN-setup SYNs and fail, while connections to the same server without ECN work.
    const failed = tcp.filter((c) => c.ecnSyns >= 2 && c.plainSynAfterEcnFrame === 0 && c.synAckNs < 0 && c.resp.packets === 0);
    for (const [server, list] of groupBy(failed, (c) => formatEndpoint(c.responder))) {
      const plain = tcp.find((c) => formatEndpoint(c.responder) === server && c.ecnSyns === 0 && c.synAckNs >= 0 && c.orig.synFrame !== 0);
      if (plain === undefined) continue;
      const syns = list.reduce((n, c) => n + c.ecnSyns, 0);
      findings.push(
        makeFinding('tcp.ecn_syn_blackhole', {
          message: message('tcp.ecn_syn_blackhole.no_fallback', { connections: list.length, server, ecnSyns: syns, plainFrame: plain.orig.synFrame }),
          frames: [...list.map((c) => c.orig.synFrame), plain.orig.synFrame],
          flow: { server },
          metrics: { ecnSyns: syns, failedConnections: list.length },
          confidence: 0.85,
          reasons: [reason('ecn.plain_syn_same_server_answered', { ecnSyns: syns, server, frame: list[0].orig.synFrame, plainFrame: plain.orig.synFrame }), reason('next.disable_ecn_and_retry')],
        }),
      );
    }
    return findings;
  },
});

export const ectDataBlackhole = defineCheck({
  code: 'tcp.ect_data_blackhole',
  description: 'ECN negotiated, ECT-marked data lost while unmarked retransmissions get through',
  run: ({ tcp }) =>
    tcp.flatMap((c) => {
      if (!c.ecnSetupSyn || !c.ecnAccepted) return [];
      return [c.orig, c.resp].flatMap((side) => {
        const peer = side === c.orig ? c.resp : c.orig;
        const sender = side === c.orig ? 'client' : 'server';
        const sender_ = sender === 'client' ? 'server' : 'client';
        const peerUnmarked = peer.payloadBytes > 0 && peer.packets >= 2 && peer.ect0 + peer.ect1 + peer.ce === 0;
        // Seen from the sender (or before the device): not one of its ECT-marked segments was
        // acknowledged; its retransmissions, which senders never mark, were (a stateless device) or
        // were lost too from the first ECT-marked segment on (a stateful one).
        if (side.ectData > 0 && side.ectDelivered === 0 && side.plainRetransmits > 0) {
          const stateless = side.ackMovedAfterRetransmit;
          if (stateless ? side.ectData >= 2 || peerUnmarked : side.plainRetransmits >= 2) {
            const reasons = stateless
              ? [reason('ecn.ect_never_acked_unmarked_through', { side: sender, ectSegments: side.ectData, plainRetransmits: side.plainRetransmits, frame: side.firstRetransmitFrame })]
              : [reason('ecn.first_ect_then_silence', { side: sender, frame: side.firstEctDataFrame, plainRetransmits: side.plainRetransmits })];
            if (peerUnmarked) reasons.push(reason('ecn.peer_data_never_marked', { side: sender_, segments: peer.packets }));
            if (!stateless && side.minRetransmit > 0 && side.minRetransmit < 1000) reasons.push(reason('ruled_out.pmtu_small_segments_lost', { size: side.minRetransmit, frame: side.minRetransmitFrame }));
            if (!stateless) reasons.push(reason('ruled_out.random_loss_all_lost', { lost: side.plainRetransmits }));
            else reasons.push(reason('ruled_out.path_down_plain_packets_pass', { frame: side.firstRetransmitFrame }));
            reasons.push(reason('next.disable_ecn_and_retry'));
            const frames = [side.firstEctDataFrame, ...(c.evidence.get('retransmission') ?? [])].sort((a, b) => a - b);
            return [
              makeFinding('tcp.ect_data_blackhole', {
                message: stateless
                  ? message('tcp.ect_data_blackhole.stateless', { side: sender, ectSegments: side.ectData, retransmissions: side.plainRetransmits })
                  : message('tcp.ect_data_blackhole.stateful', { side: sender, frame: side.firstEctDataFrame, retransmissions: side.plainRetransmits }),
                frames,
                frameCount: side.plainRetransmits + 1,
                flow: tcpFlow(c),
                metrics: { ectSegments: side.ectData, unmarkedRetransmissions: side.plainRetransmits, retransmittedBytes: side.retransmittedBytes },
                confidence: stateless ? (side.ectData >= 2 ? 0.85 : 0.7) : 0.7,
                reasons,
              }),
            ];
          }
        }
        // Seen from the receiver: ECN was agreed, yet not one ECT-marked data segment of the sender
        // arrived (senders mark every new data segment), only unmarked ones after gaps.
        if (side.ect0 + side.ect1 === 0 && side.payloadBytes > 0 && c.semantic.lostSegments + c.semantic.retransmissions >= 3 && side.plainRetransmits + c.semantic.lostSegments >= 3) {
          const frames = [...(c.evidence.get('lost_segment') ?? []), ...(c.evidence.get('retransmission') ?? [])].sort((a, b) => a - b);
          return [
            makeFinding('tcp.ect_data_blackhole', {
              message: message('tcp.ect_data_blackhole.receiver', { side: sender, gaps: c.semantic.lostSegments }),
              frames,
              flow: tcpFlow(c),
              metrics: { ectSegments: 0, gaps: c.semantic.lostSegments, unmarkedRetransmissions: side.plainRetransmits },
              confidence: 0.75,
              reasons: [reason('ecn.peer_data_never_marked', { side: sender, segments: side.packets }), reason('next.capture_at_sender', { side: sender }), reason('next.disable_ecn_and_retry')],
            }),
          ];
        }
        return [];
      });
    }),
});

export const ecnSynackBlackhole = defineCheck({
  code: 'tcp.ecn_synack_blackhole',
  description: "the server's ECN-accepting SYN-ACK is retransmitted and never acknowledged",
  run: ({ tcp }) =>
    tcp.flatMap((c) => {
      if (!c.ecnAccepted || c.synAckRetransmits < 2) return [];
      const acked = c.handshakeAckNs >= 0;
      return [
        makeFinding('tcp.ecn_synack_blackhole', {
          severity: acked ? 'high' : 'critical',
          message: message('tcp.ecn_synack_blackhole', { sent: c.synAckRetransmits + 1, acked }),
          frames: [c.resp.synFrame],
          flow: tcpFlow(c),
          metrics: { synAckRetransmits: c.synAckRetransmits },
          confidence: 0.8,
        }),
      ];
    }),
});
