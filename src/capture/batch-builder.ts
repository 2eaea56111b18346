import type { FrameBatch } from './types.js';

const INITIAL_CAPACITY = 1024;

/**
 * Collects the frames a reader finds in one buffer into a column-wise FrameBatch.
 * Arrays grow by doubling and are handed over whole with the batch (no copy per frame).
 */
export class BatchBuilder {
  count = 0;
  private capacity = INITIAL_CAPACITY;
  private offset = new Uint32Array(INITIAL_CAPACITY);
  private capturedLength = new Uint32Array(INITIAL_CAPACITY);
  private originalLength = new Uint32Array(INITIAL_CAPACITY);
  private tsSec = new Float64Array(INITIAL_CAPACITY);
  private tsNsec = new Uint32Array(INITIAL_CAPACITY);
  private linkType = new Uint16Array(INITIAL_CAPACITY);
  private iface = new Uint32Array(INITIAL_CAPACITY);

  push(
    offset: number,
    capturedLength: number,
    originalLength: number,
    tsSec: number,
    tsNsec: number,
    linkType: number,
    iface: number,
  ): void {
    if (this.count === this.capacity) this.grow();
    const i = this.count++;
    this.offset[i] = offset;
    this.capturedLength[i] = capturedLength;
    this.originalLength[i] = originalLength;
    this.tsSec[i] = tsSec;
    this.tsNsec[i] = tsNsec;
    this.linkType[i] = linkType;
    this.iface[i] = iface;
  }

  /** Hands the collected frames over as a batch over `data` and starts a fresh one. */
  take(data: Uint8Array, firstNumber: number): FrameBatch {
    const n = this.count;
    const batch: FrameBatch = {
      data,
      count: n,
      firstNumber,
      offset: this.offset.subarray(0, n),
      capturedLength: this.capturedLength.subarray(0, n),
      originalLength: this.originalLength.subarray(0, n),
      tsSec: this.tsSec.subarray(0, n),
      tsNsec: this.tsNsec.subarray(0, n),
      linkType: this.linkType.subarray(0, n),
      iface: this.iface.subarray(0, n),
    };
    this.allocate(this.capacity);
    return batch;
  }

  private grow(): void {
    const old = {
      offset: this.offset,
      capturedLength: this.capturedLength,
      originalLength: this.originalLength,
      tsSec: this.tsSec,
      tsNsec: this.tsNsec,
      linkType: this.linkType,
      iface: this.iface,
    };
    const count = this.count;
    this.allocate(this.capacity * 2);
    this.count = count;
    this.offset.set(old.offset);
    this.capturedLength.set(old.capturedLength);
    this.originalLength.set(old.originalLength);
    this.tsSec.set(old.tsSec);
    this.tsNsec.set(old.tsNsec);
    this.linkType.set(old.linkType);
    this.iface.set(old.iface);
  }

  private allocate(capacity: number): void {
    this.capacity = capacity;
    this.count = 0;
    this.offset = new Uint32Array(capacity);
    this.capturedLength = new Uint32Array(capacity);
    this.originalLength = new Uint32Array(capacity);
    this.tsSec = new Float64Array(capacity);
    this.tsNsec = new Uint32Array(capacity);
    this.linkType = new Uint16Array(capacity);
    this.iface = new Uint32Array(capacity);
  }
}
