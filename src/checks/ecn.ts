import { formatEndpoint } from '../flows/endpoints.js';
import { makeFinding } from '../findings/finding.js';
import { defineCheck, plural, tcpFlow } from './check.js';

/**
 * ECN black holes (the seed's first case): a middlebox that drops packets carrying ECN signals.
 * Windows Server 2012 and Linux with net.ipv4.tcp_ecn=1 ask for ECN; a path that drops ECN-setup
 * SYNs or ECT-marked data breaks exactly the hosts that ask, while others reach the same service.
 */
export const ecnSynBlackhole = defineCheck({
  code: 'tcp.ecn_syn_blackhole',
  description: 'ECN-setup SYNs unanswered while SYNs without ECN to the same server succeed',
  run: ({ tcp }) =>
    tcp.flatMap((c) => {
      // The ECN SYNs must have gone unanswered: a SYN-ACK before the plain SYN means they arrived.
      if (c.ecnSyns === 0 || c.plainSynAfterEcnFrame === 0 || c.synAckNs < 0 || (c.resp.synFrame !== 0 && c.resp.synFrame < c.plainSynAfterEcnFrame)) return [];
      const waitedMs = c.synAckNs >= 0 && c.synNs >= 0 ? (c.synAckNs - c.synNs) / 1e6 : 0;
      return [
        makeFinding('tcp.ecn_syn_blackhole', {
          summary: `${plural(c.ecnSyns, 'SYN')} asking for ECN (ECE+CWR) to ${formatEndpoint(c.responder)} got no answer; the SYN without ECN flags (frame ${c.plainSynAfterEcnFrame}) was answered at once. Something on the path drops ECN-setup SYNs, costing ${Math.round(waitedMs)} ms per connection. Find the device (a firewall or load balancer) and fix it, or stop asking for ECN on this host: netsh int tcp set global ecncapability=disabled / sysctl -w net.ipv4.tcp_ecn=2.`,
          frames: [c.orig.synFrame, c.plainSynAfterEcnFrame],
          flow: tcpFlow(c),
          metrics: { ecnSyns: c.ecnSyns, delayMs: Math.round(waitedMs) },
          confidence: 0.9,
        }),
      ];
    }),
});

export const ectDataBlackhole = defineCheck({
  code: 'tcp.ect_data_blackhole',
  description: 'ECN negotiated, ECT-marked data lost while unmarked retransmissions get through',
  run: ({ tcp }) =>
    tcp.flatMap((c) => {
      if (!c.ecnSetupSyn || !c.ecnAccepted) return [];
      return [c.orig, c.resp].flatMap((side) => {
        const marked = side.ect0 + side.ect1;
        const unique = side.payloadBytes - side.retransmittedBytes;
        const sender = side === c.orig ? 'client' : 'server';
        // Seen from the receiver: ECN was agreed, yet not one ECT-marked data segment of the sender
        // arrived (senders mark every new data segment), only unmarked ones after gaps.
        if (marked === 0 && side.payloadBytes > 0 && c.semantic.lostSegments + c.semantic.retransmissions >= 3 && side.plainRetransmits + c.semantic.lostSegments >= 3) {
          const frames = [...(c.evidence.get('lost_segment') ?? []), ...(c.evidence.get('retransmission') ?? [])].sort((a, b) => a - b);
          return [
            makeFinding('tcp.ect_data_blackhole', {
              summary: `ECN was negotiated, yet none of the ${sender}'s data arrived with an ECT mark: only unmarked segments, after ${plural(c.semantic.lostSegments, 'gap')}. Senders mark new data when ECN is on and send retransmissions unmarked, so the marked originals were dropped on the way. Fix the device that drops ECT-marked packets, or disable ECN on the sender: netsh int tcp set global ecncapability=disabled / sysctl -w net.ipv4.tcp_ecn=2.`,
              frames,
              flow: tcpFlow(c),
              metrics: { ectSegments: 0, gaps: c.semantic.lostSegments, unmarkedRetransmissions: side.plainRetransmits },
              confidence: 0.75,
            }),
          ];
        }
        if (marked < 3 || side.plainRetransmits < 3 || unique <= 0 || side.retransmittedBytes / unique < 0.1 || side.ectRetransmits > side.plainRetransmits) return [];
        const frames = [...(c.evidence.get('retransmission') ?? []), ...(c.evidence.get('fast_retransmission') ?? [])].sort((a, b) => a - b);
        return [
          makeFinding('tcp.ect_data_blackhole', {
            summary: `ECN was negotiated, and the ${sender} sent ${plural(marked, 'ECT-marked segment')}; ${Math.round((100 * side.retransmittedBytes) / unique)}% of its data had to be sent again, in ${plural(side.plainRetransmits, 'retransmission')} without the ECT mark, which got through. Something on the path drops ECT-marked packets: the transfer crawls from timeout to timeout. Fix the device, or disable ECN on this host: netsh int tcp set global ecncapability=disabled (Windows Server 2012 enables it by default) / sysctl -w net.ipv4.tcp_ecn=2.`,
            frames,
            frameCount: side.plainRetransmits,
            flow: tcpFlow(c),
            metrics: { ectSegments: marked, unmarkedRetransmissions: side.plainRetransmits, retransmittedBytes: side.retransmittedBytes },
            confidence: 0.85,
          }),
        ];
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
          summary: `The server accepted ECN and sent its SYN-ACK (with ECE) ${c.synAckRetransmits + 1} times${acked ? ' before the client finally acknowledged it' : ' without the client ever acknowledging it'}: something between them drops ECN SYN-ACKs. Disable ECN on the host that asks for it (netsh int tcp set global ecncapability=disabled / sysctl -w net.ipv4.tcp_ecn=2) or fix the middlebox.`,
          frames: [c.resp.synFrame],
          flow: tcpFlow(c),
          metrics: { synAckRetransmits: c.synAckRetransmits },
          confidence: 0.8,
        }),
      ];
    }),
});
