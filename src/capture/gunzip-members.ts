import { once } from 'node:events';
import * as zlib from 'node:zlib';

/**
 * The decompressed bytes of a gzip stream, member after member (RFC 1952 section 2.2: a file may
 * hold several members, e.g. from `cat a.gz b.gz`). Like `gzip -d`, zero bytes after the last
 * member are padding, and anything else there is ignored after every member's bytes were yielded:
 * the stream then ends with an error whose code is TRAILING_GARBAGE, which a reader turns into a
 * warning. (zlib's own gunzip takes such bytes for a broken next member and loses the output of its
 * last write.) Damage inside a member throws a zlib-style error: code Z_BUF_ERROR when the data ends
 * early, Z_DATA_ERROR when it is corrupt.
 */
export async function* gunzipMembers(compressed: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const input = new ByteQueue(compressed[Symbol.asyncIterator]());
  for (let member = 0; ; member++) {
    if (member > 0) {
      const next = await input.peek(2);
      if (next.length === 0) return;
      if (next.length < 2 || next[0] !== 0x1f || next[1] !== 0x8b) {
        if (await input.onlyZerosLeft()) return;
        throw zlibError('TRAILING_GARBAGE', 'trailing garbage after the last gzip member');
      }
    }
    await skipHeader(input);
    let crc = 0;
    let size = 0;
    for await (const chunk of inflateMember(input)) {
      if (CRC32 !== undefined) crc = CRC32(chunk, crc);
      size += chunk.length;
      yield chunk;
    }
    const trailer = await input.take(8);
    if (trailer.length < 8) throw zlibError('Z_BUF_ERROR', 'unexpected end of file');
    const view = new DataView(trailer.buffer, trailer.byteOffset, 8);
    if (CRC32 !== undefined && view.getUint32(0, true) !== crc >>> 0) throw zlibError('Z_DATA_ERROR', 'incorrect data check');
    if (view.getUint32(4, true) !== size % 2 ** 32) throw zlibError('Z_DATA_ERROR', 'incorrect length check');
  }
}

/** zlib.crc32 (Node 20.15 and later); on older versions the length check alone guards the data. */
const CRC32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

const FLAG = { hcrc: 2, extra: 4, name: 8, comment: 16, reserved: 0xe0 } as const;

/** The member header (RFC 1952 section 2.3): ID1 ID2 CM FLG MTIME(4) XFL OS, then the optional fields. */
async function skipHeader(input: ByteQueue): Promise<void> {
  const fixed = await input.take(10);
  if (fixed.length < 10) throw zlibError('Z_BUF_ERROR', 'unexpected end of file');
  if (fixed[0] !== 0x1f || fixed[1] !== 0x8b) throw zlibError('Z_DATA_ERROR', 'incorrect header check');
  if (fixed[2] !== 8) throw zlibError('Z_DATA_ERROR', 'unknown compression method');
  const flags = fixed[3];
  if (flags & FLAG.reserved) throw zlibError('Z_DATA_ERROR', 'unknown header flags set');
  if (flags & FLAG.extra) {
    const xlen = await input.take(2);
    if (xlen.length < 2 || (await input.skip(xlen[0] | (xlen[1] << 8))) === false) throw zlibError('Z_BUF_ERROR', 'unexpected end of file');
  }
  if (flags & FLAG.name && !(await input.skipPastZero())) throw zlibError('Z_BUF_ERROR', 'unexpected end of file');
  if (flags & FLAG.comment && !(await input.skipPastZero())) throw zlibError('Z_BUF_ERROR', 'unexpected end of file');
  if (flags & FLAG.hcrc && !(await input.skip(2))) throw zlibError('Z_BUF_ERROR', 'unexpected end of file');
}

/**
 * One member's deflate data through a raw inflater, with backpressure. The inflater stops at the end
 * of the deflate stream; `bytesWritten` says how much input it consumed, and the rest goes back to
 * the queue for the trailer and the next member.
 */
async function* inflateMember(input: ByteQueue): AsyncGenerator<Uint8Array> {
  const inflater = zlib.createInflateRaw({ chunkSize: 1024 * 1024 });
  const fed: Uint8Array[] = [];
  let fedStart = 0; // input offset (in this member's deflate data) of fed[0]
  const stop = new AbortController();
  const pump = (async () => {
    for (;;) {
      while (fed.length > 0 && fedStart + fed[0].length <= inflater.bytesWritten) fedStart += fed.shift()!.length;
      const chunk = await input.next();
      if (chunk === null) {
        if (!stop.signal.aborted) inflater.end();
        return;
      }
      fed.push(chunk); // kept until consumed: whatever the inflater leaves goes back to the queue
      if (stop.signal.aborted) return;
      if (!inflater.write(chunk)) await once(inflater, 'drain', { signal: stop.signal });
      if (stop.signal.aborted) return;
    }
  })().catch((error: unknown) => {
    if (!stop.signal.aborted) inflater.destroy(error as Error);
  });
  try {
    for await (const out of inflater) yield out as Uint8Array;
  } finally {
    stop.abort();
    inflater.destroy();
    await pump;
    let skip = inflater.bytesWritten - fedStart;
    const rest: Uint8Array[] = [];
    for (const chunk of fed) {
      if (skip >= chunk.length) skip -= chunk.length;
      else {
        rest.push(chunk.subarray(skip));
        skip = 0;
      }
    }
    input.unshift(rest);
  }
}

function zlibError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** Chunks from an async iterator, with look-ahead and put-back. */
class ByteQueue {
  private readonly pending: Uint8Array[] = [];

  constructor(private readonly source: AsyncIterator<Uint8Array>) {}

  async next(): Promise<Uint8Array | null> {
    const held = this.pending.shift();
    if (held !== undefined) return held;
    const r = await this.source.next();
    return r.done ? null : r.value;
  }

  unshift(chunks: Uint8Array[]): void {
    this.pending.unshift(...chunks.filter((c) => c.length > 0));
  }

  /** Up to `n` bytes, consumed (fewer only at the end of the input). */
  async take(n: number): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let have = 0;
    while (have < n) {
      const chunk = await this.next();
      if (chunk === null) break;
      const used = chunk.subarray(0, n - have);
      parts.push(used);
      have += used.length;
      if (used.length < chunk.length) this.unshift([chunk.subarray(used.length)]);
    }
    return parts.length === 1 ? parts[0] : Buffer.concat(parts, have);
  }

  /** Up to `n` bytes, left in place. */
  async peek(n: number): Promise<Uint8Array> {
    const bytes = await this.take(n);
    this.unshift([bytes]);
    return bytes;
  }

  async skip(n: number): Promise<boolean> {
    while (n > 0) {
      const chunk = await this.next();
      if (chunk === null) return false;
      if (chunk.length > n) this.unshift([chunk.subarray(n)]);
      n -= Math.min(n, chunk.length);
    }
    return true;
  }

  /** Skips a zero-terminated string (a member's file name or comment). */
  async skipPastZero(): Promise<boolean> {
    for (;;) {
      const chunk = await this.next();
      if (chunk === null) return false;
      const zero = chunk.indexOf(0);
      if (zero >= 0) {
        this.unshift([chunk.subarray(zero + 1)]);
        return true;
      }
    }
  }

  /** Reads to the end: true when every byte left is zero (padding gzip -d accepts quietly). */
  async onlyZerosLeft(): Promise<boolean> {
    for (;;) {
      const chunk = await this.next();
      if (chunk === null) return true;
      if (chunk.some((b) => b !== 0)) return false;
    }
  }
}
