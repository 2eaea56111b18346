import type { Frame, FrameBatch } from './types.js';

/** Frame `i` of a batch as an object with a view of its bytes. For use off the hot path. */
export function frameAt(batch: FrameBatch, i: number): Frame {
  const start = batch.offset[i];
  return {
    number: batch.firstNumber + i,
    tsSec: batch.tsSec[i],
    tsNsec: batch.tsNsec[i],
    linkType: batch.linkType[i],
    iface: batch.iface[i],
    capturedLength: batch.capturedLength[i],
    originalLength: batch.originalLength[i],
    bytes: batch.data.subarray(start, start + batch.capturedLength[i]),
  };
}
