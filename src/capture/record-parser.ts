import type { BatchBuilder } from './batch-builder.js';

/**
 * A streaming format reader: a small state machine fed one buffer at a time by readCapture.
 * It never throws on bad bytes: a record that cannot be true sets `stopped` and adds a
 * `capture.corrupt_record` warning to the capture's meta; data that ends inside a record is
 * reported by `endInside` as `capture.truncated_file`.
 */
export interface RecordParser {
  /** Bytes needed at the start of the unread data before parsing can go on. */
  readonly need: number;
  /** Set once a record could not be true; the reader stops there. */
  readonly stopped: boolean;
  /**
   * Parses every whole record at the start of `buf` into `out` and returns the bytes consumed.
   * `fileOffset` is the offset of `buf[0]` in the capture, `nextNumber` the next frame's number.
   */
  parse(buf: Uint8Array, out: BatchBuilder, fileOffset: number, nextNumber: number): number;
  /** The data ended `rest` bytes into an unfinished header or record at `fileOffset`. */
  endInside(rest: number, fileOffset: number, nextNumber: number): void;
}
