// Over 300 lines on purpose: the rules of Wireshark's analysis are written out in full below, next
// to the one function that applies them in Wireshark's order; splitting them would hide that order.
/**
 * Wireshark 4.0's TCP sequence analysis ("tcp.analysis.*"), re-implemented from a description of
 * its rules, quirks included, so that netcase labels frames exactly as a support engineer sees them
 * in Wireshark. This is the *Wireshark view*; the semantic view (semantic-view.ts) corrects what
 * these labels get wrong (Linux zero-window probes are labelled keep-alives here; a frame captured
 * twice is labelled a retransmission here).
 *
 * The rules, in the order Wireshark applies them to each segment of a direction ("this side"):
 * sequence numbers are absolute and compared modulo 2^32; windows are the raw header values.
 *  1. Zero-window probe: exactly 1 byte, seq equals this side's next expected seq, and the other
 *     side's last window was 0. Nothing else is checked for such a segment.
 *  2. Zero window: window 0 on a segment without SYN, FIN or RST.
 *  3. Lost segment ("previous segment not captured"): seq is beyond this side's next expected seq
 *     (once one is known), not a RST. Bytes-in-flight stop being tracked until the other side ACKs.
 *  4. Keep-alive: 0 or 1 byte, seq is one below the next expected seq, no SYN/FIN/RST.
 *  5. Window update: no data, a non-zero window different from this side's previous one, seq at
 *     the next expected seq, ack equal to this side's previous ack, no SYN/FIN/RST.
 *  6. Window full: data that reaches exactly the right edge of the other side's advertised window
 *     (its last ack + its window scaled by its shift, when the shift is known), no SYN/FIN/RST.
 *  7. Keep-alive ACK: like a duplicate ACK (rule 9) with the same window, answering a keep-alive
 *     that was the other side's last segment. Stops here.
 *  8. Zero-window-probe ACK: like a duplicate ACK but with window 0, answering a zero-window probe
 *     that was the other side's last segment. Stops here.
 *  9. Duplicate ACK: no data, same non-zero window, seq at the next expected seq, same ack as this
 *     side's previous segment, no SYN/FIN/RST. Numbered (#1, #2, ...) since the last ack change, and
 *     pointing at the frame that last changed the ack.
 * 10. When the ack changes, the duplicate count restarts and this frame becomes the reference.
 * 11. ACKed unseen segment: this side acks beyond the highest contiguous seq seen from the other
 *     side; that bound then jumps to the other side's next expected seq, so each gap is reported
 *     once until the other side's stream continues past it.
 * 12. For segments with data, SYN or FIN, unless a keep-alive: a segment of more than one byte that
 *     starts one below the next expected seq counts as advancing. Then, in this order:
 *     - spurious retransmission: all its data is at or below the other side's last ack;
 *     - fast retransmission: it does not advance, the other side has sent >= 2 duplicate ACKs, its
 *       seq equals the other side's last ack, and it comes within 20 ms of that ACK;
 *     - out-of-order: it does not advance, arrives within the initial RTT (3 ms when unknown) of
 *       the segment that set the next expected seq, and does not end exactly at that seq;
 *     - otherwise, if it does not advance: retransmission.
 * 13. The next expected seq only moves forward (never on a zero-window probe); the highest
 *     contiguous seq moves when a segment starts exactly there.
 * 14. Bytes in flight (after data segments, while tracked): the span of this side's unacked
 *     segments, less the other side's SACKed bytes, less one for SYN/FIN.
 * Port reuse is decided by the connection table: a SYN whose seq differs from the first SYN's
 * starts a new connection on the same ports and is flagged reused_ports.
 */
export const TA_RETRANSMISSION = 0x0001;
export const TA_LOST_SEGMENT = 0x0002;
export const TA_ACK_LOST_SEGMENT = 0x0004;
export const TA_KEEP_ALIVE = 0x0008;
export const TA_DUPLICATE_ACK = 0x0010;
export const TA_ZERO_WINDOW = 0x0020;
export const TA_ZERO_WINDOW_PROBE = 0x0040;
export const TA_ZERO_WINDOW_PROBE_ACK = 0x0080;
export const TA_KEEP_ALIVE_ACK = 0x0100;
export const TA_OUT_OF_ORDER = 0x0200;
export const TA_FAST_RETRANSMISSION = 0x0400;
export const TA_WINDOW_UPDATE = 0x0800;
export const TA_WINDOW_FULL = 0x1000;
export const TA_REUSED_PORTS = 0x2000;
export const TA_SPURIOUS_RETRANSMISSION = 0x4000;

/** Wireshark's field names (tcp.analysis.<name>) for each flag, in display order. */
export const TA_NAMES: [number, string][] = [
  [TA_RETRANSMISSION, 'retransmission'],
  [TA_FAST_RETRANSMISSION, 'fast_retransmission'],
  [TA_SPURIOUS_RETRANSMISSION, 'spurious_retransmission'],
  [TA_OUT_OF_ORDER, 'out_of_order'],
  [TA_LOST_SEGMENT, 'lost_segment'],
  [TA_ACK_LOST_SEGMENT, 'ack_lost_segment'],
  [TA_DUPLICATE_ACK, 'duplicate_ack'],
  [TA_ZERO_WINDOW, 'zero_window'],
  [TA_ZERO_WINDOW_PROBE, 'zero_window_probe'],
  [TA_ZERO_WINDOW_PROBE_ACK, 'zero_window_probe_ack'],
  [TA_WINDOW_FULL, 'window_full'],
  [TA_WINDOW_UPDATE, 'window_update'],
  [TA_KEEP_ALIVE, 'keep_alive'],
  [TA_KEEP_ALIVE_ACK, 'keep_alive_ack'],
  [TA_REUSED_PORTS, 'reused_ports'],
];

/** Fast retransmissions and spurious ones are also retransmissions in Wireshark's expert info. */
export function analysisFlagNames(flags: number): string[] {
  const names = TA_NAMES.filter(([bit]) => flags & bit).map(([, n]) => n);
  if (flags & (TA_FAST_RETRANSMISSION | TA_SPURIOUS_RETRANSMISSION) && !(flags & TA_RETRANSMISSION)) names.unshift('retransmission');
  return names;
}

const TH_FIN = 0x01;
const TH_SYN = 0x02;
const TH_RST = 0x04;
const TH_PSH = 0x08;
const TH_ACK = 0x10;
const MAX_UNACKED = 10_000;
const WINDOW_SCALE_UNKNOWN = -1;
const WINDOW_SCALE_NONE = -2;

/** seq comparisons modulo 2^32 (RFC 1982 style). */
const gt = (a: number, b: number) => ((a - b) | 0) > 0;
const lt = (a: number, b: number) => ((a - b) | 0) < 0;
const le = (a: number, b: number) => ((a - b) | 0) <= 0;

/** One side's unacknowledged segments, as parallel arrays (seq, nextseq, frame, time). */
class Unacked {
  seq: number[] = [];
  next: number[] = [];
  frame: number[] = [];
  timeNs: number[] = [];
}

/** Everything Wireshark remembers about one direction of a connection. */
export class DirectionState {
  baseSeq = 0;
  baseSeqSet = false;
  nextSeq = 0;
  nextSeqTimeNs = 0;
  nextSeqFrame = 0;
  maxSeqToBeAcked = 0;
  lastAck = 0;
  lastAckTimeNs = 0;
  lastNonDupAck = 0;
  dupAckNum = 0;
  window = -1;
  windowScale = WINDOW_SCALE_UNKNOWN;
  windowFromSyn = true;
  lastSegmentFlags = 0;
  validBytesInFlight = false;
  sackBlocks: number[] = [];
  readonly unacked = new Unacked();
}

/** The per-frame result of the analysis. */
export interface FrameAnalysis {
  flags: number;
  dupAckNum: number;
  dupAckFrame: number;
  ackRttNs: number;
  ackedFrame: number;
  bytesInFlight: number;
}

/** The Wireshark view of one connection: two directions and the handshake time. */
export class TcpAnalyzer {
  readonly a = new DirectionState();
  readonly b = new DirectionState();
  initialRttNs = -1;
  private synTimeNs = -1;
  private synAckSeen = false;

  /**
   * Analyses one segment sent by side `fromA` (true: the side that opened the connection in the
   * table). `out` is overwritten. `sackBlocks` are this segment's SACK option edges (absolute).
   */
  analyze(fromA: boolean, frame: number, timeNs: number, seq: number, ack: number, seglen: number, flags: number, window: number, windowScale: number, sackBlocks: readonly number[], out: FrameAnalysis): void {
    const fwd = fromA ? this.a : this.b;
    const rev = fromA ? this.b : this.a;
    out.flags = 0;
    out.dupAckNum = 0;
    out.dupAckFrame = 0;
    out.ackRttNs = -1;
    out.ackedFrame = 0;
    out.bytesInFlight = -1;
    let f = 0;

    if (!fwd.baseSeqSet) {
      fwd.baseSeq = flags & TH_SYN ? seq : (seq - 1) >>> 0;
      fwd.baseSeqSet = true;
    }
    if (!rev.baseSeqSet && flags & TH_ACK) {
      rev.baseSeq = (ack - 1) >>> 0;
      rev.baseSeqSet = true;
    }
    if (flags & TH_ACK) rev.validBytesInFlight = true;
    this.handshakeTiming(flags, timeNs);

    const noSynFinRst = (flags & (TH_SYN | TH_FIN | TH_RST)) === 0;
    let skipToFinished = false;
    if (seglen === 1 && seq === fwd.nextSeq && rev.window === 0) {
      f |= TA_ZERO_WINDOW_PROBE;
      skipToFinished = true;
    }
    if (!skipToFinished) {
      if (window === 0 && noSynFinRst) f |= TA_ZERO_WINDOW;
      if (fwd.nextSeq !== 0 && gt(seq, fwd.nextSeq) && (flags & TH_RST) === 0) {
        f |= TA_LOST_SEGMENT;
        fwd.validBytesInFlight = false;
      }
      if ((seglen === 0 || seglen === 1) && seq === ((fwd.nextSeq - 1) >>> 0) && noSynFinRst) f |= TA_KEEP_ALIVE;
      if (seglen === 0 && window !== 0 && window !== fwd.window && seq === fwd.nextSeq && ack === fwd.lastAck && noSynFinRst) f |= TA_WINDOW_UPDATE;
      if (seglen > 0 && rev.windowScale !== WINDOW_SCALE_UNKNOWN && noSynFinRst && rev.window >= 0) {
        const shift = rev.windowFromSyn || rev.windowScale === WINDOW_SCALE_NONE ? 0 : rev.windowScale;
        if (((seq + seglen) >>> 0) === ((rev.lastAck + rev.window * 2 ** shift) >>> 0)) f |= TA_WINDOW_FULL;
      }
      const repeatsAck = seglen === 0 && seq === fwd.nextSeq && ack === fwd.lastAck && noSynFinRst;
      if (repeatsAck && window !== 0 && window === fwd.window && rev.lastSegmentFlags & TA_KEEP_ALIVE) {
        f |= TA_KEEP_ALIVE_ACK;
        skipToFinished = true;
      } else if (repeatsAck && window === 0 && window === fwd.window && rev.lastSegmentFlags & TA_ZERO_WINDOW_PROBE) {
        f |= TA_ZERO_WINDOW_PROBE_ACK;
        skipToFinished = true;
      } else if (repeatsAck && window !== 0 && window === fwd.window) {
        fwd.dupAckNum++;
        f |= TA_DUPLICATE_ACK;
        out.dupAckNum = fwd.dupAckNum;
        out.dupAckFrame = fwd.lastNonDupAck;
      }
    }

    // finished_fwd:
    if (ack !== fwd.lastAck) {
      fwd.lastNonDupAck = frame;
      fwd.dupAckNum = 0;
    }
    if (rev.maxSeqToBeAcked !== 0 && gt(ack, rev.maxSeqToBeAcked) && flags & TH_ACK) {
      // Reported once per gap: the bound jumps to the other side's next expected seq.
      rev.maxSeqToBeAcked = rev.nextSeq;
      f |= TA_ACK_LOST_SEGMENT;
    }
    if (!skipToFinished && (seglen > 0 || flags & (TH_SYN | TH_FIN)) && !(f & TA_KEEP_ALIVE)) {
      f |= this.retransmissionType(fwd, rev, seq, seglen, flags, timeNs);
    }

    // finished_checking_retransmission_type:
    let nextSeq = (seq + seglen) >>> 0;
    if (flags & (TH_SYN | TH_FIN)) nextSeq = (nextSeq + 1) >>> 0;
    if ((seglen > 0 || flags & (TH_SYN | TH_FIN)) && fwd.unacked.seq.length < MAX_UNACKED) {
      fwd.unacked.seq.push(seq);
      fwd.unacked.next.push(nextSeq);
      fwd.unacked.frame.push(frame);
      fwd.unacked.timeNs.push(timeNs);
    }
    if ((gt(nextSeq, fwd.nextSeq) || fwd.nextSeq === 0) && !(f & TA_ZERO_WINDOW_PROBE)) {
      fwd.nextSeq = nextSeq;
      fwd.nextSeqFrame = frame;
      fwd.nextSeqTimeNs = timeNs;
    }
    if ((seq === fwd.maxSeqToBeAcked || fwd.maxSeqToBeAcked === 0) && !(f & TA_ZERO_WINDOW_PROBE)) {
      fwd.maxSeqToBeAcked = fwd.nextSeq;
    }
    fwd.window = window;
    fwd.windowFromSyn = (flags & TH_SYN) !== 0;
    fwd.lastAck = ack;
    fwd.lastAckTimeNs = timeNs;
    fwd.lastSegmentFlags = f;
    fwd.sackBlocks = sackBlocks.length > 0 ? sackBlocks.slice(0, 8) : fwd.sackBlocks.length > 0 ? [] : fwd.sackBlocks;

    this.removeAcked(rev, ack, timeNs, out);
    if (seglen !== 0 && fwd.validBytesInFlight && fwd.unacked.seq.length > 0) out.bytesInFlight = this.bytesInFlight(fwd, rev, flags);
    if (flags & TH_SYN) this.windowScaling(fwd, rev, flags, windowScale);
    out.flags = f;
  }

  private retransmissionType(fwd: DirectionState, rev: DirectionState, seq: number, seglen: number, flags: number, timeNs: number): number {
    let notAdvanced = fwd.nextSeq !== 0 && lt(seq, fwd.nextSeq);
    if (seglen > 1 && ((fwd.nextSeq - 1) >>> 0) === seq) notAdvanced = false;
    if (seglen > 0 && rev.lastAck !== 0 && le((seq + seglen) >>> 0, rev.lastAck)) return TA_SPURIOUS_RETRANSMISSION;
    if (notAdvanced && rev.dupAckNum >= 2 && rev.lastAck === seq && timeNs - rev.lastAckTimeNs < 20_000_000) return TA_FAST_RETRANSMISSION;
    const threshold = this.initialRttNs > 0 ? this.initialRttNs : 3_000_000;
    const endsAtNext = fwd.nextSeq === ((seq + seglen + (flags & (TH_SYN | TH_FIN) ? 1 : 0)) >>> 0);
    if (notAdvanced && timeNs - fwd.nextSeqTimeNs < threshold && !endsAtNext) return TA_OUT_OF_ORDER;
    return notAdvanced ? TA_RETRANSMISSION : 0;
  }

  /** Drops the other side's segments this ack covers; an exact match gives the ACK RTT. */
  private removeAcked(rev: DirectionState, ack: number, timeNs: number, out: FrameAnalysis): void {
    const u = rev.unacked;
    const n = u.seq.length;
    if (n === 0) return;
    // Nothing covered (the common pure-ACK-of-nothing-new case): leave the list alone.
    let any = false;
    for (let i = 0; i < n; i++) {
      if (gt(ack, u.seq[i])) {
        any = true;
        break;
      }
    }
    if (!any) return;
    let write = 0;
    for (let i = 0; i < n; i++) {
      if (ack === u.next[i]) {
        // Wireshark walks newest to oldest and keeps the last match: the oldest segment.
        if (out.ackedFrame === 0) {
          out.ackedFrame = u.frame[i];
          out.ackRttNs = timeNs - u.timeNs[i];
        }
        continue;
      }
      if (gt(ack, u.seq[i]) && le(ack, u.next[i])) u.seq[i] = ack;
      else if (!gt(u.next[i], ack)) continue; // wholly acknowledged
      if (write !== i) {
        u.seq[write] = u.seq[i];
        u.next[write] = u.next[i];
        u.frame[write] = u.frame[i];
        u.timeNs[write] = u.timeNs[i];
      }
      write++;
    }
    if (write !== n) {
      u.seq.length = write;
      u.next.length = write;
      u.frame.length = write;
      u.timeNs.length = write;
    }
  }

  private bytesInFlight(fwd: DirectionState, rev: DirectionState, flags: number): number {
    const u = fwd.unacked;
    let first = (u.seq[u.seq.length - 1] - fwd.baseSeq) >>> 0;
    let last = (u.next[u.seq.length - 1] - fwd.baseSeq) >>> 0;
    for (let i = 0; i < u.seq.length; i++) {
      const s = (u.seq[i] - fwd.baseSeq) >>> 0;
      const n = (u.next[i] - fwd.baseSeq) >>> 0;
      if (n > last) last = n;
      if (s < first) first = s;
    }
    let inFlight = last - first;
    for (let i = 0; i + 1 < rev.sackBlocks.length; i += 2) inFlight -= (rev.sackBlocks[i + 1] - rev.sackBlocks[i]) >>> 0;
    if (inFlight <= 0 || inFlight >= 2_000_000_000) return -1;
    return flags & (TH_SYN | TH_FIN) ? inFlight - 1 : inFlight;
  }

  /** Window scale negotiation (RFC 7323 2.2): both SYNs must carry the option. */
  private windowScaling(fwd: DirectionState, rev: DirectionState, flags: number, windowScale: number): void {
    if (windowScale >= 0) fwd.windowScale = Math.min(windowScale, 14);
    if (fwd.windowScale === WINDOW_SCALE_UNKNOWN) {
      fwd.windowScale = WINDOW_SCALE_NONE;
      rev.windowScale = WINDOW_SCALE_NONE;
    } else if (flags & TH_ACK && rev.windowScale === WINDOW_SCALE_NONE) {
      fwd.windowScale = WINDOW_SCALE_NONE;
    }
  }

  /** Initial RTT: from the first SYN to the ACK that completes the handshake. */
  private handshakeTiming(flags: number, timeNs: number): void {
    if ((flags & (TH_SYN | TH_ACK)) === TH_SYN) {
      if (this.synTimeNs < 0) this.synTimeNs = timeNs;
    } else if ((flags & (TH_SYN | TH_ACK)) === (TH_SYN | TH_ACK)) {
      this.synAckSeen = true;
    } else if (flags & TH_ACK && this.synAckSeen && this.initialRttNs < 0 && this.synTimeNs >= 0) {
      this.initialRttNs = timeNs - this.synTimeNs;
    }
  }
}

export { TH_ACK, TH_FIN, TH_PSH, TH_RST, TH_SYN };
