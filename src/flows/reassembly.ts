/**
 * One direction of a TCP byte stream put back in order, bounded. In-order bytes go to the sink at
 * once (views, no copy); segments that arrive ahead of a hole are copied and held, at most
 * MAX_PENDING_SEGMENTS / MAX_PENDING_BYTES of them. When the hole is never filled (the capture
 * missed it, or the snaplen cut the bytes) the sink is told of a gap and the stream resumes after it.
 */
export interface StreamSink {
  data(bytes: Uint8Array, frame: number, timeNs: number): void;
  /** Bytes are missing here; `bytes` is how many (0 when unknown). */
  gap(bytes: number): void;
  /** How many coming bytes the sink would only count (a body, an encrypted record): 0 if it must see them. */
  skippable(): number;
  /** Consumes `bytes` that skippable() allowed, without looking at them. */
  skip(bytes: number): void;
}

export const MAX_PENDING_SEGMENTS = 64;
export const MAX_PENDING_BYTES = 512 * 1024;

interface Pending {
  seq: number;
  bytes: Uint8Array;
  length: number;
  frame: number;
  timeNs: number;
}

export class Reassembler {
  /** Next expected sequence number; -1 until the first segment. */
  private next = -1;
  private pending: Pending[] = [];
  private pendingBytes = 0;
  /** Times the bounds were hit (reported as capture.state_limits_hit). */
  limitsHit = 0;

  constructor(private readonly sink: StreamSink) {}

  /**
   * `captured` is the payload as captured; `length` the payload length the headers declare.
   * A snaplen cut (captured shorter than length) delivers what is there, then a gap.
   */
  segment(seq: number, syn: boolean, data: Uint8Array, offset: number, captured: number, length: number, frame: number, timeNs: number): void {
    if (this.next < 0) this.next = syn ? (seq + 1) >>> 0 : seq;
    const start = syn ? (seq + 1) >>> 0 : seq;
    if (length === 0) return;
    const rel = (start - this.next) | 0;
    if (rel > 0) {
      this.hold(start, data.subarray(offset, offset + captured), length, frame, timeNs);
      return;
    }
    const skip = -rel;
    if (skip >= length) return; // all of it was delivered before: a retransmission
    const from = Math.min(skip, captured);
    this.deliver(data, offset + from, captured - from, length - skip, frame, timeNs);
    if (this.pending.length > 0) this.drain();
  }

  /** End of capture: whatever is still held is delivered after a gap. */
  flush(): void {
    while (this.pending.length > 0) {
      const first = this.pending[0];
      const missing = (first.seq - this.next) | 0;
      if (missing > 0) {
        this.sink.gap(missing);
        this.next = first.seq;
      }
      this.drain();
    }
  }

  /** Hands `length` stream bytes on, of which `captured` are at data[offset..]. */
  private deliver(data: Uint8Array, offset: number, captured: number, length: number, frame: number, timeNs: number): void {
    if (this.sink.skippable() >= length) {
      this.sink.skip(length); // a body or an encrypted record: counted, not looked at
    } else {
      if (captured > 0) this.sink.data(data.subarray(offset, offset + captured), frame, timeNs);
      if (captured < length) this.sink.gap(length - captured);
    }
    this.next = (this.next + length) >>> 0;
  }

  private hold(seq: number, captured: Uint8Array, length: number, frame: number, timeNs: number): void {
    if (this.pending.length >= MAX_PENDING_SEGMENTS || this.pendingBytes + captured.length > MAX_PENDING_BYTES) {
      // The hole is not going to be filled within our bounds: give it up and move on.
      this.limitsHit++;
      this.flush();
      const missing = (seq - this.next) | 0;
      if (missing > 0) this.sink.gap(missing);
      this.next = seq;
      this.deliver(captured, 0, captured.length, length, frame, timeNs);
      return;
    }
    const copy = Uint8Array.from(captured);
    let i = this.pending.length;
    while (i > 0 && ((this.pending[i - 1].seq - seq) | 0) > 0) i--;
    this.pending.splice(i, 0, { seq, bytes: copy, length, frame, timeNs });
    this.pendingBytes += copy.length;
  }

  private drain(): void {
    while (this.pending.length > 0) {
      const first = this.pending[0];
      const rel = (first.seq - this.next) | 0;
      if (rel > 0) return;
      this.pending.shift();
      this.pendingBytes -= first.bytes.length;
      const skip = -rel;
      if (skip < first.length) {
        const from = Math.min(skip, first.bytes.length);
        this.deliver(first.bytes, from, first.bytes.length - from, first.length - skip, first.frame, first.timeNs);
      }
    }
  }
}
