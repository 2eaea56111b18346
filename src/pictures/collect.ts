import { readCaptures } from '../capture/read-capture.js';
import { RelativeClock } from '../capture/timestamps.js';
import { formatIp } from '../decode/address.js';
import { FrameDecoder } from '../decode/decode-frame.js';
import { dnsRcodeName, dnsTypeName } from '../decode/dns-names.js';
import { DEFAULT_LIMITS, FlowEngine } from '../flows/build-flows.js';
import { TA_FAST_RETRANSMISSION, TA_RETRANSMISSION, TA_SPURIOUS_RETRANSMISSION, type FrameAnalysis } from '../flows/tcp-analysis.js';
import { TCP_SYN } from '../decode/packet.js';

/** Any of Wireshark's retransmission labels (plain, fast, spurious): drawn red in every picture. */
export const RETRANSMITTED = TA_RETRANSMISSION | TA_FAST_RETRANSMISSION | TA_SPURIOUS_RETRANSMISSION;

/** One frame as the pictures need it: addresses, TCP numbers, ECN, Wireshark's analysis flags. */
export interface WirePacket {
  frame: number;
  /** Seconds since the first frame of the capture. */
  t: number;
  src: string;
  dst: string;
  sport: number;
  dport: number;
  proto: 'tcp' | 'udp' | 'other';
  /** TCP flag bits (FIN 1, SYN 2, RST 4, PSH 8, ACK 16, URG 32, ECE 64, CWR 128). */
  flags: number;
  seq: number;
  ack: number;
  len: number;
  /** The advertised window as sent (unscaled). */
  win: number;
  /** The window scale option of a SYN, or -1. */
  wscale: number;
  /** IP ECN field: 0 Not-ECT, 1 ECT(1), 2 ECT(0), 3 CE. */
  ecn: number;
  /** Wireshark's tcp.analysis bits (flows/tcp-analysis.ts TA_*). */
  analysis: number;
  /** For name-resolution packets: "A reports.corp?" / "NXDOMAIN". */
  label: string;
}

/**
 * A second, bounded pass over a capture for the frames one picture needs (`select` decides; at
 * most `limit` are kept). The flow engine runs alongside so each frame carries Wireshark's TCP
 * analysis flags, as in `netcase decode`.
 */
export async function collectPackets(path: string, select: (p: WirePacket) => boolean, options: { maxDecompressedBytes?: number; limit?: number; untilFrame?: number } = {}): Promise<WirePacket[]> {
  const until = options.untilFrame ?? Infinity;
  const out: WirePacket[] = [];
  const limit = options.limit ?? 20_000;
  for await (const capture of readCaptures(path, { maxDecompressedBytes: options.maxDecompressedBytes })) {
    const decoder = new FrameDecoder();
    const flows = new FlowEngine({ ...DEFAULT_LIMITS, exchanges: false });
    const analysis: FrameAnalysis = { flags: 0, dupAckNum: 0, dupAckFrame: 0, ackRttNs: -1, ackedFrame: 0, bytesInFlight: -1 };
    const clock = new RelativeClock();
    for await (const batch of capture.frames()) {
      for (let i = 0; i < batch.count; i++) {
        const p = decoder.decode(batch, i);
        const relNs = clock.at(batch.tsSec[i], batch.tsNsec[i]);
        const number = batch.firstNumber + i;
        // Past the last frame the picture needs: the rest of the capture is not read.
        if (number > until) return out;
        flows.add(p, batch.data, number, relNs, analysis);
        if (p.ipVersion === 0) continue;
        const tcp = p.transport === 6 && p.tcpHeaderLength >= 20;
        const w: WirePacket = {
          frame: number,
          t: relNs / 1e9,
          src: formatIp(batch.data, p.ipVersion, p.srcAddr),
          dst: formatIp(batch.data, p.ipVersion, p.dstAddr),
          sport: p.srcPort,
          dport: p.dstPort,
          proto: tcp ? 'tcp' : p.transport === 17 ? 'udp' : 'other',
          flags: tcp ? p.tcpFlags : 0,
          seq: tcp ? p.tcpSeq : 0,
          ack: tcp ? p.tcpAck : 0,
          len: tcp ? p.payloadLength : 0,
          win: tcp ? p.tcpWindow : 0,
          wscale: tcp && p.tcpFlags & TCP_SYN ? p.windowScale : -1,
          ecn: p.ecn,
          analysis: tcp ? analysis.flags : 0,
          label: nameLabel(p),
        };
        if (select(w)) {
          out.push(w);
          if (out.length >= limit) return out;
        }
      }
    }
  }
  return out;
}

const ICMP_NAMES: Record<string, string> = {
  '1/3/3': 'port unreachable', '1/3/1': 'host unreachable', '1/3/4': 'fragmentation needed', '1/11/0': 'TTL exceeded', '1/0/0': 'echo reply', '1/8/0': 'echo request',
  '58/1/4': 'port unreachable', '58/2/0': 'packet too big', '58/3/0': 'hop limit exceeded', '58/128/0': 'echo request', '58/129/0': 'echo reply',
};

function nameLabel(p: ReturnType<FrameDecoder['decode']>): string {
  if (p.dns !== null) {
    const d = p.dns;
    const proto = p.srcPort === 5355 || p.dstPort === 5355 ? 'LLMNR ' : p.srcPort === 5353 || p.dstPort === 5353 ? 'mDNS ' : 'DNS ';
    return d.response ? `${proto}${d.rcode === 0 ? `answer ${dnsTypeName(d.qtype)} ${d.qname}` : `${dnsRcodeName(d.rcode)} ${d.qname}`}` : `${proto}query ${dnsTypeName(d.qtype)} ${d.qname}`;
  }
  if (p.nbns !== null) return `NBNS ${p.nbns.type === 0x21 ? 'node status' : 'name'} ${p.nbns.response ? 'answer' : 'query'}${p.nbns.type === 0x21 ? '' : ` ${p.nbns.name}`}`;
  if (p.transport === 1 || p.transport === 58) return `ICMP${p.transport === 58 ? 'v6' : ''} ${ICMP_NAMES[`${p.transport}/${p.icmpType}/${p.icmpCode}`] ?? `type ${p.icmpType} code ${p.icmpCode}`}`;
  return '';
}
