import { isNetmon2Magic } from './read-netmon.js';
import { isPcapMagic } from './read-pcap.js';
import { BLOCK_SHB } from './read-pcapng.js';

/**
 * Format detection by content, never by file name: support engineers' uploads are named anything.
 */
export type DetectedFormat =
  | 'pcap'
  | 'pcapng'
  | 'netmon2'
  | 'netmon1'
  | 'gzip'
  | 'zip'
  | 'etl'
  | 'html'
  | 'empty'
  | 'unknown';

/** How many leading bytes detection looks at. */
export const DETECT_BYTES = 4096;

export function detectFormat(head: Uint8Array): DetectedFormat {
  if (head.length === 0) return 'empty';
  if (isPcapMagic(head)) return 'pcap';
  if (head.length >= 4 && readU32BE(head, 0) === BLOCK_SHB) return 'pcapng';
  if (isNetmon2Magic(head)) return 'netmon2';
  if (startsWith(head, [0x52, 0x54, 0x53, 0x53])) return 'netmon1'; // "RTSS"
  if (startsWith(head, [0x1f, 0x8b])) return 'gzip';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) return 'zip';
  if (looksLikeEtl(head)) return 'etl';
  if (looksLikeHtml(head)) return 'html';
  return 'unknown';
}

/** Byte offsets in an ETL file (evntrace.h): the buffer header, then the logfile header event. */
const WMI_BUFFER_HEADER = 0x48;
/** SYSTEM_TRACE_HEADER (0x20 bytes) in front of TRACE_LOGFILE_HEADER. */
const LOGFILE_HEADER = WMI_BUFFER_HEADER + 0x20;
/** TRACE_LOGFILE_HEADER.PointerSize: 8 or 4, the size of its LoggerName and LogFileName fields. */
const POINTER_SIZE = LOGFILE_HEADER + 0x2c;
/** sizeof(TRACE_LOGFILE_HEADER) with 8- and 4-byte pointers; LoggerName's text follows it, then LogFileName's. */
const LOGFILE_HEADER_BYTES = { 8: 0x118, 4: 0x110 } as const;

/**
 * Windows event trace logs (`netsh trace`, pktmon) have no magic number. They are a run of buffers
 * (64 KB by default), each starting with a 72-byte WMI_BUFFER_HEADER (buffer size, saved and
 * current offsets), and the first event is the logfile header: a SYSTEM_TRACE_HEADER whose flags
 * byte has TRACE_HEADER_FLAG | TRACE_HEADER_EVENT_TRACE (0xC0), followed by a
 * TRACE_LOGFILE_HEADER that repeats the buffer size.
 */
function looksLikeEtl(b: Uint8Array): boolean {
  if (b.length < LOGFILE_HEADER + 4) return false;
  const bufferSize = readU32LE(b, 0);
  if (bufferSize < 1024 || bufferSize > 64 * 1024 * 1024 || bufferSize % 1024 !== 0) return false;
  if (readU32LE(b, 4) > bufferSize || readU32LE(b, 8) > bufferSize) return false;
  const flags = b[WMI_BUFFER_HEADER + 3];
  const logfileBufferSize = readU32LE(b, LOGFILE_HEADER);
  return (flags & 0xc0) === 0xc0 && logfileBufferSize === bufferSize;
}

/**
 * Which tool wrote an ETL trace, for the conversion that fits it: `pktmon etl2pcap` reads only
 * pktmon's own traces; Microsoft's etl2pcapng is the tool for `netsh trace` (ndiscap) files.
 * - 'pktmon': written by the "PktMon" session, with Microsoft-Windows-PktMon events
 * - 'netsh': written by `netsh trace`'s "NetTrace" session, with Microsoft-Windows-NDIS-PacketCapture events
 * - 'unknown': an ETL trace that says neither (another session name, and either no packet
 *   provider or both in the bytes looked at)
 */
export type EtlKind = 'pktmon' | 'netsh' | 'unknown';

/** How many leading bytes of an ETL trace `etlKind` is given when more than DETECT_BYTES can be read: its first 4 buffers. */
export const ETL_SNIFF_BYTES = 4 * 64 * 1024;

/** Provider GUIDs as they sit in an event header (Data1-3 little-endian). */
const PKTMON_PROVIDER = guidBytes('4d4f80d9-c8bd-4d73-bb5b-19c90402c5ac'); // Microsoft-Windows-PktMon
const NDISCAP_PROVIDER = guidBytes('2ed6006e-4729-4609-b423-3ee7bcd678ef'); // Microsoft-Windows-NDIS-PacketCapture

/**
 * Tells an ETL trace's kind from its first bytes (at least its first buffer's header; more bytes
 * let it see the first events' providers). The logger (session) name in the logfile header
 * decides; when it is neither "PktMon" nor "NetTrace", the packet providers' GUIDs and the two
 * names anywhere in the bytes (the log file's default names PktMon.etl and NetTrace.etl) decide
 * when they point one way only.
 */
export function etlKind(b: Uint8Array): EtlKind {
  const logger = loggerName(b);
  if (logger !== null && /^pktmon$/i.test(logger)) return 'pktmon';
  if (logger !== null && /^nettrace$/i.test(logger)) return 'netsh';
  const pktmon = indexOf(b, PKTMON_PROVIDER) >= 0 || indexOf(b, utf16le('PktMon'), true) >= 0;
  const netsh = indexOf(b, NDISCAP_PROVIDER) >= 0 || indexOf(b, utf16le('NetTrace'), true) >= 0;
  return pktmon === netsh ? 'unknown' : pktmon ? 'pktmon' : 'netsh';
}

/** The logfile header's LoggerName text (UTF-16LE, NUL-terminated), or null when the bytes do not hold it. */
function loggerName(b: Uint8Array): string | null {
  if (b.length < POINTER_SIZE + 4) return null;
  const pointerSize = readU32LE(b, POINTER_SIZE);
  if (pointerSize !== 8 && pointerSize !== 4) return null;
  let name = '';
  for (let at = LOGFILE_HEADER + LOGFILE_HEADER_BYTES[pointerSize]; at + 1 < b.length && name.length < 256; at += 2) {
    const unit = b[at] | (b[at + 1] << 8);
    if (unit === 0) return name;
    name += String.fromCharCode(unit);
  }
  return null;
}

function utf16le(text: string): Uint8Array {
  return Uint8Array.from(Array.from(text).flatMap((c) => [c.charCodeAt(0), 0]));
}

function guidBytes(guid: string): Uint8Array {
  const hex = guid.replace(/-/g, '');
  const byte = (i: number) => parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  const order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
  return Uint8Array.from(order, byte);
}

/** Where `pattern` first occurs in `b`, or -1; `asciiCaseless` compares ASCII letters without case. */
function indexOf(b: Uint8Array, pattern: Uint8Array, asciiCaseless = false): number {
  const fold = (x: number) => (asciiCaseless && x >= 0x41 && x <= 0x5a ? x + 0x20 : x);
  outer: for (let i = 0; i + pattern.length <= b.length; i++) {
    for (let j = 0; j < pattern.length; j++) if (fold(b[i + j]) !== fold(pattern[j])) continue outer;
    return i;
  }
  return -1;
}

function looksLikeHtml(b: Uint8Array): boolean {
  let text = '';
  for (let i = 0; i < Math.min(b.length, 512); i++) text += String.fromCharCode(b[i]);
  text = text.replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart().toLowerCase();
  return /^<(!doctype html|html|head|body|!--|\?xml[^>]*>\s*<(!doctype html|html))/.test(text);
}

/** First bytes as hex, for the "not a capture file" message. */
export function describeFirstBytes(head: Uint8Array, count = 8): string {
  return Array.from(head.subarray(0, count), (x) => x.toString(16).padStart(2, '0')).join(' ');
}

function startsWith(b: Uint8Array, prefix: number[]): boolean {
  return b.length >= prefix.length && prefix.every((x, i) => b[i] === x);
}

function readU32BE(b: Uint8Array, at: number): number {
  return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
}

function readU32LE(b: Uint8Array, at: number): number {
  return ((b[at + 3] << 24) | (b[at + 2] << 16) | (b[at + 1] << 8) | b[at]) >>> 0;
}
