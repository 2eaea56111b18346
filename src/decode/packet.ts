import type { DnsMessage } from './dns.js';
import type { HttpMessage } from './http.js';
import type { NbnsMessage } from './nbns.js';
import type { TlsSummary } from './tls.js';

/**
 * A decoded frame. One Packet object is reused frame after frame on the hot path (decodeInto);
 * fields are flat numbers and offsets into the frame's bytes, so decoding allocates nothing for
 * ordinary frames. Strings (addresses, names) are built only for what is reported
 * (see packet-json.ts). Application layers (DNS, TLS, HTTP, NBNS) and ICMP's quoted header are
 * small objects allocated only for the frames that carry them.
 */

/** Our own closed set of protocol names: the highest layer we recognise in the frame. */
export type Protocol =
  | 'eth'
  | 'arp'
  | 'stp'
  | 'lldp'
  | 'cdp'
  | 'lacp'
  | 'ipv4'
  | 'ipv6'
  | 'tcp'
  | 'udp'
  | 'icmp'
  | 'icmpv6'
  | 'igmp'
  | 'gre'
  | 'esp'
  | 'sctp'
  | 'dns'
  | 'mdns'
  | 'llmnr'
  | 'nbns'
  | 'tls'
  | 'http'
  | 'quic'
  | 'smb'
  | 'kerberos'
  | 'ldap'
  | 'tds'
  | 'rdp'
  | 'dhcp'
  | 'ntp'
  | 'snmp'
  | 'ssdp'
  | 'netbios'
  | 'other';

export type AnomalyKind = 'truncated' | 'malformed';

export interface Anomaly {
  kind: AnomalyKind;
  layer: string;
  message: string;
}

/** The header an ICMP error quotes (RFC 792 / RFC 4443): what the error is about. */
export interface QuotedHeader {
  ipVersion: 4 | 6;
  src: string;
  dst: string;
  ipProto: number;
  ttl: number;
  ipId: number;
  srcPort: number;
  dstPort: number;
  /** TCP sequence number of the quoted segment, or -1. */
  tcpSeq: number;
}

/** TCP flag bits as in the header's 12 flag bits (AE is RFC 3168's former NS bit, bit 8). */
export const TCP_FIN = 0x001;
export const TCP_SYN = 0x002;
export const TCP_RST = 0x004;
export const TCP_PSH = 0x008;
export const TCP_ACK = 0x010;
export const TCP_URG = 0x020;
export const TCP_ECE = 0x040;
export const TCP_CWR = 0x080;
export const TCP_AE = 0x100;

export const TRANSPORT_NONE = 0;
export const TRANSPORT_TCP = 6;
export const TRANSPORT_UDP = 17;
export const TRANSPORT_ICMP = 1;
export const TRANSPORT_ICMPV6 = 58;

export interface Packet {
  protocol: Protocol;
  anomalies: Anomaly[];
  /** Encapsulations peeled off on the way in (vlan, qinq, vxlan, gre, erspan). */
  tunnels: string[];

  // Link layer (addresses are absolute offsets of 6 bytes, -1 when absent)
  linkType: number;
  ethSrc: number;
  ethDst: number;
  vlanIds: number[];
  /** Ethertype (or SLL protocol) of the innermost link header; -1 when none. */
  etherType: number;

  // Network layer (innermost IP header when tunnelled)
  ipVersion: 0 | 4 | 6;
  /** Absolute offset of the IP header. */
  ipOffset: number;
  ipHeaderLength: number;
  /** IPv4 total length or IPv6 40 + payload length, as declared. */
  ipTotalLength: number;
  ttl: number;
  ipId: number;
  df: boolean;
  mf: boolean;
  /** Fragment offset in bytes. */
  fragmentOffset: number;
  /** IPv6: a Fragment header was present. */
  ipv6Fragment: boolean;
  ecn: number;
  dscp: number;
  /** Upper-layer protocol number after any IPv6 extension headers. */
  ipProto: number;
  /** Absolute offsets of the source and destination addresses (4 or 16 bytes). */
  srcAddr: number;
  dstAddr: number;

  // Transport
  transport: number;
  srcPort: number;
  dstPort: number;
  /** Absolute offset of the transport payload. */
  payloadOffset: number;
  /** Payload length the headers declare (TCP: from the IP length, not the captured length). */
  payloadLength: number;
  /** Bytes of that payload actually captured. */
  payloadCaptured: number;

  // TCP
  tcpSeq: number;
  tcpAck: number;
  tcpFlags: number;
  tcpWindow: number;
  tcpHeaderLength: number;
  mss: number;
  windowScale: number;
  sackPermitted: boolean;
  /** SACK blocks as absolute left,right pairs. */
  sackBlocks: number[];
  tsVal: number;
  tsEcr: number;

  // UDP
  udpLength: number;

  // ICMP / ICMPv6
  icmpType: number;
  icmpCode: number;
  icmpQuoted: QuotedHeader | null;
  /** Next-hop MTU of a fragmentation-needed / packet-too-big message, or -1. */
  icmpMtu: number;

  // Application layers (null when absent)
  dns: DnsMessage | null;
  nbns: NbnsMessage | null;
  tls: TlsSummary | null;
  http: HttpMessage | null;
  /** The application message continues in later segments (reassembly belongs to the flow engine). */
  needsReassembly: boolean;
}

export function newPacket(): Packet {
  const p = {} as Packet;
  p.anomalies = [];
  p.tunnels = [];
  p.vlanIds = [];
  p.sackBlocks = [];
  resetPacket(p, 1);
  return p;
}

export function resetPacket(p: Packet, linkType: number): void {
  p.protocol = 'other';
  if (p.anomalies.length > 0) p.anomalies = [];
  if (p.tunnels.length > 0) p.tunnels = [];
  if (p.vlanIds.length > 0) p.vlanIds = [];
  if (p.sackBlocks.length > 0) p.sackBlocks = [];
  p.linkType = linkType;
  p.ethSrc = -1;
  p.ethDst = -1;
  p.etherType = -1;
  p.ipVersion = 0;
  p.ipOffset = -1;
  p.ipHeaderLength = 0;
  p.ipTotalLength = 0;
  p.ttl = -1;
  p.ipId = -1;
  p.df = false;
  p.mf = false;
  p.fragmentOffset = 0;
  p.ipv6Fragment = false;
  p.ecn = 0;
  p.dscp = 0;
  p.ipProto = -1;
  p.srcAddr = -1;
  p.dstAddr = -1;
  p.transport = TRANSPORT_NONE;
  p.srcPort = -1;
  p.dstPort = -1;
  p.payloadOffset = -1;
  p.payloadLength = 0;
  p.payloadCaptured = 0;
  p.tcpSeq = 0;
  p.tcpAck = 0;
  p.tcpFlags = 0;
  p.tcpWindow = 0;
  p.tcpHeaderLength = 0;
  p.mss = -1;
  p.windowScale = -1;
  p.sackPermitted = false;
  p.tsVal = -1;
  p.tsEcr = -1;
  p.udpLength = -1;
  p.icmpType = -1;
  p.icmpCode = -1;
  p.icmpQuoted = null;
  p.icmpMtu = -1;
  p.dns = null;
  p.nbns = null;
  p.tls = null;
  p.http = null;
  p.needsReassembly = false;
}

export function addAnomaly(p: Packet, kind: AnomalyKind, layer: string, message: string): void {
  p.anomalies.push({ kind, layer, message });
}

/**
 * Forgets the network and transport layers before decoding a tunnel's inner frame, so the packet
 * describes the innermost headers (what a mirror capture is about). Anomalies and tunnels stay.
 */
export function clearAboveLink(p: Packet): void {
  const { anomalies, tunnels, vlanIds, sackBlocks } = p;
  const linkType = p.linkType;
  resetPacket(p, linkType);
  p.anomalies = anomalies;
  p.tunnels = tunnels;
  p.vlanIds = vlanIds;
  p.sackBlocks = sackBlocks;
  sackBlocks.length = 0;
}
