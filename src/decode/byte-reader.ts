/**
 * The one bounds-checked reader every decoder reads through. It never copies: `view()` returns a
 * subarray. It tells apart the two ways bytes run out (Wireshark's BoundsError vs
 * ReportedBoundsError):
 * - `truncated`: the bytes existed on the wire but the capture stopped (snaplen): not the packet's fault;
 * - `malformed`: a header claims more bytes than the packet itself had: the header lied.
 *
 * Reads are by absolute offset into `data`; `checkRange` is called once per header, then the
 * unchecked `u8/u16/u32` read inside the range. No exceptions, no BigInt.
 */
export type Shortfall = 'ok' | 'truncated' | 'malformed';

export class ByteReader {
  /** The bytes of the whole batch (the frame is a window into them). */
  data: Uint8Array = new Uint8Array(0);
  /** End of the captured bytes of the current frame (absolute offset). */
  capturedEnd = 0;
  /** End of the frame as it was on the wire, or of the layer that declared its own length. */
  reportedEnd = 0;

  reset(data: Uint8Array, start: number, capturedLength: number, originalLength: number): void {
    this.data = data;
    this.capturedEnd = start + capturedLength;
    this.reportedEnd = start + Math.max(originalLength, capturedLength);
  }

  /** Can `length` bytes at `offset` be read? If not, why not. */
  checkRange(offset: number, length: number): Shortfall {
    const end = offset + length;
    if (end <= this.capturedEnd) return 'ok';
    return end <= this.reportedEnd ? 'truncated' : 'malformed';
  }

  /** Bytes available from `offset` to the captured end (never negative). */
  available(offset: number): number {
    return Math.max(0, this.capturedEnd - offset);
  }

  /** Narrows the reported end to a length a header declared (an IP total length, a UDP length). */
  limitReported(end: number): void {
    if (end < this.reportedEnd) this.reportedEnd = end;
    if (end < this.capturedEnd) this.capturedEnd = end;
  }

  u8(offset: number): number {
    return this.data[offset];
  }

  u16(offset: number): number {
    const d = this.data;
    return (d[offset] << 8) | d[offset + 1];
  }

  u32(offset: number): number {
    const d = this.data;
    return ((d[offset] << 24) | (d[offset + 1] << 16) | (d[offset + 2] << 8) | d[offset + 3]) >>> 0;
  }

  u16le(offset: number): number {
    const d = this.data;
    return d[offset] | (d[offset + 1] << 8);
  }

  u32le(offset: number): number {
    const d = this.data;
    return (d[offset] | (d[offset + 1] << 8) | (d[offset + 2] << 16) | (d[offset + 3] << 24)) >>> 0;
  }

  /** A view (no copy) of captured bytes, clipped to what was captured. */
  view(offset: number, length: number): Uint8Array {
    const end = Math.min(offset + length, this.capturedEnd);
    return this.data.subarray(offset, Math.max(offset, end));
  }
}
