import type { FrameBatch } from './types.js';

const INITIAL_CAPACITY = 1024;

/** The per-frame columns of a batch under construction. */
interface Columns {
  offset: Uint32Array;
  capturedLength: Uint32Array;
  originalLength: Uint32Array;
  tsSec: Float64Array;
  tsNsec: Uint32Array;
  linkType: Uint16Array;
  iface: Uint32Array;
}

function allocate(capacity: number): Columns {
  return {
    offset: new Uint32Array(capacity),
    capturedLength: new Uint32Array(capacity),
    originalLength: new Uint32Array(capacity),
    tsSec: new Float64Array(capacity),
    tsNsec: new Uint32Array(capacity),
    linkType: new Uint16Array(capacity),
    iface: new Uint32Array(capacity),
  };
}

/**
 * Collects the frames a reader finds in one buffer into a column-wise FrameBatch. Columns grow by
 * doubling; two sets are used in turn (like the read buffers), so steady-state reading allocates
 * nothing and a batch stays valid until the batch after the next one is taken.
 */
export class BatchBuilder {
  count = 0;
  private columns = allocate(INITIAL_CAPACITY);
  private spare: Columns | null = null;

  push(offset: number, capturedLength: number, originalLength: number, tsSec: number, tsNsec: number, linkType: number, iface: number): void {
    let c = this.columns;
    if (this.count === c.offset.length) c = this.grow();
    const i = this.count++;
    c.offset[i] = offset;
    c.capturedLength[i] = capturedLength;
    c.originalLength[i] = originalLength;
    c.tsSec[i] = tsSec;
    c.tsNsec[i] = tsNsec;
    c.linkType[i] = linkType;
    c.iface[i] = iface;
  }

  /** Hands the collected frames over as a batch over `data` and starts the next one. */
  take(data: Uint8Array, firstNumber: number): FrameBatch {
    const n = this.count;
    const c = this.columns;
    const batch: FrameBatch = {
      data,
      count: n,
      firstNumber,
      offset: c.offset.subarray(0, n),
      capturedLength: c.capturedLength.subarray(0, n),
      originalLength: c.originalLength.subarray(0, n),
      tsSec: c.tsSec.subarray(0, n),
      tsNsec: c.tsNsec.subarray(0, n),
      linkType: c.linkType.subarray(0, n),
      iface: c.iface.subarray(0, n),
    };
    const spare = this.spare;
    this.spare = c;
    this.columns = spare !== null && spare.offset.length === c.offset.length ? spare : allocate(c.offset.length);
    this.count = 0;
    return batch;
  }

  private grow(): Columns {
    const old = this.columns;
    const next = allocate(old.offset.length * 2);
    next.offset.set(old.offset);
    next.capturedLength.set(old.capturedLength);
    next.originalLength.set(old.originalLength);
    next.tsSec.set(old.tsSec);
    next.tsNsec.set(old.tsNsec);
    next.linkType.set(old.linkType);
    next.iface.set(old.iface);
    this.columns = next;
    return next;
  }
}
