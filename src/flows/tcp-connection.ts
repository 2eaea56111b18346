// Over 300 lines on purpose: one connection's bookkeeping (handshake, sides, history, semantic view,
// duplicate detection, stream hand-off) is updated in one pass per segment on the hot path.
import type { Packet } from '../decode/packet.js';
import type { Endpoint } from './endpoints.js';
import { HttpConversation } from './http-stream.js';
import { Reassembler } from './reassembly.js';
import { countSemantic, newSemanticCounts, SEM_DUPLICATE_FRAME, semanticFlags, type SemanticCounts } from './semantic-view.js';
import { TA_NAMES, TA_RETRANSMISSION, TA_FAST_RETRANSMISSION, TA_SPURIOUS_RETRANSMISSION, TA_ZERO_WINDOW, TA_LOST_SEGMENT, TA_ZERO_WINDOW_PROBE, TcpAnalyzer, TH_ACK, TH_FIN, TH_RST, TH_SYN, type FrameAnalysis } from './tcp-analysis.js';
import { newTlsSession, TlsDirection, type TlsSessionData } from './tls-stream.js';
import { connState, History, type ConnState } from './zeek-state.js';

/** What one side of a connection did. */
export interface SideStats {
  packets: number;
  payloadBytes: number;
  /** First observed IP TTL / hop limit, and the initial TTL it most likely started from. */
  ttl: number;
  initialTtl: number;
  mss: number;
  windowScale: number;
  sackPermitted: boolean;
  synFrame: number;
  finFrame: number;
  rstFrame: number;
  finNs: number;
  rstNs: number;
  /** ECN codepoints seen on this side's segments (RFC 3168): ECT(0), ECT(1), CE. */
  ect0: number;
  ect1: number;
  ce: number;
  lastDataNs: number;
  /** Payload bytes of segments the semantic view calls retransmissions (timeout, fast, spurious). */
  retransmittedBytes: number;
  /** Retransmitted data segments without / with an ECT mark (after ECN was negotiated). */
  plainRetransmits: number;
  ectRetransmits: number;
  /** Largest payload this side sent, and when it last sent anything. */
  maxPayload: number;
  lastSentNs: number;
  /** Longest silence of this side that ended with a (non-fast) retransmission, and its frame. */
  rtoStallNs: number;
  rtoStallFrame: number;
  /** Retransmissions of this side's largest segments (a path MTU black hole resends exactly these). */
  fullSizeRetransmits: number;
  /** The peer's highest cumulative ACK, and whether it moved after this side's first retransmission. */
  firstRetransmitFrame: number;
  ackMovedAfterRetransmit: boolean;
  /** After ECN was negotiated: ECT-marked new data segments, how many of them were acknowledged without being resent, and the first one. */
  ectData: number;
  ectDelivered: number;
  firstEctDataFrame: number;
  /** The end of the oldest unacknowledged ECT-marked segment (-1: none) and whether it was resent. */
  ectPendingEnd: number;
  ectPendingResent: boolean;
  /** Smallest retransmitted segment and its frame (size-dependent loss spares the small ones). */
  minRetransmit: number;
  minRetransmitFrame: number;
  /** Largest segment sent after the peer's ACK moved on following this side's first retransmission. */
  maxPayloadAfterRecovery: number;
  /** Longest pause between two data segments of this side, and the frame that ended it. */
  dataGapNs: number;
  dataGapFrame: number;
  /** End of this side's first segment of 1000 bytes or more, and whether the peer acknowledged it before this side ever retransmitted: the path then carried full-size packets. */
  firstBigEnd: number;
  bigDeliveredEarly: boolean;
  /** How often this side's ACK number moved forward (it received the peer's data). */
  ackAdvances: number;
  /** The largest data segment after that pause, and how many had that size. */
  maxPayloadAfterGap: number;
  largestAfterGap: number;
}

function newSide(): SideStats {
  return { ectData: 0, ectDelivered: 0, firstEctDataFrame: 0, ectPendingEnd: -1, ectPendingResent: false, minRetransmit: 0, minRetransmitFrame: 0, maxPayloadAfterRecovery: 0, dataGapNs: 0, dataGapFrame: 0, maxPayloadAfterGap: 0, largestAfterGap: 0, firstBigEnd: -1, bigDeliveredEarly: false, ackAdvances: 0, maxPayload: 0, lastSentNs: -1, rtoStallNs: 0, rtoStallFrame: 0, fullSizeRetransmits: 0, firstRetransmitFrame: 0, ackMovedAfterRetransmit: false, retransmittedBytes: 0, plainRetransmits: 0, ectRetransmits: 0, packets: 0, payloadBytes: 0, ttl: -1, initialTtl: -1, mss: -1, windowScale: -1, sackPermitted: false, synFrame: 0, finFrame: 0, rstFrame: 0, finNs: -1, rstNs: -1, ect0: 0, ect1: 0, ce: 0, lastDataNs: -1 };
}

/** The usual initial TTLs (Linux/macOS 64, Windows 128, network gear 255). */
export function initialTtlOf(ttl: number): number {
  return ttl <= 32 ? 32 : ttl <= 64 ? 64 : ttl <= 128 ? 128 : 255;
}

export type AppProtocol = 'tls' | 'http' | 'dns' | null;

/** TCP_RTO_MAX (Linux, RFC 6298's 60 s upper bound doubled): a longer silence is not a timer. */
export const MAX_RTO_NS = 120e9;

/** Up to this many evidence frames are kept per kind of event. */
const EVIDENCE = 20;

function newLastSegment(): LastSegment {
  return { ipId: -1, seq: 0, ack: 0, flags: 0, window: 0, length: 0, tsVal: -1, sack: 0, timeNs: -1 };
}

interface LastSegment {
  ipId: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  length: number;
  tsVal: number;
  /** The SACK blocks folded into one number: duplicate ACKs in a burst differ only there. */
  sack: number;
  timeNs: number;
}

function sackSignature(blocks: readonly number[]): number {
  let sig = blocks.length; // never 0 for a non-empty list
  for (const b of blocks) sig = (Math.imul(sig, 31) + b) | 0;
  return sig;
}

export class TcpConnection {
  readonly analyzer = new TcpAnalyzer();
  readonly orig = newSide();
  readonly resp = newSide();
  readonly history = new History();
  readonly semantic: SemanticCounts = newSemanticCounts();
  /** Evidence frames by semantic event name. */
  readonly evidence = new Map<string, number[]>();
  firstFrame = 0;
  lastFrame = 0;
  startNs = 0;
  endNs = 0;
  synNs = -1;
  synAckNs = -1;
  handshakeAckNs = -1;
  portReuse = false;
  /** The originator's SYN asked for ECN (ECE+CWR); the responder's SYN-ACK agreed (ECE). */
  ecnSetupSyn = false;
  ecnAccepted = false;
  synRetransmits = 0;
  /** SYN-ACKs the responder sent beyond the first. */
  synAckRetransmits = 0;
  /** A plain ACK (no SYN) answered the originator's SYN: the responder still had an old connection. */
  staleAckFrame = 0;
  /** The originator's first SYN's sequence number. */
  synSeq = 0;
  /** The responder's first plain ACK acknowledging that SYN when no SYN-ACK was seen, and whether it sent a SYN without ACK. */
  synAckMissedFrame = 0;
  respSentBareSyn = false;
  /** SYNs that asked for ECN, and the first SYN without ECN flags sent after them (an ECN fallback). */
  ecnSyns = 0;
  plainSynAfterEcnFrame = 0;
  firstRstByOrig = false;
  app: AppProtocol = null;
  tls: TlsSessionData | null = null;
  http: HttpConversation | null = null;
  private reassembly: [Reassembler, Reassembler] | null = null;
  private readonly lastOrig: LastSegment = newLastSegment();
  private readonly lastResp: LastSegment = newLastSegment();
  private origLastProbe = false;
  private respLastProbe = false;

  constructor(
    readonly id: number,
    readonly origin: Endpoint,
    readonly responder: Endpoint,
    readonly flipped: boolean,
    private readonly followExchanges = true,
  ) {
    if (flipped) this.history.once('^');
  }

  get state(): ConnState {
    return connState({
      origSyn: this.orig.synFrame !== 0,
      respSynAck: this.resp.synFrame !== 0,
      origFin: this.orig.finFrame !== 0,
      respFin: this.resp.finFrame !== 0,
      origRst: this.orig.rstFrame !== 0,
      respRst: this.resp.rstFrame !== 0,
      firstRstByOrig: this.firstRstByOrig,
    });
  }

  /** Feeds one segment; fills `out` with Wireshark's view and returns the semantic flags. */
  add(p: Packet, data: Uint8Array, fromOrig: boolean, frame: number, timeNs: number, out: FrameAnalysis): number {
    if (this.firstFrame === 0) {
      this.firstFrame = frame;
      this.startNs = timeNs;
    }
    this.lastFrame = frame;
    this.endNs = timeNs;
    const side = fromOrig ? this.orig : this.resp;
    const flags = p.tcpFlags;
    const length = p.payloadLength;
    const previous = fromOrig ? this.lastOrig : this.lastResp;
    const sack = p.sackBlocks.length === 0 ? 0 : sackSignature(p.sackBlocks);
    const duplicate = previous.timeNs >= 0 && isSameSegment(previous, p, sack, timeNs);
    this.analyzer.analyze(fromOrig, frame, timeNs, p.tcpSeq, p.tcpAck, length, flags, p.tcpWindow, p.windowScale, p.sackBlocks, out);
    const peer = fromOrig ? this.analyzer.b : this.analyzer.a;
    const peerLastProbe = fromOrig ? this.respLastProbe : this.origLastProbe;
    const pureRepeat = length === 0 && (flags & (TH_SYN | TH_FIN | TH_RST)) === 0 && previous.timeNs >= 0 && previous.ack === p.tcpAck;
    const sem = semanticFlags(out.flags, duplicate, peer.window, p.tcpWindow, peerLastProbe, pureRepeat);
    if (fromOrig) this.origLastProbe = (sem & TA_ZERO_WINDOW_PROBE) !== 0;
    else this.respLastProbe = (sem & TA_ZERO_WINDOW_PROBE) !== 0;
    if (fromOrig) this.lastOrigAck = previous.timeNs >= 0 ? previous.ack : p.tcpAck;
    else this.lastRespAck = previous.timeNs >= 0 ? previous.ack : p.tcpAck;
    previous.ipId = p.ipId;
    previous.seq = p.tcpSeq;
    previous.ack = p.tcpAck;
    previous.flags = flags;
    previous.window = p.tcpWindow;
    previous.length = length;
    previous.tsVal = p.tsVal;
    previous.sack = sack;
    previous.timeNs = timeNs;
    countSemantic(this.semantic, sem);
    this.noteEvidence(sem, frame);
    if (duplicate) return sem;

    side.packets++;
    side.payloadBytes += length;
    if (side.ttl < 0) {
      side.ttl = p.ttl;
      side.initialTtl = initialTtlOf(p.ttl);
    }
    if (p.ecn === 2) side.ect0++;
    else if (p.ecn === 1) side.ect1++;
    else if (p.ecn === 3) side.ce++;
    if (length > 0) {
      if (side.lastDataNs >= 0 && timeNs - side.lastDataNs > side.dataGapNs) {
        side.dataGapNs = timeNs - side.lastDataNs;
        side.dataGapFrame = frame;
        side.maxPayloadAfterGap = 0;
      }
      if (length > side.maxPayloadAfterGap) {
        side.maxPayloadAfterGap = length;
        side.largestAfterGap = 0;
      }
      if (length === side.maxPayloadAfterGap) side.largestAfterGap++;
      side.lastDataNs = timeNs;
      if (side.ackMovedAfterRetransmit && length > side.maxPayloadAfterRecovery) side.maxPayloadAfterRecovery = length;
    }
    if (length > side.maxPayload) side.maxPayload = length;
    const sentBefore = side.lastSentNs;
    side.lastSentNs = timeNs;
    const ackMoved = (flags & TH_ACK) !== 0 && previous.timeNs >= 0 && ((p.tcpAck - this.ackBefore(fromOrig)) | 0) > 0;
    if (ackMoved) side.ackAdvances++;
    // Does this side's ACK move on after the other side started retransmitting?
    const other = fromOrig ? this.resp : this.orig;
    if (ackMoved && other.firstRetransmitFrame > 0) other.ackMovedAfterRetransmit = true;
    if (other.firstBigEnd >= 0 && !other.bigDeliveredEarly && other.firstRetransmitFrame === 0 && flags & TH_ACK && ((p.tcpAck - other.firstBigEnd) | 0) >= 0) other.bigDeliveredEarly = true;
    if (length >= 1000 && side.firstBigEnd < 0) side.firstBigEnd = (p.tcpSeq + length) >>> 0;
    // Was the other side's oldest ECT-marked segment acknowledged, and without being resent?
    if (other.ectPendingEnd >= 0 && flags & TH_ACK && ((p.tcpAck - other.ectPendingEnd) | 0) >= 0) {
      if (!other.ectPendingResent) other.ectDelivered++;
      other.ectPendingEnd = -1;
    }
    const retransmission = (sem & (TA_RETRANSMISSION | TA_FAST_RETRANSMISSION | TA_SPURIOUS_RETRANSMISSION)) !== 0;
    if (length > 0 && this.ecnSetupSyn && this.ecnAccepted) this.noteEct(side, p, frame, length, retransmission);
    if (retransmission && length > 0) {
      if (side.firstRetransmitFrame === 0) side.firstRetransmitFrame = frame;
      if (length >= side.maxPayload && length >= 1000) side.fullSizeRetransmits++;
      if (side.minRetransmit === 0 || length < side.minRetransmit) {
        side.minRetransmit = length;
        side.minRetransmitFrame = frame;
      }
      // The silence before a timeout retransmission: how long this side had sent nothing at all.
      // Not a TLS close_notify resent with its FIN at teardown (the peer has gone; nobody waits on
      // it), and never longer than TCP's largest retransmission timeout (120 s): the clock jumped.
      const teardown = flags & TH_FIN && length <= 64 && this.tls !== null;
      if (!(sem & TA_FAST_RETRANSMISSION) && !teardown && sentBefore >= 0 && timeNs - sentBefore > side.rtoStallNs && timeNs - sentBefore <= MAX_RTO_NS) {
        side.rtoStallNs = timeNs - sentBefore;
        side.rtoStallFrame = frame;
      }
      side.retransmittedBytes += length;
      if (this.ecnSetupSyn && this.ecnAccepted) {
        if (p.ecn === 0) side.plainRetransmits++;
        else side.ectRetransmits++;
      }
    }
    this.handshake(p, fromOrig, side, frame, timeNs);
    this.historyOf(p, fromOrig, sem, length);
    if (flags & TH_FIN && side.finFrame === 0) {
      side.finFrame = frame;
      side.finNs = timeNs;
    }
    if (flags & TH_RST && side.rstFrame === 0) {
      side.rstFrame = frame;
      side.rstNs = timeNs;
      if (this.orig.rstFrame === 0 || this.resp.rstFrame === 0) this.firstRstByOrig = fromOrig;
    }
    if (this.followExchanges && (length > 0 || this.reassembly !== null)) this.application(p, data, fromOrig, frame, timeNs);
    return sem;
  }

  /** ECT-marked new data (after ECN was negotiated), and resends of the oldest one still unacknowledged. */
  private noteEct(side: SideStats, p: Packet, frame: number, length: number, retransmission: boolean): void {
    if (retransmission) {
      if (side.ectPendingEnd >= 0 && ((p.tcpSeq - side.ectPendingEnd) | 0) < 0) side.ectPendingResent = true;
      return;
    }
    if (p.ecn === 0) return;
    side.ectData++;
    if (side.firstEctDataFrame === 0) side.firstEctDataFrame = frame;
    if (side.ectPendingEnd < 0) {
      side.ectPendingEnd = (p.tcpSeq + length) >>> 0;
      side.ectPendingResent = false;
    }
  }

  /** The last ACK number this side sent before the current segment (Wireshark view's state). */
  private ackBefore(fromOrig: boolean): number {
    return (fromOrig ? this.lastOrigAck : this.lastRespAck) >>> 0;
  }

  private lastOrigAck = 0;
  private lastRespAck = 0;

  /** End of capture: held stream bytes are delivered. */
  finish(): void {
    this.reassembly?.[0].flush();
    this.reassembly?.[1].flush();
  }

  /** True when state bounds were hit in this connection's reassembly. */
  get limitsHit(): number {
    return (this.reassembly?.[0].limitsHit ?? 0) + (this.reassembly?.[1].limitsHit ?? 0) + (this.http?.limitHit ? 1 : 0);
  }

  private handshake(p: Packet, fromOrig: boolean, side: SideStats, frame: number, timeNs: number): void {
    const flags = p.tcpFlags;
    if ((flags & (TH_SYN | TH_ACK)) === TH_SYN && fromOrig) {
      const ecnSyn = (flags & 0xc0) === 0xc0;
      if (ecnSyn) this.ecnSyns++;
      else if (this.ecnSyns > 0 && this.plainSynAfterEcnFrame === 0) this.plainSynAfterEcnFrame = frame;
      if (side.synFrame === 0) {
        side.synFrame = frame;
        this.synNs = timeNs;
        this.synSeq = p.tcpSeq;
        this.ecnSetupSyn = ecnSyn;
      } else {
        this.synRetransmits++;
      }
      this.options(p, side);
    } else if ((flags & (TH_SYN | TH_ACK)) === (TH_SYN | TH_ACK) && !fromOrig) {
      if (side.synFrame !== 0) this.synAckRetransmits++;
      if (side.synFrame === 0) {
        side.synFrame = frame;
        this.synAckNs = timeNs;
        this.ecnAccepted = (flags & 0xc0) === 0x40;
      }
      this.options(p, side);
    } else if (fromOrig && flags & TH_ACK && this.synAckNs >= 0 && this.handshakeAckNs < 0 && (flags & TH_SYN) === 0) {
      this.handshakeAckNs = timeNs;
    } else if (!fromOrig && flags & TH_SYN) {
      // The responder sent a SYN of its own without an ACK (a simultaneous open or a split
      // handshake): not an ordinary handshake whose SYN-ACK the capture could have missed.
      this.respSentBareSyn = true;
    } else if (!fromOrig && (flags & (TH_SYN | TH_ACK | TH_RST)) === TH_ACK && this.orig.synFrame !== 0 && this.synAckNs < 0 && this.staleAckFrame === 0 && this.acknowledgesThisSyn(p.tcpAck)) {
      if (this.synAckMissedFrame === 0) this.synAckMissedFrame = frame;
    } else if (!fromOrig && (flags & (TH_SYN | TH_ACK | TH_RST)) === TH_ACK && this.orig.synFrame !== 0 && this.synAckNs < 0 && this.staleAckFrame === 0) {
      // A plain ACK that acknowledges this SYN, or data sent after it, belongs to this connection
      // (the capture missed its SYN-ACK); only one acknowledging something else answers from an
      // old connection's state.
      this.staleAckFrame = frame;
    }
  }

  /** Whether an ACK number lies between this SYN and the end of what the originator sent since. */
  private acknowledgesThisSyn(ack: number): boolean {
    const d = (ack - this.synSeq - 1) | 0;
    return d >= 0 && d <= this.orig.payloadBytes + 1;
  }

  /** The capture missed this connection's SYN-ACK: the server's plain ACKs acknowledge the SYN. */
  get synAckMissed(): boolean {
    return this.synAckMissedFrame !== 0 && this.synAckNs < 0 && !this.respSentBareSyn;
  }

  private options(p: Packet, side: SideStats): void {
    side.mss = p.mss;
    side.windowScale = p.windowScale;
    side.sackPermitted = p.sackPermitted;
  }

  private historyOf(p: Packet, fromOrig: boolean, sem: number, length: number): void {
    const h = this.history;
    const flags = p.tcpFlags;
    if ((flags & (TH_SYN | TH_ACK)) === TH_SYN) h.once(fromOrig ? 'S' : 's');
    else if ((flags & (TH_SYN | TH_ACK)) === (TH_SYN | TH_ACK)) h.once(fromOrig ? 'H' : 'h');
    if (flags & TH_FIN) h.once(fromOrig ? 'F' : 'f');
    if (flags & TH_RST) h.once(fromOrig ? 'R' : 'r');
    if (length > 0) h.once(fromOrig ? 'D' : 'd');
    else if ((flags & (TH_SYN | TH_FIN | TH_RST)) === 0 && flags & TH_ACK) h.once(fromOrig ? 'A' : 'a');
    if (sem === 0) return;
    if (sem & (TA_RETRANSMISSION | TA_FAST_RETRANSMISSION | TA_SPURIOUS_RETRANSMISSION)) h.repeated(fromOrig ? 'T' : 't');
    if (sem & TA_ZERO_WINDOW) h.repeated(fromOrig ? 'W' : 'w');
    if (sem & TA_LOST_SEGMENT) h.repeated(fromOrig ? 'G' : 'g');
  }

  /** Picks the application protocol from the first data and feeds the stream parsers. */
  private application(p: Packet, data: Uint8Array, fromOrig: boolean, frame: number, timeNs: number): void {
    if (this.reassembly === null) {
      if (this.app !== null || p.payloadLength === 0) return;
      if (p.tls !== null) {
        this.app = 'tls';
        const tls = newTlsSession();
        this.tls = tls;
        let client: TlsDirection | null = null;
        let server: TlsDirection | null = null;
        client = new TlsDirection(tls, 'client', () => server);
        server = new TlsDirection(tls, 'server', () => client);
        this.reassembly = [new Reassembler(client), new Reassembler(server)];
      } else if (p.http !== null) {
        this.app = 'http';
        this.http = new HttpConversation();
        this.reassembly = [new Reassembler(this.http.client), new Reassembler(this.http.server)];
      } else {
        this.app = p.protocol === 'dns' ? 'dns' : null;
        return;
      }
    }
    const r = this.reassembly[fromOrig ? 0 : 1];
    r.segment(p.tcpSeq, (p.tcpFlags & TH_SYN) !== 0, data, p.payloadOffset, p.payloadCaptured, p.payloadLength, frame, timeNs);
  }

  private noteEvidence(sem: number, frame: number): void {
    if (sem === 0) return;
    for (const [bit, name] of EVIDENCE_NAMES) {
      if (!(sem & bit)) continue;
      let list = this.evidence.get(name);
      if (list === undefined) {
        list = [];
        this.evidence.set(name, list);
      }
      if (list.length < EVIDENCE) list.push(frame);
    }
  }
}

const EVIDENCE_NAMES: [number, string][] = [...TA_NAMES, [SEM_DUPLICATE_FRAME, 'duplicate_frame']];

/**
 * The same frame captured twice (a SPAN port mirroring both directions of a link, multi-component
 * pktmon): every header field is the same as the previous frame of its direction. A real
 * retransmission or a second duplicate ACK carries a new IPv4 id (Linux and Windows count per
 * packet), so with an id the window is 10 ms; without one (IPv6, id 0) only copies within 100 µs
 * with equal TCP timestamps count. SACK blocks are compared too: a burst of duplicate ACKs within
 * the same millisecond (one TCP timestamp) differs only in them.
 */
function isSameSegment(prev: LastSegment, p: Packet, sack: number, timeNs: number): boolean {
  const same =
    prev.seq === p.tcpSeq &&
    prev.ack === p.tcpAck &&
    prev.flags === p.tcpFlags &&
    prev.window === p.tcpWindow &&
    prev.length === p.payloadLength &&
    prev.tsVal === p.tsVal &&
    prev.ipId === p.ipId &&
    prev.sack === sack;
  // SYNs and SYN-ACKs are legitimately resent identical (a server answers each repeated SYN).
  if (!same || p.tcpFlags & TH_SYN) return false;
  const delta = timeNs - prev.timeNs;
  return p.ipId > 0 ? delta < 10e6 : p.tsVal >= 0 && delta < 100e3;
}
