import { makeFinding } from '../findings/finding.js';
import { defineCheck, groupBy, plural, tcpFlow } from './check.js';

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
  run: ({ tcp, icmpErrors }) => {
    const findings = [];
    const pmtu = icmpErrors.filter((e) => (e.version === 4 && e.type === 3 && e.code === 4) || (e.version === 6 && e.type === 2));
    for (const [key, list] of groupBy(pmtu, (e) => `${e.from}|${e.mtu}`)) {
      const [from, mtu] = key.split('|');
      findings.push(
        makeFinding('tcp.pmtud_blackhole', {
          severity: 'medium',
          summary: `${from} reported ${plural(list.length, 'time')} that packets from ${list[0].src} to ${list[0].dst} are too big for its next hop (MTU ${mtu}). Path MTU discovery works when the sender lowers its segment size after this; if these messages are filtered anywhere, the connection hangs instead. Check with ping -f -l ${Number(mtu) - 28} ${list[0].dst} (Windows) / ping -M do -s ${Number(mtu) - 28} ${list[0].dst} (Linux).`,
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
        if (side.fullSizeRetransmits >= 3 && !side.ackMovedAfterRetransmit && side.maxPayload >= 1000) {
          findings.push(
            makeFinding('tcp.pmtud_blackhole', {
              summary: `The ${sender} resent its full-size ${side.maxPayload}-byte segments ${plural(side.fullSizeRetransmits, 'time')} and the ${sender === 'client' ? 'server' : 'client'}'s acknowledgement never moved, while the smaller packets before them got through: a hop with a smaller MTU drops them and no "fragmentation needed" message arrives. Lower the MTU/MSS on this path (netsh interface ipv4 set subinterface "NAME" mtu=1400 / ip link set dev IF mtu 1400) or let ICMP type 3 code 4 through the firewalls.`,
              frames: c.evidence.get('retransmission') ?? [],
              frameCount: side.fullSizeRetransmits,
              flow: tcpFlow(c),
              metrics: { segmentBytes: side.maxPayload, fullSizeRetransmits: side.fullSizeRetransmits },
              confidence: pmtu.length > 0 ? 0.95 : 0.75,
            }),
          );
        }
        // Seen from the receiver: a gap that stays open, only small segments arriving, MSS larger.
        const announcedMss = peer.mss > 0 ? peer.mss : 1460;
        if (c.semantic.lostSegments >= 1 && side.payloadBytes > 0 && side.maxPayload > 0 && side.maxPayload < announcedMss - 100 && c.semantic.duplicateAcks >= 3 && side.retransmittedBytes === 0 && side.finFrame === 0) {
          findings.push(
            makeFinding('tcp.pmtud_blackhole', {
              summary: `Only segments of up to ${side.maxPayload} bytes arrived from the ${sender} although ${announcedMss} were allowed, and the gap after them never filled (${plural(c.semantic.duplicateAcks, 'duplicate ACK')}): the full-size segments are dropped on the way. A hop with a smaller MTU and a lost "fragmentation needed" message; capture at the ${sender} to confirm.`,
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
