// Over 300 lines: the flow table plus the two small watchers that need its per-packet view (ICMP
// errors, reverse-lookup stalls). A later split: move the watchers to their own file.
import { formatIp } from '../decode/address.js';
import type { Packet } from '../decode/packet.js';
import { TRANSPORT_TCP, TRANSPORT_UDP } from '../decode/packet.js';
import { dnsAnswers, NameTransactions, type NameProtocol } from './dns-transactions.js';
import { FlowKeyScratch, sameEndpoint, type Endpoint } from './endpoints.js';
import { TA_REUSED_PORTS, TH_ACK, TH_SYN, type FrameAnalysis } from './tcp-analysis.js';
import { TcpConnection } from './tcp-connection.js';
import { UdpFlow } from './udp-flow.js';

/**
 * packets -> flows: the TCP connection table (with Wireshark's and the semantic analysis), UDP
 * flows and name-resolution transactions. State is bounded: at most MAX_TCP / MAX_UDP flows are
 * tracked (later ones are counted, not kept), idle connections are released, and every bound that
 * is hit is counted in `limits` (the capture.state_limits_hit finding).
 */
export interface FlowLimits {
  maxTcp: number;
  maxUdp: number;
  /** Connections idle this long (capture time) give back their per-segment state. */
  idleNs: number;
  /** Follow application exchanges (stream reassembly, DNS/TLS/HTTP); `decode` only needs TCP labels. */
  exchanges: boolean;
}

export const DEFAULT_LIMITS: FlowLimits = { maxTcp: 200_000, maxUdp: 200_000, idleNs: 300e9, exchanges: true };

export interface LimitsHit {
  /** Flows beyond maxTcp / maxUdp, counted once per address/port pair. */
  tcpUntracked: number;
  udpUntracked: number;
  reassembly: number;
  nameTransactions: number;
}

type Bucket<T> = T | T[];

/** An ICMP error the capture saw: what it is about and, for PMTU messages, the next-hop MTU. */
export interface IcmpError {
  frame: number;
  timeNs: number;
  version: 4 | 6;
  type: number;
  code: number;
  mtu: number;
  from: string;
  /** The packet it quotes. */
  src: string;
  dst: string;
  proto: number;
  srcPort: number;
  dstPort: number;
}

/**
 * A reverse lookup in progress: host `hostWords[0]` asked for the name of `peerWords[0]` (IPv4).
 * The first packet the host then sends to that peer, and NetBIOS queries it sends meanwhile, are
 * recorded: that is how long the host made its peer wait (the seed's slow SQL login).
 */
export interface PtrWatch {
  host: number;
  peer: number;
  hostIp: string;
  peerIp: string;
  queryFrame: number;
  queryNs: number;
  nextPacketFrame: number;
  nextPacketNs: number;
  nbnsFrames: number[];
}

const MAX_ICMP_ERRORS = 10_000;
const MAX_WATCHES = 1000;
const WATCH_NS = 30e9;

export class FlowEngine {
  readonly tcp: TcpConnection[] = [];
  readonly udp: UdpFlow[] = [];
  readonly names = new NameTransactions();
  readonly limits: LimitsHit = { tcpUntracked: 0, udpUntracked: 0, reassembly: 0, nameTransactions: 0 };
  readonly icmpErrors: IcmpError[] = [];
  readonly ptrWatches: PtrWatch[] = [];
  private readonly activeWatches = new Map<number, PtrWatch[]>();
  private readonly tcpTable = new Map<number, Bucket<TcpConnection>>();
  private readonly udpTable = new Map<number, Bucket<UdpFlow>>();
  private readonly key = new FlowKeyScratch();
  private framesSinceSweep = 0;
  /** Hashes of the flows not followed (beyond the limits), to count them once each; itself bounded. */
  private readonly untracked = new Set<number>();
  /** The connection the last `add` touched, and whether its sender was the originator. */
  lastConnection: TcpConnection | null = null;
  lastFromOrig = true;

  constructor(private readonly bounds: FlowLimits = DEFAULT_LIMITS) {}

  /**
   * Adds one decoded packet. For TCP, `analysis` receives Wireshark's view of the frame and the
   * semantic flags are returned; otherwise 0. ICMP-quoted headers and IP fragments are not flows.
   */
  add(p: Packet, data: Uint8Array, frame: number, timeNs: number, analysis: FrameAnalysis): number {
    analysis.flags = 0;
    this.lastConnection = null;
    if (p.ipVersion === 0 || p.fragmentOffset > 0) return 0;
    if (++this.framesSinceSweep >= 65536) this.sweep(timeNs);
    if (p.icmpQuoted !== null) this.addIcmpError(p, data, frame, timeNs);
    if (p.transport === TRANSPORT_TCP && p.tcpHeaderLength >= 20 && p.icmpQuoted === null) {
      const sem = this.addTcp(p, data, frame, timeNs, analysis);
      if (this.activeWatches.size > 0) this.watch(p, data, frame, timeNs);
      return sem;
    }
    if (this.activeWatches.size > 0) this.watch(p, data, frame, timeNs);
    if (!this.bounds.exchanges) return 0;
    if (p.transport === TRANSPORT_UDP && p.srcPort >= 0 && !p.mf) this.addUdp(p, data, frame, timeNs);
    if (p.dns !== null || p.nbns !== null) this.addName(p, data, frame, timeNs);
    return 0;
  }

  finish(endNs: number): void {
    for (const c of this.tcp) {
      c.finish();
      this.limits.reassembly += c.limitsHit;
    }
    this.names.finish(endNs);
    if (this.names.limitHit) this.limits.nameTransactions++;
  }

  private addTcp(p: Packet, data: Uint8Array, frame: number, timeNs: number, analysis: FrameAnalysis): number {
    const k = this.key;
    k.load(p, data);
    let conn = this.findTcp(k);
    const synOnly = (p.tcpFlags & (TH_SYN | TH_ACK)) === TH_SYN;
    let reused = false;
    if (conn !== null && p.tcpFlags & TH_SYN) {
      const fromOrig = sameEndpoint(conn.origin, k.src, k.srcPort);
      const dir = fromOrig ? conn.analyzer.a : conn.analyzer.b;
      if (dir.baseSeqSet && p.tcpSeq !== dir.baseSeq) {
        reused = true;
        // A new SYN with a new ISN on the same ports is a new connection (port reuse).
        if (synOnly) {
          if (this.tcp.length >= this.bounds.maxTcp) {
            if (this.countUntracked(k.hash ^ 0x7cb)) this.limits.tcpUntracked++;
            return 0;
          }
          conn = this.newTcp(k, p, data, true);
        }
      }
    }
    if (conn === null) {
      if (this.tcp.length >= this.bounds.maxTcp) {
        if (this.countUntracked(k.hash ^ 0x7cb)) this.limits.tcpUntracked++;
        return 0;
      }
      conn = this.newTcp(k, p, data, false);
    }
    const fromOrig = sameEndpoint(conn.origin, k.src, k.srcPort);
    const sem = conn.add(p, data, fromOrig, frame, timeNs, analysis);
    if (reused) {
      analysis.flags |= TA_REUSED_PORTS;
      conn.portReuse = true;
    }
    this.lastConnection = conn;
    this.lastFromOrig = fromOrig;
    return sem;
  }

  private findTcp(k: FlowKeyScratch): TcpConnection | null {
    const bucket = this.tcpTable.get(k.hash);
    if (bucket === undefined) return null;
    if (!Array.isArray(bucket)) return matches(bucket, k) ? bucket : null;
    for (let i = bucket.length - 1; i >= 0; i--) if (matches(bucket[i], k)) return bucket[i];
    return null;
  }

  private newTcp(k: FlowKeyScratch, p: Packet, data: Uint8Array, reuse: boolean): TcpConnection {
    // Who opened it: the sender of a SYN, the receiver of a SYN-ACK; midstream, the side with the
    // higher (ephemeral) port, flipping the sender when it looks like a server (Zeek's '^').
    const syn = (p.tcpFlags & TH_SYN) !== 0;
    const synAck = syn && (p.tcpFlags & TH_ACK) !== 0;
    const midstreamServer = !syn && p.srcPort < 1024 && p.dstPort >= 1024;
    const senderIsOrig = syn ? !synAck : !midstreamServer;
    const src = endpoint(k.src, k.srcPort, data, p.ipVersion, p.srcAddr);
    const dst = endpoint(k.dst, k.dstPort, data, p.ipVersion, p.dstAddr);
    const conn = new TcpConnection(this.tcp.length, senderIsOrig ? src : dst, senderIsOrig ? dst : src, !syn && midstreamServer, this.bounds.exchanges);
    if (reuse) conn.portReuse = true;
    this.tcp.push(conn);
    this.insert(this.tcpTable, k.hash, conn);
    return conn;
  }

  private addUdp(p: Packet, data: Uint8Array, frame: number, timeNs: number): void {
    const k = this.key;
    k.load(p, data);
    let flow: UdpFlow | null = null;
    const bucket = this.udpTable.get(k.hash);
    if (bucket !== undefined) {
      for (const f of Array.isArray(bucket) ? bucket : [bucket]) if (matches(f, k)) flow = f;
    }
    if (flow === null) {
      if (this.udp.length >= this.bounds.maxUdp) {
        if (this.countUntracked(k.hash ^ 0x11)) this.limits.udpUntracked++;
        return;
      }
      const src = endpoint(k.src, k.srcPort, data, p.ipVersion, p.srcAddr);
      const dst = endpoint(k.dst, k.dstPort, data, p.ipVersion, p.dstAddr);
      // A response seen first (its query was not captured) still makes the client the originator.
      const responseFirst = (p.dns?.response ?? p.nbns?.response ?? false) || (p.srcPort < 1024 && p.dstPort >= 1024);
      flow = new UdpFlow(this.udp.length, responseFirst ? dst : src, responseFirst ? src : dst);
      this.udp.push(flow);
      this.insert(this.udpTable, k.hash, flow);
    }
    flow.add(sameEndpoint(flow.origin, k.src, k.srcPort), p.payloadLength, frame, timeNs, p.protocol);
  }

  private addIcmpError(p: Packet, data: Uint8Array, frame: number, timeNs: number): void {
    const q = p.icmpQuoted;
    if (q === null || this.icmpErrors.length >= MAX_ICMP_ERRORS) return;
    this.icmpErrors.push({ frame, timeNs, version: q.ipVersion, type: p.icmpType, code: p.icmpCode, mtu: p.icmpMtu, from: formatIp(data, p.ipVersion, p.srcAddr), src: q.src, dst: q.dst, proto: q.ipProto, srcPort: q.srcPort, dstPort: q.dstPort });
  }

  /**
   * Follows hosts waiting on a reverse lookup: their next packet to the peer, NBNS queries meanwhile.
   * Watches are indexed by the peer's address, so an ordinary packet costs one map lookup.
   */
  private watch(p: Packet, data: Uint8Array, frame: number, timeNs: number): void {
    if ((frame & 4095) === 0) this.expireWatches(timeNs);
    if (p.nbns !== null && !p.nbns.response) {
      const src = addrKey(data, p.ipVersion, p.srcAddr);
      for (const list of this.activeWatches.values()) for (const w of list) if (src === w.host && timeNs - w.queryNs <= WATCH_NS) w.nbnsFrames.push(frame);
      return;
    }
    const list = this.activeWatches.get(addrKey(data, p.ipVersion, p.dstAddr));
    if (list === undefined) return;
    // The next data (or close) sent to the peer in a connection open before the lookup, once the
    // peer has spoken: the application's answer (the resolving host may use another address
    // towards its DNS server, and its kernel ACKs the request at once, so bare ACKs do not count).
    const c = this.lastConnection;
    const peerSide = c === null ? null : this.lastFromOrig ? c.resp : c.orig;
    const answer = p.payloadLength > 0 || (p.tcpFlags & 0x05) !== 0;
    if (!answer || c === null || peerSide === null || peerSide.lastDataNs < 0) return;
    for (const w of list) {
      if (w.nextPacketFrame === 0 && c.startNs < w.queryNs && timeNs - w.queryNs <= WATCH_NS) {
        w.nextPacketFrame = frame;
        w.nextPacketNs = timeNs;
      }
    }
  }

  private expireWatches(timeNs: number): void {
    for (const [peer, list] of this.activeWatches) {
      const live = list.filter((w) => w.nextPacketFrame === 0 && timeNs - w.queryNs <= WATCH_NS);
      if (live.length === 0) this.activeWatches.delete(peer);
      else if (live.length !== list.length) this.activeWatches.set(peer, live);
    }
  }

  private startPtrWatch(p: Packet, data: Uint8Array, qname: string, frame: number, timeNs: number): void {
    if (this.ptrWatches.length >= MAX_WATCHES) return;
    const peerAddr = reverseLookupAddress(qname);
    if (peerAddr === null) return;
    const version = peerAddr.length === 4 ? 4 : 6;
    const peer = addrKey(peerAddr, version, 0);
    const w: PtrWatch = { host: addrKey(data, p.ipVersion, p.srcAddr), peer, hostIp: formatIp(data, p.ipVersion, p.srcAddr), peerIp: formatIp(peerAddr, version, 0), queryFrame: frame, queryNs: timeNs, nextPacketFrame: 0, nextPacketNs: -1, nbnsFrames: [] };
    this.ptrWatches.push(w);
    const list = this.activeWatches.get(peer);
    if (list === undefined) this.activeWatches.set(peer, [w]);
    else list.push(w);
  }

  private addName(p: Packet, data: Uint8Array, frame: number, timeNs: number): void {
    const src = hostPort(formatIp(data, p.ipVersion, p.srcAddr), p.srcPort);
    const dst = hostPort(formatIp(data, p.ipVersion, p.dstAddr), p.dstPort);
    const protocol = (p.nbns !== null ? 'nbns' : p.protocol === 'mdns' || p.protocol === 'llmnr' ? p.protocol : 'dns') as NameProtocol;
    if (p.dns !== null) {
      const m = p.dns;
      if (m.opcode !== 0) return;
      if (!m.response) {
        this.names.query(protocol, src, dst, m.id, m.qname, m.qtype, frame, timeNs);
        if (m.qtype === 12 && protocol === 'dns') this.startPtrWatch(p, data, m.qname, frame, timeNs);
      }
      else this.names.response(protocol, dst, src, m.id, m.rcode, dnsAnswers(m), frame, timeNs, m.qname || m.answers[0]?.name || '');
    } else if (p.nbns !== null) {
      const m = p.nbns;
      if (!m.response) this.names.query('nbns', src, dst, m.id, m.name, m.type, frame, timeNs);
      else this.names.response('nbns', dst, src, m.id, m.rcode, [], frame, timeNs, m.name);
    }
  }

  /** True the first time a flow beyond the limits is seen (approximately: by hash). */
  private countUntracked(hash: number): boolean {
    if (this.untracked.has(hash)) return false;
    if (this.untracked.size < 1_000_000) this.untracked.add(hash);
    return true;
  }

  private insert<T>(table: Map<number, Bucket<T>>, hash: number, flow: T): void {
    const bucket = table.get(hash);
    if (bucket === undefined) table.set(hash, flow);
    else if (Array.isArray(bucket)) bucket.push(flow);
    else table.set(hash, [bucket, flow]);
  }

  /** Releases the table slots of connections idle for longer than the bound. */
  private sweep(nowNs: number): void {
    this.framesSinceSweep = 0;
    for (const [hash, bucket] of this.tcpTable) {
      const list = Array.isArray(bucket) ? bucket : [bucket];
      const live = list.filter((c) => nowNs - c.endNs < this.bounds.idleNs);
      for (const c of list) if (!live.includes(c)) c.finish();
      if (live.length === 0) this.tcpTable.delete(hash);
      else if (live.length !== list.length) this.tcpTable.set(hash, live.length === 1 ? live[0] : live);
    }
  }
}

function matches(flow: { origin: Endpoint; responder: Endpoint }, k: FlowKeyScratch): boolean {
  return (
    (sameEndpoint(flow.origin, k.src, k.srcPort) && sameEndpoint(flow.responder, k.dst, k.dstPort)) ||
    (sameEndpoint(flow.origin, k.dst, k.dstPort) && sameEndpoint(flow.responder, k.src, k.srcPort))
  );
}

function u32(d: Uint8Array, at: number): number {
  return ((d[at] << 24) | (d[at + 1] << 16) | (d[at + 2] << 8) | d[at + 3]) >>> 0;
}

function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

function endpoint(words: Uint32Array, port: number, data: Uint8Array, version: number, at: number): Endpoint {
  return { words: Uint32Array.from(words), port, ip: formatIp(data, version, at) };
}

/** An address as a map key: IPv4 as its number, IPv6 folded into a negative 32-bit hash. */
function addrKey(data: Uint8Array, version: number, offset: number): number {
  if (version === 4) return u32(data, offset);
  let h = 0x811c9dc5;
  for (let i = 0; i < 16; i += 4) h = Math.imul(h ^ u32(data, offset + i), 16777619);
  return -1 - (h >>> 0);
}

/** The address a PTR query asks about: d.c.b.a.in-addr.arpa or 32 reversed nibbles of ip6.arpa. */
export function reverseLookupAddress(qname: string): Uint8Array | null {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.in-addr\.arpa\.?$/i.exec(qname);
  if (v4 !== null) {
    const bytes = [v4[4], v4[3], v4[2], v4[1]].map(Number);
    return bytes.every((b) => b <= 255) ? Uint8Array.from(bytes) : null;
  }
  const v6 = /^((?:[0-9a-f]\.){32})ip6\.arpa\.?$/i.exec(qname);
  if (v6 === null) return null;
  const nibbles = v6[1].split('.').slice(0, 32).reverse().map((x) => parseInt(x, 16));
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = (nibbles[2 * i] << 4) | nibbles[2 * i + 1];
  return out;
}
