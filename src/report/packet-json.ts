import { formatTimestamp } from '../capture/timestamps.js';
import { formatIp, formatMac } from '../decode/address.js';
import { dnsRcodeName, dnsTypeName } from '../decode/dns-names.js';
import { TCP_ACK, TCP_AE, TCP_CWR, TCP_ECE, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, TCP_URG, type Packet } from '../decode/packet.js';
import { tlsVersionName } from '../decode/tls.js';
import { analysisFlagNames, type FrameAnalysis } from '../flows/tcp-analysis.js';

interface DnsRecordJson {
  name: string;
  type: string;
  ttl: number;
  data: string;
}

/** `netcase decode --json`: one object per frame; absent layers are absent keys. */
export interface PacketJson {
  number: number;
  time: string;
  timeNs: number;
  src?: string;
  dst?: string;
  srcPort?: number;
  dstPort?: number;
  protocol: string;
  length: number;
  capturedLength: number;
  vlan?: number[];
  tunnels?: string[];
  ip?: { version: number; ttl: number; id?: number; df?: boolean; mf?: boolean; fragmentOffset?: number; ecn: number; dscp: number; proto: number };
  tcp?: { flags: string[]; seq: number; ack: number; len: number; window: number; mss?: number; windowScale?: number; sackPermitted?: boolean; sack?: number[]; tsVal?: number; tsEcr?: number };
  udp?: { len: number };
  icmp?: { type: number; code: number; inner?: { src: string; dst: string; proto: number; srcPort?: number; dstPort?: number } };
  dns?: { id: number; response: boolean; opcode: number; qname: string; qtype: number; qtypeName: string; rcode: number; rcodeName: string; answers?: DnsRecordJson[]; additional?: DnsRecordJson[] };
  nbns?: { id: number; response: boolean; opcode: number; rcode: number; name: string; type: number };
  tls?: { contentTypes: number[]; handshakeTypes: number[]; version: string; sni?: string; alpn?: string[]; cipherSuites?: number[]; alert?: { level: number; description: number } };
  http?: { method?: string; uri?: string; host?: string; status?: number };
  needsReassembly?: boolean;
  /** Wireshark's tcp.analysis flags of this frame (tcp.analysis.<name>). */
  tcpAnalysis?: string[];
  tcpAnalysisInfo?: { duplicateAckOf?: number; duplicateAckNum?: number; ackRttNs?: number; ackedFrame?: number; bytesInFlight?: number };
  anomalies?: { kind: string; layer: string; message: string }[];
}

const FLAG_NAMES: [number, string][] = [
  [TCP_SYN, 'SYN'],
  [TCP_ACK, 'ACK'],
  [TCP_FIN, 'FIN'],
  [TCP_RST, 'RST'],
  [TCP_PSH, 'PSH'],
  [TCP_URG, 'URG'],
  [TCP_ECE, 'ECE'],
  [TCP_CWR, 'CWR'],
  [TCP_AE, 'AE'],
];

/** Adds the flow engine's per-frame TCP analysis (Wireshark's view) to a frame's JSON. */
export function addTcpAnalysis(j: PacketJson, a: FrameAnalysis): void {
  if (a.flags !== 0) j.tcpAnalysis = analysisFlagNames(a.flags);
  const info: NonNullable<PacketJson['tcpAnalysisInfo']> = {};
  if (a.dupAckNum > 0) {
    info.duplicateAckOf = a.dupAckFrame;
    info.duplicateAckNum = a.dupAckNum;
  }
  if (a.ackedFrame > 0) {
    info.ackedFrame = a.ackedFrame;
    info.ackRttNs = Math.round(a.ackRttNs);
  }
  if (a.bytesInFlight > 0) info.bytesInFlight = a.bytesInFlight;
  if (Object.keys(info).length > 0) j.tcpAnalysisInfo = info;
}

export function tcpFlagNames(flags: number): string[] {
  return FLAG_NAMES.filter(([bit]) => flags & bit).map(([, name]) => name);
}

export function packetToJson(p: Packet, data: Uint8Array, number: number, tsSec: number, tsNsec: number, timeNs: number, length: number, capturedLength: number): PacketJson {
  const j: PacketJson = { number, time: Number.isNaN(tsSec) ? '' : formatTimestamp(tsSec, tsNsec), timeNs, protocol: p.protocol, length, capturedLength };
  if (p.ipVersion !== 0) {
    j.src = formatIp(data, p.ipVersion, p.srcAddr);
    j.dst = formatIp(data, p.ipVersion, p.dstAddr);
  } else if (p.ethSrc >= 0) {
    j.src = formatMac(data, p.ethSrc);
    if (p.ethDst >= 0) j.dst = formatMac(data, p.ethDst);
  }
  const quoted = p.icmpQuoted;
  if (quoted !== null && quoted.srcPort >= 0) {
    j.srcPort = quoted.srcPort;
    j.dstPort = quoted.dstPort;
  } else if (p.srcPort >= 0) {
    j.srcPort = p.srcPort;
    j.dstPort = p.dstPort;
  }
  if (p.vlanIds.length > 0) j.vlan = [...p.vlanIds];
  if (p.tunnels.length > 0) j.tunnels = [...p.tunnels];
  if (p.ipVersion !== 0) {
    j.ip = { version: p.ipVersion, ttl: p.ttl, ecn: p.ecn, dscp: p.dscp, proto: p.ipProto };
    if (p.ipVersion === 4) Object.assign(j.ip, { id: p.ipId, df: p.df, mf: p.mf, fragmentOffset: p.fragmentOffset });
    else if (p.ipv6Fragment) Object.assign(j.ip, { id: p.ipId, mf: p.mf, fragmentOffset: p.fragmentOffset });
  }
  if (p.transport === 6 && p.tcpHeaderLength >= 20) {
    j.tcp = { flags: tcpFlagNames(p.tcpFlags), seq: p.tcpSeq, ack: p.tcpAck, len: p.payloadLength, window: p.tcpWindow };
    if (p.mss >= 0) j.tcp.mss = p.mss;
    if (p.windowScale >= 0) j.tcp.windowScale = p.windowScale;
    if (p.sackPermitted) j.tcp.sackPermitted = true;
    if (p.sackBlocks.length > 0) j.tcp.sack = [...p.sackBlocks];
    if (p.tsVal >= 0) {
      j.tcp.tsVal = p.tsVal;
      j.tcp.tsEcr = p.tsEcr;
    }
  } else if (quoted !== null && quoted.tcpSeq >= 0) {
    j.tcp = { flags: [], seq: quoted.tcpSeq, ack: 0, len: 0, window: 0 };
  }
  if (p.udpLength >= 0) j.udp = { len: p.udpLength };
  if (p.icmpType >= 0) {
    j.icmp = { type: p.icmpType, code: p.icmpCode };
    if (quoted !== null) {
      j.icmp.inner = { src: quoted.src, dst: quoted.dst, proto: quoted.ipProto };
      if (quoted.srcPort >= 0) Object.assign(j.icmp.inner, { srcPort: quoted.srcPort, dstPort: quoted.dstPort });
    }
  }
  if (p.dns !== null) {
    const d = p.dns;
    j.dns = { id: d.id, response: d.response, opcode: d.opcode, qname: d.qname, qtype: d.qtype, qtypeName: dnsTypeName(d.qtype), rcode: d.rcode, rcodeName: dnsRcodeName(d.rcode) };
    if (d.answers.length > 0) j.dns.answers = d.answers.map((a) => ({ name: a.name, type: dnsTypeName(a.type), ttl: a.ttl, data: a.data }));
    if (d.additional.length > 0) j.dns.additional = d.additional.map((a) => ({ name: a.name, type: dnsTypeName(a.type), ttl: a.ttl, data: a.data }));
  }
  if (p.nbns !== null) {
    const n = p.nbns;
    j.nbns = { id: n.id, response: n.response, opcode: n.opcode, rcode: n.rcode, name: n.name, type: n.type };
  }
  if (p.tls !== null) {
    const t = p.tls;
    j.tls = { contentTypes: t.contentTypes, handshakeTypes: t.handshakeTypes, version: tlsVersionName(t.version) };
    if (t.sni !== '') j.tls.sni = t.sni;
    if (t.alpn.length > 0) j.tls.alpn = t.alpn;
    if (t.cipherSuites.length > 0) j.tls.cipherSuites = t.cipherSuites;
    if (t.alert !== null) j.tls.alert = t.alert;
  }
  if (p.http !== null) {
    const h = p.http;
    j.http = h.status >= 0 ? { status: h.status } : { method: h.method, uri: h.uri, ...(h.host === '' ? {} : { host: h.host }) };
  }
  if (p.needsReassembly) j.needsReassembly = true;
  if (p.anomalies.length > 0) j.anomalies = p.anomalies.map((a) => ({ ...a }));
  return j;
}
