// Just over 300 lines: every container path (file, stream, gzip, zip, spooled Network Monitor)
// meets here, so the rules of which format nests in which stay in one place.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { BatchBuilder } from './batch-builder.js';
import { FileChunkSource, StreamChunkSource, type ChunkSource, type StreamFailure } from './chunk-source.js';
import { DETECT_BYTES, describeFirstBytes, detectFormat, type DetectedFormat } from './detect-format.js';
import { limitBytes, prepend } from './limit-bytes.js';
import { readNetmon } from './read-netmon.js';
import { PcapParser } from './read-pcap.js';
import { PcapngParser } from './read-pcapng.js';
import type { RecordParser } from './record-parser.js';
import { spoolToFile } from './spool.js';
import { readZipMembers } from './read-zip.js';
import { CaptureError, type Capture, type CaptureFormat, type CaptureMeta, type Compression, type FrameBatch } from './types.js';

export interface ReadOptions {
  /** Name used in messages when the source is a stream. */
  name?: string;
  /** Cap on bytes coming out of gzip or zip (NETCASE_MAX_DECOMPRESSED_MB). */
  maxDecompressedBytes?: number;
  /** Where streams are spooled for formats that need random access. */
  spoolDir?: string;
  /** Told the running total of bytes read from the source file (compressed bytes for gzip). */
  onBytes?: (bytesRead: number) => void;
}

export const DEFAULT_MAX_DECOMPRESSED_BYTES = 4096 * 1024 * 1024;
const EMPTY = new Uint8Array(0);

/**
 * Every capture in a source: one for a pcap, pcapng or Network Monitor file (plain or gzipped),
 * one per capture member of a zip archive. The format is found from the content, never the name.
 */
export async function* readCaptures(source: string | Readable, options: ReadOptions = {}): AsyncGenerator<Capture> {
  const name = typeof source === 'string' ? source : (options.name ?? 'stdin');
  if (typeof source === 'string') {
    const head = await readHead(source);
    const kind = detectFormat(head);
    if (kind === 'pcap' || kind === 'pcapng') {
      yield streamingCapture(name, kind, null, () => FileChunkSource.open(source, options.onBytes));
    } else if (kind === 'netmon2') {
      yield netmonCapture(name, null, source, async () => undefined);
    } else if (kind === 'gzip') {
      yield* fromGzip(name, countBytes(createReadStream(source), options.onBytes), options);
    } else if (kind === 'zip') {
      yield* fromZip(name, source, options);
    } else {
      throw notACapture(name, kind, head);
    }
    return;
  }
  const { kind, head, chunks } = await classify(source);
  if (kind === 'gzip') yield* fromGzip(name, chunks, options);
  else yield* fromChunks(name, null, kind, head, chunks, options);
}

/** The frames of a source that holds one capture (a zip with several is refused: use readCaptures). */
export async function* readCapture(source: string | Readable, options: ReadOptions = {}): AsyncGenerator<FrameBatch> {
  let seen = 0;
  for await (const capture of readCaptures(source, options)) {
    if (++seen > 1) {
      throw new CaptureError('capture.unsupported', `${capture.meta.name}: the archive holds more than one capture; read them one by one`);
    }
    yield* capture.frames();
  }
}

/** Passes chunks through, telling `onBytes` the running total. */
async function* countBytes(chunks: AsyncIterable<Uint8Array>, onBytes: ((n: number) => void) | undefined): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.length;
    onBytes?.(total);
    yield chunk;
  }
}

async function* fromGzip(name: string, compressed: AsyncIterable<Uint8Array>, options: ReadOptions): AsyncGenerator<Capture> {
  const gunzip = createGunzip({ chunkSize: 1024 * 1024 });
  // pipeline() ends, errors and destroys both sides together, so an early stop cannot hang.
  pipeline(Readable.from(compressed), gunzip, () => undefined);
  const limited = limitBytes(gunzip, options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES, name);
  try {
    const { kind, head, chunks, failure } = await classify(limited, gzipFailure);
    if (kind === 'empty' && failure !== null) throw new CaptureError('capture.not_a_capture', `${name}: ${failure.message}`);
    if (kind === 'gzip') throw new CaptureError('capture.unsupported', `${name}: gzip inside gzip is not supported; decompress it once first`);
    yield* fromChunks(name, 'gzip', kind, head, chunks, options, failure);
  } finally {
    gunzip.destroy();
  }
}

async function* fromChunks(
  name: string,
  compression: Compression,
  kind: DetectedFormat,
  head: Uint8Array,
  chunks: AsyncIterable<Uint8Array>,
  options: ReadOptions,
  earlyFailure: ReturnType<StreamFailure> = null,
): AsyncGenerator<Capture> {
  if (kind === 'pcap' || kind === 'pcapng') {
    yield streamingCapture(name, kind, compression, () => {
      const source = new StreamChunkSource(chunks, compression === 'gzip' ? gzipFailure : undefined);
      if (earlyFailure !== null) source.warnings.push(earlyFailure);
      return source;
    });
  } else if (kind === 'netmon2' || kind === 'zip') {
    const spooled = await spoolToFile(chunks, options.spoolDir).catch((error: unknown) => {
      const warning = compression === 'gzip' ? gzipFailure(error, 0) : null;
      if (warning === null) throw error;
      throw new CaptureError('capture.corrupt_compression', `${name}: ${warning.message.replace(/; every whole frame.*$/, '')}`);
    });
    if (kind === 'netmon2') {
      yield netmonCapture(name, compression, spooled.path, spooled.remove);
    } else {
      try {
        yield* fromZip(name, spooled.path, options);
      } finally {
        await spooled.remove();
      }
    }
  } else {
    throw notACapture(name, kind, head);
  }
}

async function* fromZip(name: string, path: string, options: ReadOptions): AsyncGenerator<Capture> {
  const limit = options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  const skipped: string[] = [];
  let found = 0;
  for await (const member of readZipMembers(path, name)) {
    const memberName = `${name}/${member.fileName}`;
    const { kind, head, chunks } = await classify(limitBytes(member.chunks, limit, memberName));
    if (kind === 'pcap' || kind === 'pcapng' || kind === 'netmon2' || kind === 'gzip') {
      found++;
      if (kind === 'gzip') yield* fromGzip(memberName, chunks, options);
      else yield* fromChunks(memberName, 'zip', kind, head, chunks, options);
    } else {
      skipped.push(kind === 'etl' ? `${member.fileName} (an ETL trace)` : member.fileName);
      await member.discard();
    }
  }
  if (found === 0) {
    const listed = skipped.length > 0 ? skipped.join(', ') : 'none';
    throw new CaptureError('capture.empty_archive', `${name}: the zip archive holds no capture file (entries: ${listed})`);
  }
}

function streamingCapture(
  name: string,
  format: 'pcap' | 'pcapng',
  compression: Compression,
  makeSource: () => ChunkSource | Promise<ChunkSource>,
): Capture {
  const meta = newMeta(name, format, compression);
  const parser: RecordParser = format === 'pcap' ? new PcapParser(meta) : new PcapngParser(meta);
  return {
    meta,
    async *frames() {
      const source = await makeSource();
      try {
        yield* parseStream(source, parser);
      } finally {
        meta.warnings.unshift(...source.warnings);
        await source.close();
      }
    },
  };
}

/** The reading loop shared by every streaming format. */
async function* parseStream(source: ChunkSource, parser: RecordParser): AsyncGenerator<FrameBatch> {
  const builder = new BatchBuilder();
  let carry: Uint8Array = EMPTY;
  let fileOffset = 0;
  let nextNumber = 1;
  for (;;) {
    const buf = await source.next(carry, parser.need);
    if (buf === null) break;
    if (buf.length < parser.need) {
      carry = buf; // the source ended inside a header or record
      break;
    }
    const consumed = parser.parse(buf, builder, fileOffset, nextNumber);
    if (builder.count > 0) {
      const batch = builder.take(buf, nextNumber);
      nextNumber += batch.count;
      yield batch;
    }
    fileOffset += consumed;
    carry = buf.subarray(consumed);
    if (parser.stopped) return;
  }
  if (carry.length > 0) parser.endInside(carry.length, fileOffset, nextNumber);
}

function netmonCapture(name: string, compression: Compression, path: string, cleanup: () => Promise<void>): Capture {
  const meta = newMeta(name, 'netmon2', compression);
  return {
    meta,
    async *frames() {
      try {
        yield* readNetmon(path, meta);
      } finally {
        await cleanup();
      }
    },
  };
}

function newMeta(name: string, format: CaptureFormat, compression: Compression): CaptureMeta {
  return { name, format, compression, interfaces: [], warnings: [], stoppedEarly: false };
}

interface Classified {
  kind: DetectedFormat;
  head: Uint8Array;
  chunks: AsyncIterable<Uint8Array>;
  failure: ReturnType<StreamFailure>;
}

/** Reads the first bytes of a stream to detect its format, then hands the whole stream on. */
async function classify(stream: AsyncIterable<Uint8Array>, onFailure?: StreamFailure): Promise<Classified> {
  const iterator = stream[Symbol.asyncIterator]();
  const taken: Uint8Array[] = [];
  let length = 0;
  let failure: ReturnType<StreamFailure> = null;
  try {
    while (length < DETECT_BYTES) {
      const r = await iterator.next();
      if (r.done) break;
      taken.push(r.value);
      length += r.value.length;
    }
  } catch (error) {
    if (error instanceof CaptureError || onFailure === undefined) throw error;
    failure = onFailure(error, length);
    if (failure === null) throw error;
  }
  const head = taken.length === 1 ? taken[0] : Buffer.concat(taken, length);
  const rest = failure === null ? prepend(taken, iterator) : prepend(taken, (async function* () {})());
  return { kind: detectFormat(head), head, chunks: rest, failure };
}

const gzipFailure: StreamFailure = (error, bytesSoFar) => {
  const code = (error as { code?: string }).code;
  if (code === 'Z_BUF_ERROR') {
    return {
      code: 'capture.truncated_file',
      message: `the gzip data ends early, after ${bytesSoFar} decompressed bytes (the .gz file was cut off); every whole frame before it was read`,
      frame: null,
      offset: bytesSoFar,
    };
  }
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return {
      code: 'capture.corrupt_compression',
      message: `the gzip data is damaged after ${bytesSoFar} decompressed bytes (${(error as Error).message}); reading stopped there`,
      frame: null,
      offset: bytesSoFar,
    };
  }
  return null;
};

async function readHead(path: string): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw ioError(path, error);
  }
  try {
    if ((await handle.stat()).isDirectory()) throw new CaptureError('capture.io_error', `${path}: is a directory, not a capture file`);
    const buf = Buffer.alloc(DETECT_BYTES);
    const { bytesRead } = await handle.read(buf, 0, DETECT_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } catch (error) {
    if (error instanceof CaptureError) throw error;
    throw ioError(path, error);
  } finally {
    await handle.close();
  }
}

function ioError(path: string, error: unknown): CaptureError {
  const code = (error as { code?: string }).code;
  const reason =
    code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory, not a capture file' : ((error as Error).message ?? String(error));
  return new CaptureError('capture.io_error', `${path}: ${reason}`);
}

function notACapture(name: string, kind: DetectedFormat, head: Uint8Array): CaptureError {
  switch (kind) {
    case 'etl':
      return new CaptureError(
        'capture.etl_trace',
        `${name}: this is a Windows ETL trace (netsh trace / pktmon), not a packet capture: convert it with \`pktmon etl2pcap in.etl --out out.pcapng\` and upload the .pcapng`,
      );
    case 'html':
      return new CaptureError('capture.web_page', `${name}: this is a web page, not a capture (a download that saved a login or error page?)`);
    case 'empty':
      return new CaptureError('capture.empty_file', `${name}: the file is empty`);
    case 'netmon1':
      return new CaptureError('capture.unsupported', `${name}: Network Monitor 1.x files are not supported; save it as .pcapng from Wireshark or Network Monitor 3`);
    default:
      return new CaptureError('capture.not_a_capture', `${name}: not a capture file (first bytes: ${describeFirstBytes(head)})`);
  }
}
