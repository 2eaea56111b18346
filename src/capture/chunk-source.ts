import { open, type FileHandle } from 'node:fs/promises';
import { CaptureError, type CaptureWarning } from './types.js';

/**
 * Where a streaming reader gets its bytes. `next(carry, minLength)` returns a buffer that starts
 * with `carry` (the unread tail of the previous buffer, at most one record) followed by new bytes,
 * at least `minLength` long unless the source ends first; null when not one new byte is left.
 * Memory stays bounded by the chunk size plus the largest record.
 */
export interface ChunkSource {
  next(carry: Uint8Array, minLength: number): Promise<Uint8Array | null>;
  /** Warnings from below the capture format (a cut-off or corrupt gzip stream). */
  readonly warnings: CaptureWarning[];
  close(): Promise<void>;
}

export const CHUNK_BYTES = 2 * 1024 * 1024;

/**
 * Reads a plain file with positioned reads: no stream machinery, no copies. Three buffers turn in
 * rotation, and the next chunk is read ahead while the current one is parsed, so the disk (or page
 * cache) and the parser overlap. Each buffer keeps RESERVE bytes in front of the data for the
 * carried-over tail of the previous chunk. A batch's bytes stay valid until the batch after the
 * next one is read (see FrameBatch).
 */
const RESERVE = 256 * 1024;

interface Filled {
  buffer: Buffer;
  bytes: number;
}

export class FileChunkSource implements ChunkSource {
  readonly warnings: CaptureWarning[] = [];
  private position = 0;
  private ended = false;
  private readonly buffers: Buffer[] = [];
  private turn = 0;
  private ahead: Promise<Filled> | null = null;

  private constructor(
    private readonly handle: FileHandle,
    private readonly onBytes?: (bytesRead: number) => void,
  ) {}

  static async open(path: string, onBytes?: (bytesRead: number) => void): Promise<FileChunkSource> {
    return new FileChunkSource(await open(path, 'r'), onBytes);
  }

  async next(carry: Uint8Array, minLength: number): Promise<Uint8Array | null> {
    const filled = await (this.ahead ?? this.fill());
    this.ahead = null;
    if (filled.bytes === 0) return null;
    let view: Uint8Array;
    if (carry.length <= RESERVE) {
      filled.buffer.set(carry, RESERVE - carry.length);
      view = filled.buffer.subarray(RESERVE - carry.length, RESERVE + filled.bytes);
    } else {
      view = Buffer.concat([carry, filled.buffer.subarray(RESERVE, RESERVE + filled.bytes)]);
    }
    // A record larger than a chunk: gather whole chunks until it fits (rare, and never on the hot path).
    while (view.length < minLength && !this.ended) {
      const more = await this.fill();
      if (more.bytes === 0) break;
      view = Buffer.concat([view, more.buffer.subarray(RESERVE, RESERVE + more.bytes)]);
    }
    if (!this.ended) this.ahead = this.fill();
    return view;
  }

  /** Reads the next chunk into the next buffer of the rotation, after its reserve. */
  private async fill(): Promise<Filled> {
    this.turn = (this.turn + 1) % 3;
    let buffer = this.buffers[this.turn];
    if (buffer === undefined) {
      buffer = Buffer.allocUnsafeSlow(RESERVE + CHUNK_BYTES);
      this.buffers[this.turn] = buffer;
    }
    let bytes = 0;
    while (bytes < CHUNK_BYTES && !this.ended) {
      const { bytesRead } = await this.handle.read(buffer, RESERVE + bytes, CHUNK_BYTES - bytes, this.position);
      if (bytesRead === 0) this.ended = true;
      this.position += bytesRead;
      bytes += bytesRead;
    }
    this.onBytes?.(this.position);
    return { buffer, bytes };
  }

  async close(): Promise<void> {
    await this.ahead?.catch(() => undefined);
    await this.handle.close();
  }
}

/** What went wrong inside a decompressor, as a reader warning instead of an exception. */
export type StreamFailure = (error: unknown, bytesSoFar: number) => CaptureWarning | null;

/**
 * Gathers an async stream of chunks (a socket, a gunzip stream, a zip member) into buffers of
 * about CHUNK_BYTES. Errors that mean "the data ends here" become warnings through `onFailure`;
 * a CaptureError (a decompression limit) passes through unchanged.
 */
export class StreamChunkSource implements ChunkSource {
  readonly warnings: CaptureWarning[] = [];
  private readonly iterator: AsyncIterator<Uint8Array>;
  private ended = false;
  private bytes = 0;

  constructor(
    chunks: AsyncIterable<Uint8Array>,
    private readonly onFailure: StreamFailure = () => null,
    private readonly onClose: () => Promise<void> | void = () => undefined,
  ) {
    this.iterator = chunks[Symbol.asyncIterator]();
  }

  async next(carry: Uint8Array, minLength: number): Promise<Uint8Array | null> {
    if (this.ended) return null;
    const target = Math.max(CHUNK_BYTES, minLength);
    const parts: Uint8Array[] = carry.length > 0 ? [carry] : [];
    let filled = carry.length;
    while (filled < target) {
      const chunk = await this.pull();
      if (chunk === null) break;
      parts.push(chunk);
      filled += chunk.length;
    }
    if (filled === carry.length) return null;
    return parts.length === 1 ? parts[0] : Buffer.concat(parts, filled);
  }

  private async pull(): Promise<Uint8Array | null> {
    try {
      const r = await this.iterator.next();
      if (r.done) {
        this.ended = true;
        return null;
      }
      this.bytes += r.value.length;
      return r.value;
    } catch (error) {
      this.ended = true;
      if (error instanceof CaptureError) throw error;
      const warning = this.onFailure(error, this.bytes);
      if (warning === null) throw error;
      this.warnings.push(warning);
      return null;
    }
  }

  async close(): Promise<void> {
    if (!this.ended) {
      this.ended = true;
      await this.iterator.return?.();
    }
    await this.onClose();
  }
}
