// Just over 300 lines: every container path (file, stream, gzip, zip, spooled Network Monitor)
// meets here, so the rules of which format nests in which stay in one place.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { BatchBuilder } from './batch-builder.js';
import { FileChunkSource, StreamChunkSource, type ChunkSource, type StreamFailure } from './chunk-source.js';
import { etlConversions } from './file-commands.js';
import { DETECT_BYTES, describeFirstBytes, detectFormat, ETL_SNIFF_BYTES, etlKind, type DetectedFormat } from './detect-format.js';
import { gunzipMembers } from './gunzip-members.js';
import { limitBytes, MAX_NESTING, prepend, UnpackBudget } from './limit-bytes.js';
import { readNetmon } from './read-netmon.js';
import { PcapParser } from './read-pcap.js';
import { PcapngParser } from './read-pcapng.js';
import type { RecordParser } from './record-parser.js';
import { spoolToFile } from './spool.js';
import { openZip } from './read-zip.js';
import { CaptureError, type Capture, type CaptureFormat, type CaptureMeta, type CaptureWarning, type Compression, type FrameBatch } from './types.js';
import { endAtTrailingData, spoolRefusal, unpackFailure, unpackRefusal } from './unpack-failure.js';

export interface ReadOptions {
  /** Name used in messages when the source is a stream. */
  name?: string;
  /** Cap on bytes coming out of gzip and zip, per upload across all members and levels (NETCASE_MAX_DECOMPRESSED_MB). */
  maxDecompressedBytes?: number;
  /** Where streams are spooled for formats that need random access. */
  spoolDir?: string;
  /** Told the running total of bytes read from the source file (compressed bytes for gzip). */
  onBytes?: (bytesRead: number) => void;
}

export const DEFAULT_MAX_DECOMPRESSED_BYTES = 4096 * 1024 * 1024;
const EMPTY = new Uint8Array(0);

/** One upload being unpacked: its options, its budget (shared by every level) and how deep we are. */
interface Unpack {
  options: ReadOptions;
  budget: UnpackBudget;
  /** Containers (gzip, zip) around what is being read. */
  depth: number;
}

/**
 * Every capture in a source: one for a pcap, pcapng or Network Monitor file (plain or gzipped),
 * one per capture member of a zip archive. The format is found from the content, never the name.
 */
export async function* readCaptures(source: string | Readable, options: ReadOptions = {}): AsyncGenerator<Capture> {
  const name = typeof source === 'string' ? source : (options.name ?? 'stdin');
  const at: Unpack = { options, budget: new UnpackBudget(name, options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES), depth: 0 };
  if (typeof source === 'string') {
    const head = await readHead(source);
    const kind = detectFormat(head);
    if (kind === 'pcap' || kind === 'pcapng') {
      yield streamingCapture(name, kind, null, () => FileChunkSource.open(source, options.onBytes));
    } else if (kind === 'netmon2') {
      yield netmonCapture(name, null, source, async () => undefined);
    } else if (kind === 'gzip') {
      yield* fromGzip(name, countBytes(createReadStream(source), options.onBytes), at);
    } else if (kind === 'zip') {
      yield* fromZip(name, source, at);
    } else {
      // An ETL trace's first buffers name the tool that wrote it (for the conversion that fits).
      throw notACapture(name, kind, kind === 'etl' ? await readHead(source, ETL_SNIFF_BYTES) : head);
    }
    return;
  }
  const { kind, head, chunks } = await classify(source);
  if (kind === 'gzip') yield* fromGzip(name, chunks, at);
  else yield* fromChunks(name, null, kind, head, chunks, at);
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

/** One container level deeper, or capture.archive_limit past MAX_NESTING. */
function deeper(at: Unpack, name: string): Unpack {
  if (at.depth >= MAX_NESTING) {
    throw new CaptureError('capture.archive_limit', `${name}: archives nested more than ${MAX_NESTING} deep (zip and gzip inside each other); unpack them and upload the capture itself`);
  }
  return { ...at, depth: at.depth + 1 };
}

async function* fromGzip(name: string, compressed: AsyncIterable<Uint8Array>, outer: Unpack): AsyncGenerator<Capture> {
  const at = deeper(outer, name);
  const failure = unpackFailure('gzip');
  const decompressed = limitBytes(gunzipMembers(compressed), at.budget);
  const classified = await classify(decompressed, failure);
  if (classified.kind === 'empty' && classified.failure !== null) throw unpackRefusal(name, classified.failure);
  if (classified.kind === 'gzip') throw new CaptureError('capture.unsupported', `${name}: gzip inside gzip is not supported; decompress it once first`);
  yield* fromChunks(name, 'gzip', classified.kind, classified.head, classified.chunks, at, classified.failure === null ? [] : [classified.failure]);
}

/**
 * A format found inside a container (or a stream). `notes` are warnings about the container
 * (damage found while classifying, entries skipped) for the first capture it yields.
 */
async function* fromChunks(
  name: string,
  compression: Compression,
  kind: DetectedFormat,
  head: Uint8Array,
  chunks: AsyncIterable<Uint8Array>,
  at: Unpack,
  notes: CaptureWarning[] = [],
): AsyncGenerator<Capture> {
  const container = compression ?? 'gzip';
  if (kind === 'pcap' || kind === 'pcapng') {
    const capture = streamingCapture(name, kind, compression, () => new StreamChunkSource(chunks, compression === null ? undefined : unpackFailure(container)));
    capture.meta.warnings.push(...notes);
    yield capture;
  } else if (kind === 'netmon2' || kind === 'zip') {
    const spooled = await spoolToFile(endAtTrailingData(chunks, container, notes), at.options.spoolDir).catch((error: unknown) => {
      const warning = compression === null ? null : unpackFailure(container)(error, 0);
      throw warning === null ? error : spoolRefusal(name, warning);
    });
    if (kind === 'netmon2') {
      const capture = netmonCapture(name, compression, spooled.path, spooled.remove);
      capture.meta.warnings.push(...notes);
      yield capture;
    } else {
      try {
        yield* withNotes(fromZip(name, spooled.path, at), notes);
      } finally {
        await spooled.remove();
      }
    }
  } else {
    throw notACapture(name, kind, head);
  }
}

/** Adds `notes` to the first capture of `captures`. */
async function* withNotes(captures: AsyncIterable<Capture>, notes: CaptureWarning[]): AsyncGenerator<Capture> {
  for await (const capture of captures) {
    capture.meta.warnings.push(...notes.splice(0));
    yield capture;
  }
}

async function* fromZip(name: string, path: string, outer: Unpack): AsyncGenerator<Capture> {
  const at = deeper(outer, name);
  const archive = await openZip(path, name, at.budget);
  const skipped = archive.skipped.map((s) => `${s.fileName} (${s.reason})`);
  const notes: CaptureWarning[] = skipped.length === 0 ? [] : [{ code: 'capture.skipped_member', message: `${skipped.length} zip member${skipped.length === 1 ? ' was' : 's were'} not read: ${summarizeList(skipped)}`, frame: null, offset: null }];
  let found = 0;
  let etl: CaptureError | null = null;
  try {
    for await (const member of archive.members()) {
      const memberName = `${name}/${member.fileName}`;
      const failure = unpackFailure('zip');
      const { kind, head, chunks, failure: early } = await classify(limitBytes(member.chunks, at.budget), failure);
      if (kind === 'empty' && early !== null) throw unpackRefusal(memberName, early);
      if (kind === 'pcap' || kind === 'pcapng' || kind === 'netmon2' || kind === 'gzip') {
        found++;
        if (kind === 'gzip') yield* withNotes(fromGzip(memberName, chunks, at), notes);
        else yield* fromChunks(memberName, 'zip', kind, head, chunks, at, [...notes.splice(0), ...(early === null ? [] : [early])]);
      } else {
        skipped.push(kind === 'etl' ? `${member.fileName} (an ETL trace)` : member.fileName);
        if (kind === 'etl') etl ??= notACapture(memberName, kind, head);
        await member.discard();
      }
    }
  } finally {
    archive.close();
  }
  // An archive of ETL traces only: the first one's conversion says more than "no capture file".
  if (found === 0 && etl !== null) throw etl;
  if (found === 0) {
    throw new CaptureError('capture.empty_archive', `${name}: the zip archive holds no capture file (entries: ${skipped.length > 0 ? summarizeList(skipped) : 'none'})`);
  }
}

/** The first items of a list (at most 10, about 500 characters), then how many more: one message line stays short whatever the archive holds. */
function summarizeList(items: string[], most = 10, chars = 500): string {
  let shown = 0;
  for (let length = 0; shown < Math.min(most, items.length) && (shown === 0 || length + items[shown].length <= chars); shown++) length += items[shown].length + 2;
  const list = items.slice(0, shown).join(', ');
  return shown < items.length ? `${list} and ${(items.length - shown).toLocaleString('en-US')} more` : list;
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

async function readHead(path: string, bytes = DETECT_BYTES): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw ioError(path, error);
  }
  try {
    if ((await handle.stat()).isDirectory()) throw new CaptureError('capture.io_error', `${path}: is a directory, not a capture file`);
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buf, 0, bytes, 0);
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
      return new CaptureError('capture.etl_trace', `${name}: ${etlAdvice(name, head)}`);
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

/** What an ETL trace is and the conversion that fits it, in one line (the Slack thread has its own words: report/words.ts). */
function etlAdvice(name: string, head: Uint8Array): string {
  const kind = etlKind(head);
  const [first, second] = etlConversions(kind, name).map((c) => `\`${c.command}\``);
  if (kind === 'pktmon') return `this is a pktmon trace (Windows ETL), not a packet capture: convert it on Windows 10 2004 or later with ${first} and upload the .pcapng`;
  if (kind === 'netsh') return `this is a \`netsh trace\` file (Windows ETL), not a packet capture: convert it with Microsoft's etl2pcapng (github.com/microsoft/etl2pcapng), ${first}, and upload the .pcapng`;
  return `this is a Windows ETL trace, not a packet capture: convert it on Windows, a pktmon trace with ${first} (Windows 10 2004 or later), a \`netsh trace\` file with Microsoft's etl2pcapng (github.com/microsoft/etl2pcapng), ${second}, and upload the .pcapng`;
}
